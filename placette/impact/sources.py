"""Computed sources: the foncière's own figures read from the other areas through their
queries (places' headline figures, membership's projections) — never typed twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    label: str
    unit: str  # empty for money, written by lib.money
    read: Callable[[dt.date], Decimal]
    money: bool = False


def year_end(year: int) -> dt.date:
    """The date a year's figure is read at: 31 December, or today for the year under way."""
    return min(dt.date(year, 12, 31), timezone.localdate())


def _places(attr: str) -> Callable[[dt.date], Decimal]:
    def read(on: dt.date) -> Decimal:
        from placette.places.figures import headline_figures

        return Decimal(getattr(headline_figures(on), attr))

    return read


def _members(on: dt.date) -> Decimal:
    from placette.membership.projections import members_on

    return Decimal(members_on(on).count())


def _capital(on: dt.date) -> Decimal:
    from placette.membership.projections import capital_on

    return capital_on(on).subscribed


SOURCES: dict[str, Source] = {
    "places.area_renovated": Source(_("Surface rénovée (lieux)"), "m²", _places("area_renovated")),
    "places.invested": Source(_("Montant investi (lieux)"), "", _places("invested"), money=True),
    "places.jobs": Source(
        _("Emplois des activités installées (lieux)"), "ETP", _places("jobs_fte")
    ),
    "membership.members": Source(_("Associés (sociétariat)"), "personnes", _members),
    "membership.capital": Source(_("Capital souscrit (sociétariat)"), "", _capital, money=True),
}


def source_choices() -> list[tuple[str, str]]:
    return [("", _("— saisi par les répondants —"))] + [
        (code, source.label) for code, source in SOURCES.items()
    ]


def source_value(code: str, year: int) -> Decimal | None:
    """The value of a computed source for a year (None when the year has not begun)."""
    source = SOURCES.get(code)
    on = year_end(year)
    if source is None or on.year < year:
        return None
    return source.read(on)

"""Sane bounds for every date a user types: no year 0001 or 9999 in a register, a meeting or a
lease. One rule, used by forms (`DateBoundsMixin`) and by services (`date_check`):

- never before 1 January 1900 (`EARLIEST`);
- a value date (a payment received, a movement booked, a decision taken) never after today;
- any other date at most `FUTURE_YEARS` years ahead (a meeting, the start of a lease), or
  `FAR_FUTURE_YEARS` for the end of a long contract (a lease may run for decades).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from placette.lib.refusals import Refusal

EARLIEST = dt.date(1900, 1, 1)
FUTURE_YEARS = 10
FAR_FUTURE_YEARS = 99

__all__ = [
    "EARLIEST",
    "FAR_FUTURE_YEARS",
    "FUTURE_YEARS",
    "DateBounds",
    "DateBoundsMixin",
    "date_check",
    "date_problem",
]


def _day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            try:
                return timezone.localtime(value).date()
            except OverflowError:  # year 1 or 9999 cannot move to another time zone
                return value.date()
        return value.date()
    return value


def _fr(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_problem(
    value: dt.date | dt.datetime,
    *,
    past_only: bool = False,
    future_years: int = FUTURE_YEARS,
    today: dt.date | None = None,
) -> str | None:
    """The French sentence saying why `value` is out of bounds, or None when it is sane."""
    day = _day(value)
    today = today or timezone.localdate()
    if day < EARLIEST:
        return _("La date du %(day)s est trop ancienne : indiquez une date après 1900.") % {
            "day": _fr(day)
        }
    if past_only and day > today:
        return _(
            "La date du %(day)s est dans le futur : indiquez une date passée ou aujourd’hui."
        ) % {"day": _fr(day)}
    latest = _years_later(today, future_years)
    if day > latest:
        return _(
            "La date du %(day)s est trop lointaine : indiquez une date avant le %(latest)s."
        ) % {"day": _fr(day), "latest": _fr(latest)}
    return None


def date_check(
    value: dt.date | dt.datetime | None,
    *,
    label: str = "",
    field: str | None = None,
    past_only: bool = False,
    future_years: int = FUTURE_YEARS,
) -> None:
    """For services: raise a `Refusal` (on `field`) when `value` is out of bounds; `label`
    names the date in the message (« Date du paiement : … »). None passes."""
    if value is None:
        return
    problem = date_problem(value, past_only=past_only, future_years=future_years)
    if problem:
        raise Refusal(f"{label} : {problem}" if label else problem, field=field, code="date_bounds")


@deconstructible
class DateBounds:
    """Validator of a date or datetime form field (see the module's rule)."""

    def __init__(self, *, past_only: bool = False, future_years: int = FUTURE_YEARS) -> None:
        self.past_only = past_only
        self.future_years = future_years

    def __call__(self, value: Any) -> None:
        if isinstance(value, dt.date):
            problem = date_problem(value, past_only=self.past_only, future_years=self.future_years)
            if problem:
                raise ValidationError(problem, code="date_bounds")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateBounds) and (other.past_only, other.future_years) == (
            self.past_only,
            self.future_years,
        )


class DateBoundsMixin:
    """Put first in a form's bases: every date and datetime field of the form gets
    `DateBounds`. `past_dates` names the value dates (never in the future), `far_dates` the
    ends of long contracts (up to `FAR_FUTURE_YEARS` years ahead)."""

    past_dates: tuple[str, ...] = ()
    far_dates: tuple[str, ...] = ()

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                field.validators.append(
                    DateBounds(
                        past_only=name in self.past_dates,
                        future_years=FAR_FUTURE_YEARS if name in self.far_dates else FUTURE_YEARS,
                    )
                )

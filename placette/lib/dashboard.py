"""What the staff dashboard shows: each area's headline figures and its to-dos.

An area contributes `placette/<app>/dashboard.py` with `figures() -> list[Figure]` and
`placette/<app>/todos.py` with `todos() -> list[Todo]`; the dashboard collects those of the
installed areas in navigation order. A to-do with a count of zero is not shown, so an area may
return its items unconditionally and keep a constant number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from django.utils.translation import gettext_lazy as _

from placette.lib.areas import area_modules


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    detail: str = ""
    url: str = ""
    area: str = ""
    extra: list[tuple[str, str]] = field(default_factory=list)


class Urgency(IntEnum):
    """Lower comes first on the dashboard."""

    LATE = 1  # a deadline is passed or money is owed
    SOON = 2  # a deadline is within days
    ROUTINE = 3  # waiting for someone of the team, no date at stake

    @property
    def label(self) -> str:
        return str(URGENCY_LABELS[self])

    @property
    def css(self) -> str:
        return {Urgency.LATE: "danger", Urgency.SOON: "warning", Urgency.ROUTINE: "secondary"}[self]


URGENCY_LABELS = {
    Urgency.LATE: _("en retard"),
    Urgency.SOON: _("bientôt"),
    Urgency.ROUTINE: _("à traiter"),
}


@dataclass(frozen=True)
class Todo:
    """Something the team has to do: how many, what (a French label), how urgent, and where it
    is done (`url`, plus optional further `links` as (label, url)). The label agrees with the
    count (ngettext)."""

    label: str
    count: int
    url: str
    urgency: Urgency = Urgency.ROUTINE
    area: str = ""
    detail: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    key: str = ""  # stable name, "area.what" (tests, and later dismissal or notifications)


def dashboard_figures() -> list[Figure]:
    return [figure for module in area_modules("dashboard") for figure in module.figures()]


def dashboard_todos() -> list[Todo]:
    """The to-dos of every area that has something to do, most urgent first (areas in
    navigation order within one urgency)."""
    todos = [todo for module in area_modules("todos") for todo in module.todos() if todo.count]
    return sorted(todos, key=lambda todo: todo.urgency)

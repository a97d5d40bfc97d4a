"""Reads of the studies area: days sold vs spent per phase, the yearly board (pipeline by
status and month, win rate, revenue signed and invoiced vs the target, days sold) and the
staff workload per week. A fixed number of aggregate queries whatever the rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from placette.lib.money import ZERO
from placette.lib.sums import decimal_sum
from placette.studies.models import (
    Invoice,
    InvoiceKind,
    Mission,
    MissionMember,
    MissionStatus,
    Quote,
    QuoteStatus,
    RequestStatus,
    StudiesSettings,
    StudyRequest,
    TimeEntry,
)

MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


@dataclass
class PhaseDays:
    phase: Any
    sold: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.sold - self.spent


def mission_phases(mission: Mission) -> list[PhaseDays]:
    """Days sold, spent and remaining per phase (time without a phase in a last row)."""
    spent = dict(
        TimeEntry.objects.filter(mission=mission)
        .values("phase")
        .annotate(n=Sum("half_days"))
        .values_list("phase", "n")
    )
    rows = [
        PhaseDays(phase, phase.sold_days, Decimal(spent.get(phase.pk, 0)) / 2)
        for phase in mission.phases.all()
    ]
    if spent.get(None):
        rows.append(PhaseDays(None, ZERO, Decimal(spent[None]) / 2))
    return rows


@dataclass
class WeekLoad:
    monday: dt.date
    people: list[tuple[str, Decimal, Decimal]]  # (name, planned days, spent days)


@dataclass
class Board:
    year: int
    settings: StudiesSettings
    pipeline: list[dict[str, Any]]  # per status: label, count, per month
    months: list[str]
    requests: int
    won: int
    lost: int
    signed_net: Decimal
    signed_days: Decimal
    invoiced_net: Decimal
    credited_net: Decimal
    paid: Decimal
    overdue: Decimal
    missions_open: int
    workload: list[WeekLoad] = field(default_factory=list)

    @property
    def win_rate(self) -> Fraction | None:
        decided = self.won + self.lost
        return Fraction(self.won, decided) if decided else None

    @property
    def net_invoiced(self) -> Decimal:
        return self.invoiced_net - self.credited_net

    @property
    def signed_percent(self) -> Decimal:
        target = self.settings.revenue_target
        return (self.signed_net * 100 / target).quantize(Decimal("0.1")) if target else ZERO

    @property
    def invoiced_percent(self) -> Decimal:
        target = self.settings.revenue_target
        return (self.net_invoiced * 100 / target).quantize(Decimal("0.1")) if target else ZERO

    @property
    def days_percent(self) -> Decimal:
        target = self.settings.days_target
        return (self.signed_days * 100 / target).quantize(Decimal("0.1")) if target else ZERO


def yearly_board(year: int, today: dt.date | None = None, with_workload: bool = True) -> Board:
    today = today or timezone.localdate()
    settings = StudiesSettings.get()
    requests = StudyRequest.objects.filter(received_on__year=year)
    by_status_month = defaultdict(lambda: [0] * 12)
    for row in (
        requests.annotate(month=ExtractMonth("received_on"))
        .values("status", "month")
        .annotate(n=Count("id"))
    ):
        by_status_month[row["status"]][row["month"] - 1] = row["n"]
    pipeline = [
        {
            "status": status.value,
            "label": status.label,
            "months": by_status_month[status.value],
            "count": sum(by_status_month[status.value]),
        }
        for status in RequestStatus
    ]
    decided = Quote.objects.filter(decided_on__year=year).aggregate(
        won=Count("id", filter=Q(status=QuoteStatus.ACCEPTED)),
        lost=Count("id", filter=Q(status=QuoteStatus.REFUSED)),
        signed=decimal_sum("total_net", filter=Q(status=QuoteStatus.ACCEPTED)),
        days=Sum("total_days", filter=Q(status=QuoteStatus.ACCEPTED)),
    )
    invoiced = Invoice.objects.filter(issued_on__year=year).aggregate(
        invoiced=decimal_sum("total_net", filter=Q(kind=InvoiceKind.INVOICE)),
        credited=decimal_sum("total_net", filter=Q(kind=InvoiceKind.CREDIT_NOTE)),
        paid=decimal_sum("paid_amount", filter=Q(kind=InvoiceKind.INVOICE)),
    )
    overdue = Invoice.objects.overdue_on(today).aggregate(
        gross=decimal_sum("total_gross"),
        credited=decimal_sum("credited_gross"),
        paid=decimal_sum("paid_amount"),
    )
    return Board(
        year=year,
        settings=settings,
        pipeline=pipeline,
        months=MONTHS,
        requests=sum(row["count"] for row in pipeline),
        won=decided["won"],
        lost=decided["lost"],
        signed_net=decided["signed"],
        signed_days=Decimal(decided["days"] or 0).quantize(Decimal("0.1")),
        invoiced_net=invoiced["invoiced"],
        credited_net=invoiced["credited"],
        paid=invoiced["paid"],
        overdue=overdue["gross"] - overdue["credited"] - overdue["paid"],
        missions_open=Mission.objects.filter(status=MissionStatus.OPEN).count(),
        workload=workload(today) if with_workload else [],
    )


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def workload(today: dt.date, weeks_before: int = 4, weeks_after: int = 4) -> list[WeekLoad]:
    """Days per person and week: planned (each member's planned days spread evenly over the
    weeks of the open missions) and spent (time entries). Two queries."""
    first = _monday(today) - dt.timedelta(weeks=weeks_before)
    last = _monday(today) + dt.timedelta(weeks=weeks_after)
    mondays = [first + dt.timedelta(weeks=i) for i in range(weeks_before + weeks_after + 1)]
    planned: dict[tuple[int, dt.date], Decimal] = defaultdict(lambda: ZERO)
    names: dict[int, str] = {}
    members = MissionMember.objects.filter(
        mission__starts_on__lte=last + dt.timedelta(days=6),
        mission__ends_on__gte=first,
        planned_days__gt=0,
    ).values(
        "user",
        "user__display_name",
        "user__email",
        "planned_days",
        "mission__starts_on",
        "mission__ends_on",
    )
    for member in members:
        start, end = _monday(member["mission__starts_on"]), _monday(member["mission__ends_on"])
        weeks = (end - start).days // 7 + 1
        per_week = Decimal(member["planned_days"]) / weeks
        names[member["user"]] = member["user__display_name"] or member["user__email"]
        for monday in mondays:
            if start <= monday <= end:
                planned[member["user"], monday] += per_week
    spent: dict[tuple[int, dt.date], Decimal] = defaultdict(lambda: ZERO)
    for entry in TimeEntry.objects.filter(on__gte=first, on__lt=last + dt.timedelta(days=7)).values(
        "staff", "staff__display_name", "staff__email", "on", "half_days"
    ):
        names[entry["staff"]] = entry["staff__display_name"] or entry["staff__email"]
        spent[entry["staff"], _monday(entry["on"])] += Decimal(entry["half_days"]) / 2
    people = sorted(names, key=lambda pk: names[pk])
    return [
        WeekLoad(
            monday,
            [
                (
                    names[pk],
                    planned[pk, monday].quantize(Decimal("0.1")),
                    spent[pk, monday],
                )
                for pk in people
            ],
        )
        for monday in mondays
    ]

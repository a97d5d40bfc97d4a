"""Membership figures for the staff dashboard and the area's own dashboard page."""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from placette.lib import money
from placette.lib.dashboard import Figure
from placette.lib.sums import decimal_sum
from placette.membership import ledger, projections
from placette.membership.models import CapitalDay, Member, Statutes


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def newcomers_and_leavers(months: int = 12) -> list[tuple[dt.date, int, int]]:
    """(first day of month, members admitted, members who left) for the last `months` months."""
    today = timezone.localdate()
    start = _month_start(today)
    for _ in range(months - 1):
        start = _month_start(start - dt.timedelta(days=1))
    joined = dict(
        Member.objects.filter(admitted_on__gte=start)
        .annotate(m=TruncMonth("admitted_on"))
        .values_list("m")
        .annotate(n=Count("id"))
    )
    left = dict(
        Member.objects.filter(left_on__gte=start)
        .annotate(m=TruncMonth("left_on"))
        .values_list("m")
        .annotate(n=Count("id"))
    )
    result = []
    month = start
    while month <= today:
        result.append((month, joined.get(month, 0), left.get(month, 0)))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return result


def capital_by_month() -> list[tuple[dt.date, float, float]]:
    """Capital subscribed and paid up at the end of each month (running sums of monthly
    changes aggregated by the database)."""
    # One row per value date (CapitalDay), grouped by month in SQL: a few thousand rows, not
    # the million movements (SQLite's TruncMonth is a Python function called once per row).
    rows = (
        CapitalDay.objects.annotate(m=TruncMonth("date"))
        .values_list("m")
        .annotate(capital=decimal_sum("capital"), paid=decimal_sum("paid"))
        .order_by("m")
    )
    series = []
    capital = paid = ledger.ZERO
    for month, change, paid_change in rows:
        capital += change
        paid += paid_change
        series.append((month, capital, paid))
    return series


def capital_chart_svg() -> str:
    """Capital subscribed and paid up over time, as an SVG (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    series = capital_by_month()
    figure, axes = plt.subplots(figsize=(8, 3), dpi=100)
    if series:
        months = [m for m, _, _ in series]
        axes.plot(months, [float(c) for _, c, _ in series], label="Capital souscrit")
        axes.plot(months, [float(p) for _, _, p in series], label="Capital libéré")
        axes.legend(loc="upper left", frameon=False)
        # Years on the x axis (no English month abbreviations), French amounts on the y axis.
        from matplotlib import dates as mdates
        from matplotlib.ticker import FuncFormatter

        axes.xaxis.set_major_locator(mdates.YearLocator())
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        axes.yaxis.set_major_formatter(FuncFormatter(money.axis_euros))
    axes.grid(alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    buffer = io.StringIO()
    figure.tight_layout()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def month_label(day: dt.date) -> str:
    """« décembre 2025 », whatever the language active in the request."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def figures(capital: ledger.Capital | None = None) -> list[Figure]:
    """The area's figures; `capital` (today's) when the caller has it already."""
    today = timezone.localdate()
    capital = capital or projections.capital_on(today)
    members = Member.objects.active_on(today).count()
    statutes = Statutes.objects.in_force(today)
    target = statutes.growth_target if statutes else 0
    month = _month_start(today)
    joined = Member.objects.filter(admitted_on__gte=month).count()
    left = Member.objects.filter(left_on__gte=month).count()
    url = reverse("membership:home")
    progress = (
        f"{money.percent(members * 100 // target)} de l’objectif de {money.group_digits(target)}"
        if target
        else ""
    )
    return [
        Figure(
            "Sociétaires",
            money.group_digits(members),
            progress,
            reverse("membership:members"),
            "Sociétariat",
            extra=[(name, str(n)) for name, n in projections.members_by_college(today)],
        ),
        Figure(
            "Capital souscrit",
            money.euros(capital.subscribed),
            f"libéré : {money.euros(capital.paid)}",
            url,
            "Sociétariat",
        ),
        Figure(
            "Ce mois-ci",
            f"+{joined} / −{left}",
            "entrées / sorties de sociétaires",
            url,
            "Sociétariat",
        ),
    ]

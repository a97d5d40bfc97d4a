"""Headline figures of the portfolio at any date, computed by the database (a fixed number of
aggregate queries, whatever the number of places or schedule lines)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from placette.lib.money import ZERO
from placette.lib.sums import decimal_sum
from placette.places.models import (
    Activity,
    FinancingLine,
    FinancingSource,
    Lease,
    Operation,
    PlacesSettings,
    RentLine,
    RentRevision,
)

MONEY = DecimalField(max_digits=16, decimal_places=2)


@dataclass(frozen=True)
class HeadlineFigures:
    at: dt.date
    operations: int
    departments: int
    places_held: int
    area_bought: Decimal
    area_renovated: Decimal
    invested: Decimal
    by_source: list[tuple[str, Decimal]]
    financed: Decimal
    jobs_fte: Decimal
    activities_open: int
    rent_roll: Decimal
    arrears: Decimal
    arrears_lines: int
    goal: int

    @property
    def progress_percent(self) -> int:
        return min(round(100 * self.places_held / self.goal), 100) if self.goal else 0

    def rows(self) -> list[tuple[str, object]]:
        """Label/value pairs for the activity report export."""
        rows: list[tuple[str, object]] = [
            ("Date", self.at.strftime("%d/%m/%Y")),
            ("Opérations (acquisitions réalisées)", self.operations),
            ("Départements", self.departments),
            ("Lieux détenus", self.places_held),
            ("Objectif du réseau (lieux)", self.goal),
            ("Progression vers l’objectif (%)", self.progress_percent),
            ("Surface achetée (m²)", self.area_bought),
            ("Surface rénovée (m²)", self.area_renovated),
            ("Montant investi (€ : achat, frais, travaux)", self.invested),
            ("Financements obtenus (€)", self.financed),
        ]
        rows += [(f"dont {label} (€)", amount) for label, amount in self.by_source]
        rows += [
            ("Emplois dans les lieux (ETP)", self.jobs_fte),
            ("Activités ouvertes", self.activities_open),
            ("Loyers annuels en vigueur (€ HT)", self.rent_roll),
            ("Impayés échus (€)", self.arrears),
            ("Échéances impayées", self.arrears_lines),
        ]
        return rows


def headline_figures(at: dt.date) -> HeadlineFigures:
    acquired = Operation.objects.filter(acquired_on__lte=at)
    ops = acquired.aggregate(
        operations=Count("id"),
        departments=Count("place__department_code", distinct=True),
        held=Count("id", filter=Q(sold_on__isnull=True) | Q(sold_on__gt=at)),
        area_bought=decimal_sum("built_area"),
        area_renovated=decimal_sum("renovated_area", filter=Q(works_ended_on__lte=at)),
        price=decimal_sum("price"),
        fees=decimal_sum("notary_fees"),
        works=decimal_sum(Coalesce("works_cost", "works_budget"), filter=Q(works_ended_on__lte=at)),
    )
    sources = dict(
        FinancingLine.objects.filter(secured_on__lte=at)
        .values("source")
        .annotate(total=decimal_sum("amount"))
        .values_list("source", "total")
    )
    by_source = [(label, sources.get(value, ZERO)) for value, label in FinancingSource.choices]
    open_activities = Activity.objects.open_on(at).aggregate(
        count=Count("id"), jobs=decimal_sum("jobs_fte")
    )
    rent_at = Subquery(
        RentRevision.objects.filter(lease=OuterRef("pk"), effective_on__lte=at)
        .order_by("-effective_on")
        .values("new_rent")[:1],
        output_field=MONEY,
    )
    roll = (
        Lease.objects.in_force_on(at)
        .annotate(rent_at=Coalesce(rent_at, "initial_rent", output_field=MONEY))
        .aggregate(total=decimal_sum("rent_at"))
    )
    # Only the payments dated on or before `at` count (see RentLineQuerySet.unpaid_on).
    arrears = RentLine.objects.unpaid_on(at).aggregate(
        lines=Count("id"),
        total=decimal_sum("balance_at"),
    )
    return HeadlineFigures(
        at=at,
        operations=ops["operations"],
        departments=ops["departments"],
        places_held=ops["held"],
        area_bought=ops["area_bought"],
        area_renovated=ops["area_renovated"],
        invested=ops["price"] + ops["fees"] + ops["works"],
        by_source=by_source,
        financed=sum((amount for _, amount in by_source), ZERO),
        jobs_fte=open_activities["jobs"],
        activities_open=open_activities["count"],
        rent_roll=roll["total"] * 12,
        arrears=arrears["total"],
        arrears_lines=arrears["lines"],
        goal=PlacesSettings.get().network_goal,
    )

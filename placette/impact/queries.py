"""Reads of the impact area shared by its pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Prefetch, Q, QuerySet

from placette.impact.models import (
    Campaign,
    Dimension,
    Framework,
    Indicator,
    Invitation,
    Respondent,
    ResponseSource,
)
from placette.impact.sources import SOURCES, source_value


def frameworks_listed() -> QuerySet[Framework]:
    return Framework.objects.annotate(n_indicators=Count("indicators", distinct=True)).order_by(
        "-year"
    )


def framework_dimensions(framework: Framework) -> list[Dimension]:
    """The dimensions of a framework with their indicators (two queries)."""
    return list(
        framework.dimensions.prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk"))
        )
    )


def computed_attach(framework: Framework, dimensions: list[Dimension]) -> None:
    """Set `computed` on each computed indicator: its value for the framework's year (one read
    per source)."""
    cache: dict[str, Decimal | None] = {}
    for dim in dimensions:
        for indicator in dim.indicators.all():
            if indicator.source:
                if indicator.source not in cache:
                    cache[indicator.source] = source_value(indicator.source, framework.year)
                indicator.computed = cache[indicator.source]  # type: ignore[attr-defined]
                indicator.computed_money = SOURCES[indicator.source].money  # type: ignore[attr-defined]


@dataclass
class PlaceRow:
    place_id: int
    name: str
    expected: int = 0
    submitted: int = 0
    drafts: int = 0
    inhabitants: int = 0
    paper: int = 0
    link: str = ""

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.submitted, self.expected) if self.expected else None


@dataclass
class Board:
    rows: list[PlaceRow]

    @property
    def expected(self) -> int:
        return sum(r.expected for r in self.rows)

    @property
    def submitted(self) -> int:
        return sum(r.submitted for r in self.rows)

    @property
    def drafts(self) -> int:
        return sum(r.drafts for r in self.rows)

    @property
    def inhabitants(self) -> int:
        return sum(r.inhabitants for r in self.rows)

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.submitted, self.expected) if self.expected else None


def campaign_board(campaign: Campaign) -> Board:
    """Expected against received answers per place (activities: invited, submitted, draft;
    inhabitants: answers online and on paper). Four queries whatever the rows."""
    rows = {
        p.pk: PlaceRow(p.pk, p.name) for p in campaign.places.order_by("name").only("pk", "name")
    }
    for row in (
        campaign.invitations.values("activity__place_id")
        .order_by()
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(response__submitted_at__isnull=False)),
            draft=Count(
                "pk", filter=Q(response__isnull=False, response__submitted_at__isnull=True)
            ),
        )
    ):
        place = rows.get(row["activity__place_id"])
        if place:
            place.expected, place.submitted, place.drafts = row["n"], row["done"], row["draft"]
    for row in (
        campaign.responses.filter(respondent=Respondent.INHABITANTS)
        .values("place_id")
        .order_by()
        .annotate(n=Count("pk"), paper=Count("pk", filter=Q(source=ResponseSource.PAPER)))
    ):
        place = rows.get(row["place_id"])
        if place:
            place.inhabitants, place.paper = row["n"], row["paper"]
    for link in campaign.links.only("place_id", "token"):
        if link.place_id in rows:
            rows[link.place_id].link = link.get_absolute_url()
    return Board(list(rows.values()))


def campaigns_listed() -> QuerySet[Campaign]:
    return (
        Campaign.objects.select_related("framework")
        .annotate(
            n_expected=Count("invitations", distinct=True),
            n_submitted=Count(
                "responses",
                filter=Q(
                    responses__respondent=Respondent.ACTIVITY, responses__submitted_at__isnull=False
                ),
                distinct=True,
            ),
            n_inhabitants=Count(
                "responses", filter=Q(responses__respondent=Respondent.INHABITANTS), distinct=True
            ),
        )
        .order_by("-opens_on", "-pk")
    )


def invitations_of(campaign: Campaign) -> QuerySet[Invitation]:
    return campaign.invitations.select_related("activity__place", "response").order_by(
        "activity__place__name", "activity__name"
    )

"""Results of a year: each indicator aggregated over the submitted answers of the year's
campaigns (sums for numbers, means and shares for scales and instruments with their count of
answers, shares for yes/no, counts per choice), testimonies never averaged (a count and the
quotes their authors agreed to publish, without names), computed sources read from the other
areas, and the previous year beside each figure (same code). A fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, F, Q

from placette.impact.models import Answer, Campaign, Framework, Indicator, Respondent, Response
from placette.impact.sources import SOURCES, source_value
from placette.lib.sums import decimal_sum

QUOTES_MAX = 6


@dataclass
class Result:
    indicator: Indicator
    n: int = 0
    total: Decimal | None = None  # numbers: the sum over the places
    mean: Decimal | None = None  # percentages, scales, instruments
    share: Fraction | None = None  # at or above the threshold; yes for yes/no
    choices: list[tuple[str, int]] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    computed: Decimal | None = None
    money: bool = False
    previous: Decimal | None = None  # the same headline figure a year before

    @property
    def headline(self) -> Decimal | None:
        """The one figure compared year against year."""
        if self.computed is not None:
            return self.computed
        if self.indicator.kind == "number":
            return self.total
        if self.indicator.kind == "yesno" and self.share is not None:
            return Decimal(self.share.numerator * 100) / self.share.denominator
        return self.mean


@dataclass
class DimensionResults:
    name: str
    results: list[Result]


@dataclass
class YearResults:
    year: int
    framework: Framework | None
    dimensions: list[DimensionResults]
    expected: int
    submitted: int
    inhabitants: int
    places: int

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.submitted, self.expected) if self.expected else None


def _quantize(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def _headlines(framework: Framework | None) -> dict[str, Decimal | None]:
    if framework is None:
        return {}
    return {
        r.indicator.code: r.headline
        for d in year_results(framework.year, previous=False).dimensions
        for r in d.results
    }


def year_results(year: int, *, previous: bool = True) -> YearResults:
    framework = Framework.objects.filter(year=year).first()
    if framework is None:
        return YearResults(year, None, [], 0, 0, 0, 0)
    answers = Answer.objects.filter(
        response__campaign__framework=framework, response__submitted_at__isnull=False
    )
    numbers = {
        row["indicator_id"]: row
        for row in answers.exclude(value__isnull=True)
        .values("indicator_id")
        .order_by()
        .annotate(
            n=Count("pk"),
            total=decimal_sum("value"),
            high=Count("pk", filter=Q(value__gte=F("indicator__threshold"))),
            yes=Count("pk", filter=Q(value=1)),
        )
    }
    texts: dict[int, Counter[str]] = defaultdict(Counter)
    quotes: dict[int, list[str]] = defaultdict(list)
    for indicator_id, kind, text, publish in (
        answers.exclude(text="")
        .filter(indicator__kind__in=["text", "choice"])
        .values_list("indicator_id", "indicator__kind", "text", "publish")
        .order_by("pk")
    ):
        texts[indicator_id][text if kind == "choice" else ""] += 1
        if kind == "text" and publish and len(quotes[indicator_id]) < QUOTES_MAX:
            quotes[indicator_id].append(text)
    before = _headlines(Framework.objects.filter(year=year - 1).first()) if previous else {}
    dimensions = []
    for dim in framework.dimensions.prefetch_related("indicators"):
        rows = []
        for i in dim.indicators.all():
            r = Result(i, previous=before.get(i.code))
            if i.source:
                r.computed = source_value(i.source, year)
                r.money = SOURCES[i.source].money
            elif i.kind in ("text", "choice"):
                r.n = sum(texts[i.pk].values())
                r.choices = sorted(
                    ((c, n) for c, n in texts[i.pk].items() if c), key=lambda x: -x[1]
                )
                r.quotes = quotes[i.pk]
            elif i.pk in numbers:
                row = numbers[i.pk]
                r.n = row["n"]
                r.total = _quantize(row["total"])
                r.mean = _quantize(row["total"] / row["n"])
                if i.kind == "yesno":
                    r.share = Fraction(row["yes"], row["n"])
                elif i.threshold is not None:
                    r.share = Fraction(row["high"], row["n"])
            rows.append(r)
        dimensions.append(DimensionResults(dim.name, rows))
    campaigns = Campaign.objects.filter(framework=framework)
    counts = campaigns.aggregate(
        expected=Count("invitations", distinct=True),
        places=Count("places", distinct=True),
    )
    responses = Response.objects.filter(
        campaign__framework=framework, submitted_at__isnull=False
    ).aggregate(
        submitted=Count("pk", filter=Q(respondent=Respondent.ACTIVITY)),
        inhabitants=Count("pk", filter=Q(respondent=Respondent.INHABITANTS)),
    )
    return YearResults(
        year,
        framework,
        dimensions,
        counts["expected"],
        responses["submitted"],
        responses["inhabitants"],
        counts["places"],
    )

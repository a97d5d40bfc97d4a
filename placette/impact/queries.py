"""Reads of the impact area shared by its pages."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from placette.impact.models import Dimension, Framework, Indicator
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

"""The global search of the top bar. Each area contributes `placette/<app>/search.py` with
`search(query: str, limit: int) -> list[SearchGroup]`: at most `limit` hits per group, and
`has_more` when there are others (each area fetches `limit + 1` rows, never counts), with a link
to its own list filtered by the query when it has one. A fixed number of queries per area."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from placette.lib.areas import area_modules

# The top bar's suggestions show a few hits per kind; the results page more.
SUGGESTIONS = 5
RESULTS = 20
MIN_LENGTH = 2


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class SearchGroup:
    kind: str  # French, plural: « Contacts », « Sociétaires », « Lieux », « Réunions »
    hits: list[SearchHit] = field(default_factory=list)
    has_more: bool = False
    more_url: str = ""  # the area's list filtered by the query, when it has one


def group_of(
    kind: str, rows: Sequence[Any], limit: int, hit: Any, more_url: str = ""
) -> SearchGroup:
    """A group from `limit + 1` fetched rows: the extra row only says there are more."""
    return SearchGroup(kind, [hit(row) for row in rows[:limit]], len(rows) > limit, more_url)


def search_all(query: str, limit: int = RESULTS) -> list[SearchGroup]:
    """The groups of every area that found something, in navigation order."""
    query = " ".join(query.split())
    if len(query) < MIN_LENGTH:
        return []
    return [
        group
        for module in area_modules("search")
        for group in module.search(query, limit)
        if group.hits
    ]

"""The engagement ladder's arithmetic, pure Python (no Django): which level a person reaches
from the number of actions each rule counted. A level is reached when its rule holds (at
least `min_actions` actions of its kinds in the `window_months` months up to the date); the
highest rank reached wins. Read by `engagement.py`, tested on its own."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    level_id: int
    name: str
    rank: int
    min_actions: int
    window_months: int
    kinds: tuple[str, ...]


def months_before(on: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the last day of a shorter month)."""
    total = on.year * 12 + on.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(on.day, calendar.monthrange(year, month)[1]))


def window_start(rule: Rule, on: dt.date) -> dt.date:
    """Actions strictly after this day and up to `on` (included) count for `rule`."""
    return months_before(on, rule.window_months)


def level_reached(rules: Sequence[Rule], counts: Mapping[int, int]) -> Rule | None:
    """The highest-ranked rule whose count (by `level_id`, 0 when absent) reaches its minimum."""
    best: Rule | None = None
    for rule in rules:
        if counts.get(rule.level_id, 0) >= rule.min_actions and (
            best is None or rule.rank > best.rank
        ):
            best = rule
    return best


def next_rule(rules: Sequence[Rule], reached: Rule | None) -> Rule | None:
    """The lowest-ranked rule above `reached` (what the person would reach next)."""
    above = [r for r in rules if reached is None or r.rank > reached.rank]
    return min(above, key=lambda r: r.rank) if above else None

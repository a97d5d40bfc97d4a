"""Reads of the engagement ladder: the rules in force at a date, a person's level with the
reason, the funnel (everyone's level in two queries), members without interaction. The
arithmetic is in `levels.py`; the actions are the contact's timeline entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from placette.community import levels
from placette.community.models import EngagementLevel
from placette.contacts.models import Contact, ContactKind, TimelineEntry, TimelineKind

# What a level counts by default: attending, voting, subscribing, a meeting with the team.
DEFAULT_KINDS = (
    TimelineKind.EVENT,
    TimelineKind.VOTE,
    TimelineKind.SUBSCRIPTION,
    TimelineKind.MEETING,
)
# Entries that are bookkeeping, not an interaction with the person.
NOT_INTERACTION = (
    TimelineKind.CREATED,
    TimelineKind.UPDATED,
    TimelineKind.MERGED,
    TimelineKind.IMPORTED,
)
DORMANT_MONTHS = 12


def _end_of(on: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


def ladder_on(on: dt.date) -> list[levels.Rule]:
    rows = EngagementLevel.objects.filter(valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=on)
    )
    return [
        levels.Rule(row.pk, row.name, row.rank, row.min_actions, row.window_months, row.kinds)
        for row in rows.order_by("rank", "id")
    ]


def _counted(rules: list[levels.Rule], on: dt.date) -> dict[str, Count]:
    return {
        f"n{rule.level_id}": Count(
            "id",
            filter=Q(kind__in=rule.kinds, at__gte=_end_of(levels.window_start(rule, on))),
        )
        for rule in rules
    }


def _entries(rules: list[levels.Rule], on: dt.date) -> QuerySet[TimelineEntry]:
    earliest = min(levels.window_start(rule, on) for rule in rules)
    return TimelineEntry.objects.filter(at__lt=_end_of(on), at__gte=_end_of(earliest))


@dataclass(frozen=True)
class LevelResult:
    name: str
    rank: int
    reason: str


def _reason(rule: levels.Rule, count: int, on: dt.date) -> str:
    since = levels.window_start(rule, on)
    return ngettext(
        "%(n)d action comptée du %(since)s au %(on)s (au moins %(min)d pour « %(level)s »)",
        "%(n)d actions comptées du %(since)s au %(on)s (au moins %(min)d pour « %(level)s »)",
        count,
    ) % {
        "n": count,
        "since": f"{since + dt.timedelta(days=1):%d/%m/%Y}",
        "on": f"{on:%d/%m/%Y}",
        "min": rule.min_actions,
        "level": rule.name,
    }


def level_of(contact: Contact, on: dt.date | None = None) -> LevelResult | None:
    """The contact's level at `on` (today by default) under the rules in force that day, with
    the reason in words; None when no ladder is defined. Two queries."""
    on = on or timezone.localdate()
    rules = ladder_on(on)
    if not rules:
        return None
    counts = _entries(rules, on).filter(contact=contact).aggregate(**_counted(rules, on))
    by_level = {rule.level_id: counts[f"n{rule.level_id}"] for rule in rules}
    reached = levels.level_reached(rules, by_level)
    if reached is None:
        first = levels.next_rule(rules, None)
        assert first is not None
        return LevelResult(_("Aucun niveau"), -1, _reason(first, by_level[first.level_id], on))
    reason = _reason(reached, by_level[reached.level_id], on)
    upper = levels.next_rule(rules, reached)
    if upper is not None:
        reason += " ; " + _("prochain niveau : %(r)s") % {
            "r": _reason(upper, by_level[upper.level_id], on)
        }
    return LevelResult(reached.name, reached.rank, reason)


@dataclass(frozen=True)
class FunnelStep:
    rule: levels.Rule | None
    count: int


def funnel(on: dt.date) -> list[FunnelStep]:
    """How many persons stand at each level at `on` (the rules and the timeline of that date),
    highest level first, then those at no level. Three queries whatever the rows."""
    rules = ladder_on(on)
    persons = Contact.objects.filter(kind=ContactKind.PERSON, created_at__lt=_end_of(on))
    total = persons.count()
    if not rules:
        return [FunnelStep(None, total)]
    per_level = dict.fromkeys([r.level_id for r in rules], 0)
    seen = 0
    rows = (
        _entries(rules, on)
        .filter(contact__in=persons)
        .values("contact_id")
        .annotate(**_counted(rules, on))
        .values_list(*[f"n{r.level_id}" for r in rules])
    )
    ids = [r.level_id for r in rules]
    for row in rows.iterator(chunk_size=5000):
        seen += 1
        reached = levels.level_reached(rules, dict(zip(ids, row, strict=True)))
        if reached is not None:
            per_level[reached.level_id] += 1
    # Persons without any entry in the windows reach only a level asking for no action.
    base = levels.level_reached(rules, {})
    if base is not None:
        per_level[base.level_id] += total - seen
    steps = [FunnelStep(r, per_level[r.level_id]) for r in sorted(rules, key=lambda r: -r.rank)]
    steps.append(FunnelStep(None, total - sum(per_level.values())))
    return steps


def dormant_members(on: dt.date | None = None, months: int = DORMANT_MONTHS) -> QuerySet[Contact]:
    """Contacts who are members at `on` and have no interaction on their timeline in the last
    `months` months (bookkeeping entries do not count); `last_interaction` annotated."""
    from placette.membership.models import Member

    on = on or timezone.localdate()
    since = _end_of(levels.months_before(on, months))
    interactions = TimelineEntry.objects.filter(contact=OuterRef("pk")).exclude(
        kind__in=NOT_INTERACTION
    )
    members = Member.objects.active_on(on).values("contact_id")
    return (
        Contact.objects.filter(pk__in=members)
        .exclude(Exists(interactions.filter(at__gte=since, at__lt=_end_of(on))))
        .annotate(last_interaction=Subquery(interactions.order_by("-at").values("at")[:1]))
        .order_by("name_key", "pk")
    )

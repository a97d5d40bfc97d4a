"""Projections of the share ledger at any date, computed by the database (aggregations).

"Who held what on 31 December 2024", "what was the capital on the AG cut-off date", "who could
vote": every function takes a date and sums the movements dated on or before it. Nothing here
loops over movements in Python; the rules applied to the sums live in `ledger.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Expression,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from placette.contacts.models import Contact
from placette.lib.sums import decimal_sum
from placette.membership import ledger
from placette.membership.models import (
    ZERO,
    CapitalDay,
    Category,
    CategoryChange,
    HolderBalance,
    Member,
    Movement,
    MovementKind,
    Statutes,
)

_SUMS = {
    "shares": Coalesce(Sum("shares"), 0),
    "capital": decimal_sum("capital"),
    "called": decimal_sum("called"),
    "paid": decimal_sum("paid"),
}


def _dated(on: dt.date | None) -> QuerySet[Movement]:
    queryset = Movement.objects.all()
    return queryset if on is None else queryset.filter(date__lte=on)


def holding_of(contact: Contact | int, on: dt.date | None = None) -> ledger.Holding:
    """One holder's account on `on` (every movement when None).

    Read from the running balance (`HolderBalance`, one row) when it holds no movement dated
    after `on` — the usual case when booking; otherwise summed from the movements up to `on`
    (one aggregate query on the (holder, date) index)."""
    contact_id = contact if isinstance(contact, int) else contact.pk
    balance = HolderBalance.objects.filter(holder_id=contact_id).first()
    if balance is None:
        return ledger.Holding(0, ZERO, ZERO, ZERO)
    if on is None or (balance.last_date is not None and balance.last_date <= on):
        return ledger.Holding(balance.shares, balance.capital, balance.called, balance.paid)
    row = _dated(on).filter(holder_id=contact_id).aggregate(**_SUMS)
    return ledger.Holding(row["shares"], row["capital"], row["called"], row["paid"])


def balances_current(on: dt.date | None) -> bool:
    """True when no movement is dated after `on`: the running balances are the holdings."""
    if on is None:
        return True
    last = Movement.objects.aggregate(last=Max("date"))["last"]  # the date index: O(log n)
    return last is None or last <= on


def balances_rebuild() -> int:
    """Recompute every running balance from the ledger (the source of truth); returns the
    number of holders. For a restore, a bulk import that bypassed `Movement.save`, or a check."""
    from django.db import transaction

    with transaction.atomic():
        HolderBalance.objects.all().delete()
        rows = (
            Movement.objects.values("holder_id")
            .annotate(last_date=Max("date"), **_SUMS)
            .order_by("holder_id")
        )
        batch = [HolderBalance(**row) for row in rows.iterator(chunk_size=10_000)]
        HolderBalance.objects.bulk_create(batch, batch_size=5_000)
        capital_days_rebuild()
    return len(batch)


def holdings_on(on: dt.date | None = None) -> QuerySet:
    """Every non-empty account on `on`: rows of holder_id, shares, capital, called, paid."""
    return (
        _dated(on)
        .values("holder_id")
        .annotate(**_SUMS)
        .exclude(shares=0, capital=0, called=0, paid=0)
        .order_by("holder_id")
    )


def capital_on(on: dt.date | None = None) -> ledger.Capital:
    """Shares, capital subscribed, called and paid up, and holders of shares on `on`.

    From the running balances (one row per holder) when no movement is dated after `on`;
    otherwise the totals are one sum over the daily changes (`CapitalDay`, exact Decimal) and
    the number of holders one count by the database over the grouped movements up to `on`
    (covering index on holder, date and shares) — no Python loop over rows."""
    if balances_current(on):
        row = HolderBalance.objects.aggregate(
            n=Coalesce(Sum("shares"), 0),
            c=decimal_sum("capital"),
            k=decimal_sum("called"),
            p=decimal_sum("paid"),
            holders=Count("pk", filter=Q(shares__gt=0)),
        )
        return ledger.Capital(row["n"], row["c"], row["k"], row["p"], row["holders"])
    totals = CapitalDay.objects.filter(date__lte=on).aggregate(
        n=Coalesce(Sum("shares"), 0),
        c=decimal_sum("capital"),
        k=decimal_sum("called"),
        p=decimal_sum("paid"),
    )
    # holders of at least one share that day: counted by the database over the grouped sums
    holders = (
        _dated(on).order_by().values("holder_id").annotate(n=Sum("shares")).filter(n__gt=0)
    ).count()
    return ledger.Capital(totals["n"], totals["c"], totals["k"], totals["p"], holders)


def highest_capital(on: dt.date | None = None) -> Decimal:
    """The highest subscribed capital reached up to `on` (end of day), for the capital floor.

    From the daily changes (`CapitalDay.peak`, one row per day): a cancelled movement and its
    cancellation do not count, so a booking error cancelled later never raises the floor."""
    days = CapitalDay.objects.order_by("date").values_list("date", "peak")
    if on is not None:
        days = days.filter(date__lte=on)
    return ledger.highest_capital(days)


def subscribed_on(on: dt.date | None = None) -> Decimal:
    """The subscribed capital on `on`: one exact sum over the daily changes (`CapitalDay`, a
    row per day with a capital change), not over the movements."""
    days = CapitalDay.objects.all() if on is None else CapitalDay.objects.filter(date__lte=on)
    return days.aggregate(total=decimal_sum("capital"))["total"]


def capital_days_rebuild() -> int:
    """Recompute the daily capital changes from the ledger (see `CapitalDay`)."""
    days: dict[dt.date, CapitalDay] = {}
    for row in Movement.objects.values("date").annotate(**_SUMS).order_by("date"):
        days[row["date"]] = CapitalDay(peak=ZERO, **row)
    effective = Movement.objects.exclude(kind=MovementKind.CANCELLATION).filter(
        reversed_by__isnull=True
    )
    for day, change in (
        effective.values_list("date").annotate(c=decimal_sum("capital")).order_by("date")
    ):
        days[day].peak = change
    CapitalDay.objects.all().delete()
    CapitalDay.objects.bulk_create(days.values(), batch_size=5_000)
    return len(days)


def shares_at(on: dt.date) -> Subquery:
    """A subquery giving the shares the contact of the outer row (a Member) held on `on`."""
    return Subquery(
        Movement.objects.filter(holder_id=OuterRef("contact_id"), date__lte=on)
        .order_by()
        .values("holder_id")
        .annotate(total=Sum("shares"))
        .values("total")[:1],
        output_field=IntegerField(),
    )


def members_on(on: dt.date) -> QuerySet[Member]:
    """Members who were associés on `on`, with `shares_on` (shares held that day) and
    `category_on` (the id of their category that day, from the category history)."""
    return (
        Member.objects.active_on(on)
        .select_related("contact", "category")
        .annotate(shares_on=Coalesce(shares_at(on), 0), category_on=category_at(on))
    )


@dataclass(frozen=True)
class RollEntry:
    """One line of the electoral roll."""

    contact_id: int
    member_number: int | None
    name: str
    category: str
    college: str | None
    shares: int


def category_at(on: dt.date) -> Expression | F:
    """An expression giving the category id of the outer Member on `on`.

    The latest line of its category history effective on or before `on` (a correlated
    subquery on the (member, effective_on) index); the cached `Member.category` when the date
    is today or later (the cache is the latest line effective today, and no line is dated in
    the future) or when a member has no history (rows bulk-loaded without it)."""
    if on >= timezone.localdate():
        return F("category_id")
    latest = (
        CategoryChange.objects.filter(member_id=OuterRef("pk"), effective_on__lte=on)
        .order_by("-effective_on", "-id")
        .values("category_id")[:1]
    )
    return Coalesce(
        Subquery(latest, output_field=IntegerField()),
        F("category_id"),
        output_field=IntegerField(),
    )


def electoral_roll(on: dt.date) -> list[RollEntry]:
    """The members who could vote on `on`, with their category, college and shares.

    One member, one vote whatever the capital held (loi 47-1775): `shares` is informative
    only. The category is the one effective on `on` (category history); the college comes from
    the statutes version in force on `on` (each category maps to one college); without colleges
    it is None. Ordered by member number. A handful of queries: the shares come from one
    grouped pass (or the running balances), never a subquery per member.
    """
    statutes = Statutes.objects.in_force(on)
    colleges: dict[int, str | None] = {}
    if statutes is not None and statutes.colleges_enabled:
        colleges = {
            rule.category_id: (rule.college.name if rule.college else None)
            for rule in statutes.rules.select_related("college")
        }
    if balances_current(on):
        shares = dict(HolderBalance.objects.values_list("holder_id", "shares"))
    else:
        shares = dict(
            _dated(on)
            .order_by()
            .values("holder_id")
            .annotate(n=Sum("shares"))
            .values_list("holder_id", "n")
        )
    categories = dict(Category.objects.values_list("id", "name"))
    rows = (
        Member.objects.active_on(on)
        .annotate(category_on=category_at(on))
        .order_by("number", "id")
        .values_list("contact_id", "number", "contact__display_name", "category_on")
    )
    return [
        RollEntry(
            contact_id=contact_id,
            member_number=number,
            name=name,
            category=categories[category_id],
            college=colleges.get(category_id),
            shares=shares.get(contact_id) or 0,
        )
        for contact_id, number, name, category_id in rows.iterator(chunk_size=10_000)
    ]


def _count_by_category(on: dt.date) -> dict[int, int]:
    """Members active on `on` per category effective that day (one grouped query)."""
    return dict(
        Member.objects.active_on(on)
        .annotate(category_on=category_at(on))
        .order_by()
        .values("category_on")
        .annotate(n=Count("id"))
        .values_list("category_on", "n")
    )


def members_by_category(on: dt.date) -> list[tuple[str, int]]:
    """Members per category on `on` (the category effective that day), in category order."""
    counts = _count_by_category(on)
    return [
        (category.name, counts[category.pk])
        for category in Category.objects.filter(pk__in=list(counts))
        if counts[category.pk]
    ]


def members_by_college(on: dt.date) -> list[tuple[str, int]]:
    """Members per voting college on `on` (categories effective that day, mapped through the
    statutes in force)."""
    statutes = Statutes.objects.in_force(on)
    if statutes is None or not statutes.colleges_enabled:
        return []
    by_category = _count_by_category(on)
    totals: dict[str, int] = {w.college.name: 0 for w in statutes.weights.select_related("college")}
    for rule in statutes.rules.select_related("college"):
        if rule.college is not None:
            totals[rule.college.name] = totals.get(rule.college.name, 0) + by_category.get(
                rule.category_id, 0
            )
    return list(totals.items())


def pending_requests() -> QuerySet[Movement]:
    """Refund requests waiting for a board decision (no standing decision, not cancelled)."""
    decided = Movement.objects.filter(
        kind=MovementKind.REFUND_DECISION, reversed_by__isnull=True
    ).values("related_id")
    return (
        Movement.objects.filter(kind=MovementKind.REFUND_REQUEST, reversed_by__isnull=True)
        .exclude(pk__in=decided)
        .select_related("holder")
        .order_by("date", "number")
    )


def pending_refund_shares(contact: Contact | int, on: dt.date | None = None) -> int:
    """Shares under a refund request that has no decision yet and is not cancelled — on `on`
    when given: requests dated on or before it, without a decision or cancellation dated on or
    before it."""
    contact_id = contact if isinstance(contact, int) else contact.pk
    if on is None:
        pending = pending_requests().filter(holder_id=contact_id)
    else:
        closed = Movement.objects.filter(
            Q(kind=MovementKind.REFUND_DECISION, reversed_by__isnull=True)
            | Q(kind=MovementKind.CANCELLATION),
            holder_id=contact_id,
            date__lte=on,
        )
        pending = Movement.objects.filter(
            holder_id=contact_id, kind=MovementKind.REFUND_REQUEST, date__lte=on
        ).exclude(
            Q(pk__in=closed.filter(kind=MovementKind.REFUND_DECISION).values("related_id"))
            | Q(pk__in=closed.filter(kind=MovementKind.CANCELLATION).values("reverses_id"))
        )
    row = pending.aggregate(n=Coalesce(Sum("quantity"), 0))
    return row["n"]


def refunds_to_pay() -> QuerySet[Movement]:
    """Accepted refund decisions not yet paid (and not cancelled)."""
    paid = Movement.objects.filter(
        kind=MovementKind.REFUND_PAYMENT, reversed_by__isnull=True
    ).values("related_id")
    return (
        Movement.objects.filter(
            kind=MovementKind.REFUND_DECISION, accepted=True, reversed_by__isnull=True
        )
        .exclude(pk__in=paid)
        .select_related("holder")
        .order_by("date", "number")
    )


def authorities_capital(on: dt.date | None = None) -> Decimal:
    """Capital subscribed by local authorities (communes, EPCI, départements, régions) or by
    members of a category flagged as local authorities."""
    from placette.contacts.models import LOCAL_AUTHORITY_KINDS

    if balances_current(on):
        row = HolderBalance.objects.filter(
            Q(holder__org_kind__in=LOCAL_AUTHORITY_KINDS)
            | Q(holder__member__category__is_local_authorities=True)
        ).aggregate(total=decimal_sum("capital"))
        return row["total"]
    row = (
        _dated(on)
        .filter(
            Q(holder__org_kind__in=LOCAL_AUTHORITY_KINDS)
            | Q(holder__member__category__is_local_authorities=True)
        )
        .aggregate(total=decimal_sum("capital"))
    )
    return row["total"]

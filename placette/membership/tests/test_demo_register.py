"""The demo register is true at every month-end since 2018 (issue 10).

Recomputed independently of the projections: the movements are read as plain rows and summed
in this test, month by month; the projections, the members and the frozen snapshot are
compared with that recomputation. The AG rolls of the demo are checked on the governance side
(governance/tests/test_demo.py: membership never imports governance)."""

import datetime as dt
import io
import random
from collections import defaultdict
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from placette.membership.models import (
    CategoryChange,
    Member,
    Movement,
    MovementKind,
    Statutes,
)


def _month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    days = []
    month = start.replace(day=1)
    while True:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        last = following - dt.timedelta(days=1)
        if last > end:
            return days
        days.append(last)
        month = following


@pytest.fixture(scope="module")
def demo_register(django_db_setup, django_db_blocker):
    """The demo seeded once for this module (in its own transaction, rolled back after)."""
    from django.db import transaction

    from placette.contacts import demo as contacts_demo
    from placette.membership import demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            contacts_demo.seed(random.Random("placette-contacts"), io.StringIO())
            demo.seed(random.Random("placette-membership"), io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_the_demo_register_is_true_at_every_month_end_since_2018(demo_register):
    from placette.membership import projections

    rows = list(
        Movement.objects.order_by("date", "number").values_list(
            "date", "holder_id", "shares", "capital", "paid", "called"
        )
    )
    assert len(rows) > 800
    periods = list(Member.objects.values_list("contact_id", "admitted_on", "left_on", "number"))
    shares: dict[int, int] = defaultdict(int)
    money: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    index = 0
    checked = 0
    for day in _month_ends(dt.date(2018, 1, 1), timezone.localdate()):
        while index < len(rows) and rows[index][0] <= day:
            _, holder, n, capital, paid, called = rows[index]
            shares[holder] += n
            account = money[holder]
            account[0] += capital
            account[1] += paid
            account[2] += called
            index += 1
        negative = {h: n for h, n in shares.items() if n < 0}
        assert not negative, f"holdings below zero on {day}: {negative}"
        over_paid = [h for h, (c, p, k) in money.items() if p > k or k > c or p < 0]
        assert not over_paid, f"more paid than called on {day}: {over_paid}"
        holders = {h for h, n in shares.items() if n > 0}
        members = {
            contact
            for contact, admitted, left, _ in periods
            if admitted is not None and admitted <= day and (left is None or left > day)
        }
        assert holders <= members, f"holders not members on {day}: {holders - members}"
        assert members <= holders, f"members without shares on {day}: {members - holders}"
        # the projections at that date say the same
        projected = {row["holder_id"]: row["shares"] for row in projections.holdings_on(day)}
        assert {h: n for h, n in projected.items() if n} == {h: n for h, n in shares.items() if n}
        capital = projections.capital_on(day)
        assert capital.subscribed == sum((c for c, _, _ in money.values()), Decimal(0))
        assert capital.holders == len(holders)
        assert projections.subscribed_on(day) == capital.subscribed
        checked += 1
    assert checked >= 12 * 8


@pytest.mark.django_db
def test_every_frozen_year_of_the_demo_equals_the_recomputation_and_stays_so(demo_register):
    from placette.lib.refusals import Refusal
    from placette.membership import register, services

    last = timezone.localdate().year - 1
    with mock.patch.object(register, "pdf", return_value=b"%PDF-1.4 test"):
        snapshots = [
            services.register_snapshot_create(actor=None, on=dt.date(year, 12, 31))
            for year in range(2018, last + 1)
        ]
    rows = list(Movement.objects.values_list("date", "holder_id", "shares", "capital", "paid"))
    for snapshot in snapshots:
        held: dict[int, int] = defaultdict(int)
        capital = paid = Decimal(0)
        for on, holder, n, c, p in rows:
            if on <= snapshot.on:
                held[holder] += n
                capital += c
                paid += p
        assert (snapshot.shares, snapshot.capital, snapshot.paid) == (
            sum(held.values()),
            capital,
            paid,
        ), snapshot.on
        assert snapshot.holders == sum(1 for n in held.values() if n > 0)
        assert snapshot.members == snapshot.holders
    # a booking inside a frozen year is refused: the snapshots stay the truth
    member = Member.objects.filter(left_on__isnull=True).select_related("contact").first()
    before = Movement.objects.count()
    for on in (dt.date(last, 12, 31), dt.date(2019, 6, 30)):
        with pytest.raises(Refusal, match="registre est arrêté"):
            services.shares_subscribe(actor=None, contact=member.contact, shares=1, on=on)
    assert Movement.objects.count() == before


def _in_force(versions: list[tuple[dt.date, int]], day: dt.date) -> int | None:
    """The id of the latest version or line dated on or before `day` (plain bisect-free walk)."""
    found = None
    for effective, value in versions:
        if effective <= day:
            found = value
    return found


@pytest.mark.django_db
def test_the_demo_keeps_category_minimums_and_the_capital_floor_at_every_date(demo_register):
    """Recomputed from the raw rows: at every month-end each member holds at least the minimum
    (at most the maximum) of the category they have that day under the statutes in force that
    day; after every accepted refund the capital is at or above the floor of that day (the
    statutory share of the highest capital reached so far, cancelled bookings left out, and
    the fixed floor), and at every month-end above the share of the highest capital."""
    statutes = {
        s.pk: (s, {r.category_id: r for r in s.rules.all()})
        for s in Statutes.objects.prefetch_related("rules")
    }
    versions = sorted((s.effective_from, pk) for pk, (s, _) in statutes.items())
    lines: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for contact, effective, category in CategoryChange.objects.order_by(
        "effective_on", "id"
    ).values_list("member__contact_id", "effective_on", "category_id"):
        lines[contact].append((effective, category))
    cached = dict(Member.objects.values_list("contact_id", "category_id"))
    rows = list(
        Movement.objects.order_by("date", "number").values_list(
            "date", "holder_id", "shares", "capital", "kind", "accepted", "pk", "reverses_id"
        )
    )
    cancelled = {row[7] for row in rows if row[7] is not None}
    withdrawals = {
        row[0] for row in rows if row[4] == MovementKind.REFUND_DECISION and row[5] and row[3]
    }
    days = sorted(set(_month_ends(dt.date(2018, 1, 1), timezone.localdate())) | withdrawals)
    shares: dict[int, int] = defaultdict(int)
    capital = peak = highest = Decimal(0)
    index = 0
    checked_members = checked_refunds = 0
    for day in days:
        while index < len(rows) and rows[index][0] <= day:
            on, holder, n, c, kind, _, pk, _ = rows[index]
            shares[holder] += n
            capital += c
            if kind != MovementKind.CANCELLATION and pk not in cancelled:
                peak += c
            index += 1
            if index == len(rows) or rows[index][0] != on:
                highest = max(highest, peak)  # the peak is read at the end of each day
        version_id = _in_force(versions, day)
        assert version_id is not None, f"no statutes in force on {day}"
        version, rules = statutes[version_id]
        if day in withdrawals:
            floor = highest * version.floor_percent / 100
            if version.floor_amount is not None:
                floor = max(floor, version.floor_amount)
            assert capital >= floor, f"capital {capital} below the floor {floor} on {day}"
            checked_refunds += 1
        assert capital * 100 >= highest * version.floor_percent, f"capital below floor on {day}"
        for holder, held in shares.items():
            if held <= 0:
                continue
            category = _in_force(lines[holder], day) or cached[holder]
            rule = rules[category]
            assert held >= rule.min_shares, (
                f"holder {holder} has {held} shares on {day}, category minimum {rule.min_shares}"
            )
            assert rule.max_shares is None or held <= rule.max_shares
            checked_members += 1
    assert checked_refunds > 0 and checked_members > 1000

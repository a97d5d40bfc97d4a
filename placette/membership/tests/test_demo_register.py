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

from placette.membership.models import Member, Movement


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
def test_a_frozen_demo_register_equals_the_recomputation_and_stays_so(demo_register):
    from placette.lib.refusals import Refusal
    from placette.membership import register, services

    on = dt.date(timezone.localdate().year - 1, 12, 31)
    with mock.patch.object(register, "pdf", return_value=b"%PDF-1.4 test"):
        snapshot = services.register_snapshot_create(actor=None, on=on)
    held: dict[int, int] = defaultdict(int)
    capital = Decimal(0)
    for holder, n, c in Movement.objects.filter(date__lte=on).values_list(
        "holder_id", "shares", "capital"
    ):
        held[holder] += n
        capital += c
    assert snapshot.shares == sum(held.values())
    assert snapshot.capital == capital
    assert snapshot.holders == sum(1 for n in held.values() if n > 0)
    assert snapshot.members == snapshot.holders
    # a booking inside the frozen year is refused: the snapshot stays the truth
    member = Member.objects.filter(left_on__isnull=True).select_related("contact").first()
    before = Movement.objects.count()
    with pytest.raises(Refusal, match="registre est arrêté"):
        services.shares_subscribe(actor=None, contact=member.contact, shares=1, on=on)
    assert Movement.objects.count() == before

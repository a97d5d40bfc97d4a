"""Hypothesis properties of the pure share-ledger arithmetic (placette/membership/ledger.py)."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from placette.membership import ledger
from placette.membership.ledger import Holding, Move

VALUE = Decimal(100)
DAYS = st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2026, 12, 31))


@st.composite
def ledgers(draw: st.DrawFn) -> list[Move]:
    """A valid ledger: subscriptions, payments, transfers and withdrawals, in booking order,
    each move allowed by the rules given what was booked before it."""
    moves: list[Move] = []
    for number in range(1, draw(st.integers(min_value=0, max_value=25)) + 1):
        accounts = ledger.holdings(moves)
        holder = draw(st.integers(min_value=1, max_value=5))
        day = draw(DAYS)
        action = draw(st.sampled_from(["subscribe", "pay", "transfer", "withdraw"]))
        held = accounts.get(holder, Holding())
        if action == "pay" and held.unpaid > 0:
            amount = draw(st.integers(min_value=1, max_value=int(held.unpaid)))
            moves.append(Move(number, day, "payment", holder, paid=Decimal(amount)))
        elif action == "transfer" and held.shares > 0 and held.unpaid == 0:
            n = draw(st.integers(min_value=1, max_value=held.shares))
            other = holder % 5 + 1
            amount = n * held.capital / held.shares
            moves.append(Move(number, day, "transfer", holder, -n, -amount, -amount, -amount))
            moves.append(Move(number + 1000, day, "transfer", other, n, amount, amount, amount))
        elif action == "withdraw" and held.shares > 0:
            n = draw(st.integers(min_value=1, max_value=held.shares))
            d = ledger.withdrawal_deltas(holding=held, shares=n)
            moves.append(
                Move(number, day, "refund_decision", holder, d.shares, d.capital, d.called, d.paid)
            )
        else:
            n = draw(st.integers(min_value=1, max_value=30))
            amount = n * VALUE
            paid = draw(st.sampled_from([amount, amount / 4, amount / 2]))
            moves.append(Move(number, day, "subscription", holder, n, amount, amount, paid))
    return moves


@given(ledgers(), st.none() | DAYS)
def test_the_sum_of_holdings_equals_the_subscribed_capital(moves, on):
    total = sum(ledger.holdings(moves, on).values(), Holding())
    capital = ledger.capital(moves, on)
    assert total.capital == capital.subscribed
    assert total.shares == capital.shares
    assert total.paid == capital.paid
    assert capital.subscribed == sum(m.capital for m in moves if on is None or m.date <= on)


@given(ledgers())
def test_holdings_are_never_negative_and_paid_never_exceeds_called(moves):
    for number in range(len(moves) + 1):
        for holding in ledger.holdings(moves[:number]).values():
            assert holding.shares >= 0
            assert Decimal(0) <= holding.paid <= holding.called <= holding.capital


@given(ledgers(), DAYS, st.integers(min_value=1, max_value=40))
def test_a_transfer_never_changes_the_capital(moves, day, shares):
    accounts = ledger.holdings(moves)
    givers = [h for h, held in accounts.items() if held.shares >= shares and held.unpaid == 0]
    if not givers:
        return
    held = accounts[givers[0]]
    amount = shares * held.capital / held.shares
    after = [
        *moves,
        Move(900, day, "transfer", givers[0], -shares, -amount, -amount, -amount),
        Move(901, day, "transfer", 99, shares, amount, amount, amount),
    ]
    assert ledger.capital(after).subscribed == ledger.capital(moves).subscribed
    assert ledger.capital(after).paid == ledger.capital(moves).paid


@given(ledgers(), st.data())
def test_a_cancellation_restores_the_previous_state(moves, data):
    if not moves:
        return
    target = data.draw(st.sampled_from(moves))
    last_day = max(m.date for m in moves)
    before = ledger.holdings([m for m in moves if m is not target])
    after = ledger.holdings([*moves, ledger.reversal(target, number=5000, date=last_day)])
    assert after == before


@given(ledgers())
def test_the_highest_capital_is_at_least_the_capital_of_every_day(moves):
    daily = [(m.date, m.capital) for m in moves]
    highest = ledger.highest_capital(daily)
    for day in {m.date for m in moves}:
        assert highest >= ledger.capital(moves, day).subscribed


@given(
    st.decimals(min_value=0, max_value=10_000_000, places=2),
    st.fractions(min_value=0, max_value=1, max_denominator=100),
)
def test_the_capital_floor_is_the_fraction_of_the_highest_capital_rounded_up(highest, fraction):
    floor = ledger.capital_floor(highest, fraction=fraction)
    assert Fraction(floor) >= Fraction(highest) * fraction
    assert Fraction(floor) - Fraction(highest) * fraction < Fraction(1, 100)


@given(
    st.integers(min_value=1, max_value=50),
    st.integers(min_value=0, max_value=5000),
    st.data(),
)
def test_a_withdrawal_never_pays_back_more_than_the_nominal_value_or_what_was_paid(
    shares, paid_cents, data
):
    capital = Decimal(shares) * VALUE
    paid = min(capital, Decimal(paid_cents))
    holding = Holding(shares, capital, capital, paid)
    n = data.draw(st.integers(min_value=1, max_value=shares))
    deltas = ledger.withdrawal_deltas(holding=holding, shares=n)
    assert -deltas.paid <= n * VALUE
    assert -deltas.paid <= paid
    after = holding + deltas
    assert after.shares == shares - n
    assert Decimal(0) <= after.paid <= after.called <= after.capital

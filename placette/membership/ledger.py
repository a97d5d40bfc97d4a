"""Share-ledger arithmetic of a SCIC with variable capital, as pure Python (no Django import).

An auditor can read this module on its own; hypothesis tests its properties
(``tests/test_ledger_properties.py``). Money is :class:`decimal.Decimal` (cents), ratios are
:class:`fractions.Fraction`; floats are refused.

The ledger is a list of movements (:class:`Move`). Each movement changes one holder's account
by signed deltas: ``shares`` (number of shares held), ``capital`` (subscribed capital),
``called`` (called capital) and ``paid`` (paid-up capital). A transfer is two movements with
opposite deltas; a cancellation carries the opposite deltas of the movement it reverses. So
every projection is a sum, and the state at a date is the sum of the movements dated on or
before it.

Rules and sources (``shared/reference/scic-rules.md``; article numbers of the 1947 law were
renumbered in 2022, check them before printing them):

- Paying up (loi 47-1775 art. 12, to verify): at least 1/4 of each subscription is paid at
  subscription, the balance within the statutory delay (at most 5 years). Statutes settings
  ``min_paid_percent`` and ``balance_delay_months``.
- Capital floor (art. 13, to verify): withdrawals may not bring the capital below 1/4 of the
  highest capital reached since incorporation; the statutes may set a higher fraction or a
  fixed amount. Statutes settings ``floor_percent`` and ``floor_amount``.
- Refunds are at most at nominal value: the sum owed is the paid-up part of the withdrawn
  shares, never more than their nominal value.
- Minimum holding per category: statutes setting ``CategoryRule.min_shares``. A member may
  always withdraw everything (leave); a partial withdrawal must keep the minimum.
- IR-PME (CGI art. 199 terdecies-0 A, to verify every year): a refund before 31 December of the
  fifth year after the subscription claws back the tax reduction. Statutes setting
  ``ir_pme_holding_years``.

User-facing messages are in French.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from placette.lib.money import euros, ratio_percent
from placette.lib.refusals import Refusal

__all__ = [
    "CENT",
    "ZERO",
    "Capital",
    "Holding",
    "Move",
    "capital",
    "capital_floor",
    "check_payment",
    "check_subscription",
    "check_transfer",
    "check_withdrawal",
    "highest_capital",
    "holdings",
    "ir_pme_holding_end",
    "qualifies_as_member",
    "reversal",
    "withdrawal_deltas",
]

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def _money(value: object, *, label: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{label} doit être un Decimal, pas {type(value).__name__}.")
    return Decimal(value)


@dataclass(frozen=True)
class Move:
    """One movement of the register (see the module docstring for the meaning of deltas)."""

    number: int
    date: dt.date
    kind: str
    holder: int
    shares: int = 0
    capital: Decimal = ZERO
    called: Decimal = ZERO
    paid: Decimal = ZERO
    quantity: int = 0
    amount: Decimal = ZERO
    reverses: int | None = None

    def __post_init__(self) -> None:
        for name in ("capital", "called", "paid", "amount"):
            _money(getattr(self, name), label=name)
        if isinstance(self.shares, bool) or not isinstance(self.shares, int):
            raise TypeError("Le nombre de parts doit être un entier.")


@dataclass(frozen=True)
class Holding:
    """One holder's account: shares held, capital subscribed, called and paid up."""

    shares: int = 0
    capital: Decimal = ZERO
    called: Decimal = ZERO
    paid: Decimal = ZERO

    def __add__(self, other: Holding) -> Holding:
        return Holding(
            self.shares + other.shares,
            self.capital + other.capital,
            self.called + other.called,
            self.paid + other.paid,
        )

    @classmethod
    def of(cls, move: Move) -> Holding:
        return cls(move.shares, move.capital, move.called, move.paid)

    @property
    def unpaid(self) -> Decimal:
        """Called but not yet paid up (the balance the holder still owes)."""
        return self.called - self.paid

    @property
    def is_empty(self) -> bool:
        return self == Holding()


@dataclass(frozen=True)
class Capital:
    """Totals of the ledger at a date."""

    shares: int = 0
    subscribed: Decimal = ZERO
    called: Decimal = ZERO
    paid: Decimal = ZERO
    holders: int = 0

    @property
    def unpaid(self) -> Decimal:
        return self.called - self.paid


def _dated(moves: Iterable[Move], on: dt.date | None) -> Iterable[Move]:
    return moves if on is None else (m for m in moves if m.date <= on)


def holdings(moves: Iterable[Move], on: dt.date | None = None) -> dict[int, Holding]:
    """Each holder's account on `on` (all movements when None); empty accounts are left out."""
    accounts: dict[int, Holding] = {}
    for move in _dated(moves, on):
        accounts[move.holder] = accounts.get(move.holder, Holding()) + Holding.of(move)
    return {holder: h for holder, h in accounts.items() if not h.is_empty}


def capital(moves: Iterable[Move], on: dt.date | None = None) -> Capital:
    """Capital subscribed, called and paid up on `on`, and the number of holders of shares."""
    accounts = holdings(moves, on)
    total = sum(accounts.values(), Holding())
    return Capital(
        total.shares,
        total.capital,
        total.called,
        total.paid,
        sum(1 for h in accounts.values() if h.shares > 0),
    )


def highest_capital(daily_changes: Iterable[tuple[dt.date, Decimal]]) -> Decimal:
    """The highest subscribed capital ever reached, from (date, net change of that day) pairs.

    The capital is looked at at the end of each day, so a same-day refund and subscription
    never create a peak that did not exist in the books.
    """
    running = peak = ZERO
    by_day: dict[dt.date, Decimal] = {}
    for day, change in daily_changes:
        by_day[day] = by_day.get(day, ZERO) + _money(change, label="La variation")
    for day in sorted(by_day):
        running += by_day[day]
        peak = max(peak, running)
    return peak


def capital_floor(
    highest: Decimal, *, fraction: Fraction = Fraction(1, 4), fixed: Decimal | None = None
) -> Decimal:
    """The capital below which withdrawals are refused (art. 13, to verify).

    ``fraction`` of the highest capital reached, rounded up to the cent, or the statutory
    ``fixed`` amount when it is higher.
    """
    if not isinstance(fraction, Fraction | int) or not 0 <= fraction <= 1:
        raise ValueError("La fraction du plancher doit être une fraction entre 0 et 1.")
    exact = Fraction(_money(highest, label="Le capital le plus élevé")) * Fraction(fraction)
    floor = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        CENT, rounding=ROUND_CEILING
    )
    if fixed is not None and fixed > floor:
        return _money(fixed, label="Le plancher fixe").quantize(CENT)
    return floor


def _check_shares(shares: object) -> list[str]:
    if isinstance(shares, bool) or not isinstance(shares, int):
        return ["Le nombre de parts doit être un nombre entier."]
    if shares <= 0:
        return [f"Le nombre de parts doit être au moins 1 (reçu {shares})."]
    return []


def check_subscription(
    *,
    shares: int,
    share_value: Decimal,
    paid: Decimal,
    min_paid_fraction: Fraction = Fraction(1, 4),
    held: int = 0,
    category_min: int = 1,
    category_max: int | None = None,
) -> None:
    """Refuse a subscription of `shares` with `paid` paid at once (raises Refusal).

    Rules: at least one share; the holding after subscription reaches the category minimum and
    stays within its maximum; at least ``min_paid_fraction`` of the amount is paid at once
    (art. 12, to verify), never more than the amount.
    """
    errors = _check_shares(shares)
    if errors:
        raise Refusal(errors)
    amount = shares * _money(share_value, label="La valeur nominale")
    paid = _money(paid, label="Le montant libéré")
    after = held + shares
    if after < category_min:
        errors.append(
            f"Cette catégorie demande au moins {category_min} part(s) : le sociétaire en "
            f"détiendrait {after}."
        )
    if category_max is not None and after > category_max:
        errors.append(
            f"Cette catégorie limite la détention à {category_max} part(s) : le sociétaire en "
            f"détiendrait {after}."
        )
    minimum = capital_floor(amount, fraction=min_paid_fraction)
    if paid < minimum:
        errors.append(
            f"Il faut libérer au moins {euros(minimum)} à la souscription "
            f"({ratio_percent(min_paid_fraction)} de {euros(amount)}) ; reçu {euros(paid)}."
        )
    if paid > amount:
        errors.append(
            f"Le montant libéré ({euros(paid)}) dépasse la souscription ({euros(amount)})."
        )
    if paid < 0:
        errors.append("Le montant libéré ne peut pas être négatif.")
    if errors:
        raise Refusal(errors)


def check_payment(*, holding: Holding, amount: Decimal) -> None:
    """A paying-up payment is positive and never more than what is still owed."""
    amount = _money(amount, label="Le montant")
    if amount <= 0:
        raise Refusal(f"Le montant de la libération doit être positif (reçu {euros(amount)}).")
    if amount > holding.unpaid:
        raise Refusal(
            f"Le versement de {euros(amount)} dépasse le capital restant à libérer "
            f"({euros(holding.unpaid)})."
        )


def check_transfer(
    *, holding: Holding, shares: int, receiver_min: int = 1, receiver_after: int = 0
) -> None:
    """A transfer or gift of `shares` fully paid-up shares the giver holds."""
    errors = _check_shares(shares)
    if errors:
        raise Refusal(errors)
    if shares > holding.shares:
        raise Refusal(
            f"Le cédant ne détient que {holding.shares} part(s) : impossible d’en céder {shares}."
        )
    if holding.unpaid > 0:
        raise Refusal(
            f"Seules des parts entièrement libérées peuvent être cédées : il reste "
            f"{euros(holding.unpaid)} à libérer."
        )
    if receiver_after < receiver_min:
        raise Refusal(
            f"Le bénéficiaire détiendrait {receiver_after} part(s), moins que le minimum de sa "
            f"catégorie ({receiver_min})."
        )


def withdrawal_deltas(*, holding: Holding, shares: int) -> Holding:
    """What an accepted withdrawal of `shares` removes from the holder's account.

    Capital and called capital go at nominal value; the paid-up part removed (the sum owed to
    the holder, refunds being at most at nominal value) is the paid-up capital of the holding
    up to the nominal value of the withdrawn shares: unpaid shares are withdrawn first. The
    result has negative deltas.
    """
    if holding.shares <= 0:
        return Holding()
    value = holding.capital / holding.shares
    capital_out = (value * shares).quantize(CENT)
    keeps = holding.capital - capital_out
    # Called and paid-up money stays with the shares kept: the holder keeps min(paid, kept
    # capital), so a partial withdrawal never pays back while kept shares remain unpaid.
    called_out = holding.called - min(holding.called, keeps)
    paid_out = holding.paid - min(holding.paid, keeps)
    return Holding(-shares, -capital_out, -called_out, -paid_out)


def check_withdrawal(
    *,
    holding: Holding,
    shares: int,
    subscribed: Decimal,
    highest: Decimal,
    floor_fraction: Fraction = Fraction(1, 4),
    floor_amount: Decimal | None = None,
    category_min: int = 1,
    pending: int = 0,
    highest_on: dt.date | None = None,
) -> Holding:
    """Refuse a refund of `shares` (raises Refusal) or return the deltas it books.

    Rules: at least one share and no more than the holding minus the shares already under a
    pending request (``pending``); a partial withdrawal keeps the category minimum (leaving
    entirely is always allowed); the subscribed capital after withdrawal stays at or above the
    capital floor (art. 13, to verify).
    """
    errors = _check_shares(shares)
    if errors:
        raise Refusal(errors)
    available = holding.shares - pending
    if shares > available:
        detail = f" dont {pending} déjà en demande de remboursement" if pending else ""
        raise Refusal(
            f"Le remboursement de {shares} part(s) dépasse la détention : "
            f"{holding.shares} part(s){detail}."
        )
    left = holding.shares - pending - shares
    if 0 < left < category_min:
        errors.append(
            f"Il resterait {left} part(s), moins que le minimum de la catégorie "
            f"({category_min}) : demandez le remboursement de toutes les parts ou de "
            f"{holding.shares - pending - category_min} au plus."
        )
    deltas = withdrawal_deltas(holding=holding, shares=shares)
    floor = capital_floor(highest, fraction=floor_fraction, fixed=floor_amount)
    after = subscribed + deltas.capital
    if after < floor:
        if (
            floor_amount is not None
            and floor == floor_amount.quantize(CENT)
            and (floor > capital_floor(highest, fraction=floor_fraction))
        ):
            rule = (
                f"montant minimal fixé par les statuts, supérieur à "
                f"{ratio_percent(floor_fraction)} du capital le plus élevé atteint"
            )
        else:
            since = f", le {highest_on:%d/%m/%Y}" if highest_on else ""
            rule = (
                f"{ratio_percent(floor_fraction)} du capital le plus élevé atteint depuis la "
                f"constitution, {euros(highest)}{since}, hors mouvements annulés"
            )
        errors.append(
            f"Le capital tomberait à {euros(after)}, sous le plancher statutaire de "
            f"{euros(floor)} ({rule}) : remboursement impossible pour l’instant."
        )
    if errors:
        raise Refusal(errors)
    return deltas


def reversal(move: Move, *, number: int, date: dt.date) -> Move:
    """The cancellation of `move`: the opposite deltas, pointing at it."""
    if move.kind == "cancellation":
        raise Refusal("Une annulation ne s’annule pas : passez un nouveau mouvement.")
    return Move(
        number=number,
        date=date,
        kind="cancellation",
        holder=move.holder,
        shares=-move.shares,
        capital=-move.capital,
        called=-move.called,
        paid=-move.paid,
        quantity=move.quantity,
        amount=-move.amount,
        reverses=move.number,
    )


def qualifies_as_member(holding: Holding, *, start: str) -> bool:
    """Whether a holding makes an associé: one share subscribed (``"subscription"``) or, when
    the statutes say so, fully paid up (``"full_payment"``)."""
    if holding.shares <= 0:
        return False
    return start == "subscription" or holding.paid >= holding.capital


def ir_pme_holding_end(subscribed_on: dt.date, *, years: int = 5) -> dt.date:
    """Last day of the IR-PME holding period: 31 December of the `years`-th year after the
    subscription year (CGI art. 199 terdecies-0 A, to verify)."""
    return dt.date(subscribed_on.year + years, 12, 31)

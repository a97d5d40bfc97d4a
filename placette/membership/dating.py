"""Every rule at every date: the checks a dated booking passes before anything is written.

A movement of the register has a value date. It is refused when that date is in the future,
inside a frozen register (a `RegisterSnapshot` on or after it) or a closed accounting period
(`ClosedFiscalYear`, calendar years), or before the movement it depends on. Then every rule is
checked on the state **at the value date and at every later date**: a back-dated movement
changes every later state, so a later transfer, payment or refund request that was valid when
it was booked must stay valid (docs/membership.md, « Chaque règle à chaque date »).

Cost: one holder's later movements (the `(holder, date, …)` index, a handful of rows), the
daily capital changes (`CapitalDay`, one row per day with a capital change: a few thousand
rows for years of history) and the movements of local authorities only — never the whole
ledger. Only the problems the booking *introduces* are reported: a state that was already
wrong before it (for example a minimum raised by a later statutes version) does not block an
unrelated booking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Max, Q
from django.utils import timezone

from placette.lib.dates import date_check
from placette.lib.money import euros, percent, ratio_percent
from placette.lib.refusals import Refusal
from placette.lib.sums import decimal_sum
from placette.membership import ledger
from placette.membership.models import (
    ZERO,
    CapitalDay,
    Category,
    CategoryChange,
    ClosedFiscalYear,
    Member,
    Movement,
    MovementKind,
    RegisterSnapshot,
    Statutes,
)
from placette.membership.statutes_law import ART_AUTHORITIES

__all__ = [
    "after_check",
    "authorities_check",
    "category_id_on",
    "floor_check",
    "highest_on",
    "holder_check",
    "value_date",
]

EVERY_DATE = (
    "Règle : chaque règle du registre vaut à la date de valeur et à toutes les dates suivantes."
)


def _fr(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def value_date(on: dt.date | None, *, label: str = "Date de valeur") -> dt.date:
    """The value date of a booking (today by default), refused in the future, inside a frozen
    register year or inside a closed accounting period."""
    date_check(on, label=label, field="on", past_only=True)
    day = on or timezone.localdate()
    frozen = RegisterSnapshot.objects.aggregate(last=Max("on"))["last"]
    if frozen is not None and day <= frozen:
        raise Refusal(
            f"{label} : le registre est arrêté au {_fr(frozen)} ; un registre arrêté ne se "
            f"modifie plus, aucun mouvement ne peut être daté du {_fr(day)}. Datez-le après "
            f"le {_fr(frozen)}.",
            field="on",
            code="frozen_register",
        )
    closed = ClosedFiscalYear.last()
    if closed is not None and day.year <= closed:
        raise Refusal(
            f"{label} : l’exercice {closed} est clos (dernier exercice comptable clos) ; aucun "
            f"mouvement ne peut être daté du {_fr(day)}. Datez-le en {closed + 1} ou après.",
            field="on",
            code="closed_period",
        )
    return day


def after_check(on: dt.date, dependency: Movement, *, what: str) -> None:
    """`what` (« L’annulation », « La décision »…) cannot be dated before the movement it
    depends on."""
    if on < dependency.date:
        raise Refusal(
            f"{what} ne peut pas être datée du {_fr(on)} : elle précède le mouvement "
            f"n° {dependency.number} du {_fr(dependency.date)} dont elle dépend.",
            field="on",
            code="before_dependency",
        )


# --------------------------------------------------------------------------------------------
# Statutes versions and category histories, loaded once per check (a handful of rows)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Version:
    effective_from: dt.date
    statutes: Statutes
    rules: dict[int, tuple[int, int | None]]


def _versions() -> list[_Version]:
    versions = Statutes.objects.order_by("effective_from", "id").prefetch_related("rules")
    return [
        _Version(
            s.effective_from,
            s,
            {r.category_id: (r.min_shares, r.max_shares) for r in s.rules.all()},
        )
        for s in versions
    ]


def _in_force(versions: list[_Version], on: dt.date) -> _Version | None:
    found = None
    for version in versions:  # ordered by date then id: the last one effective wins
        if version.effective_from <= on:
            found = version
    return found


class _Categories:
    """One member's category at any date (its history, else the cached category)."""

    def __init__(self, holder_id: int, *, new_category: Category | None = None) -> None:
        member = Member.objects.filter(contact_id=holder_id).first()
        self.fallback: int | None = (
            member.category_id if member else (new_category.pk if new_category else None)
        )
        self.lines: list[tuple[dt.date, int]] = (
            list(
                CategoryChange.objects.filter(member=member)
                .order_by("effective_on", "id")
                .values_list("effective_on", "category_id")
            )
            if member
            else []
        )

    def on(self, day: dt.date) -> int | None:
        found = None
        for effective_on, category_id in self.lines:
            if effective_on <= day:
                found = category_id
        return found if found is not None else self.fallback

    def with_change(self, effective_on: dt.date, category_id: int) -> _Categories:
        """The same history with one more line (a category change being checked)."""
        other = object.__new__(_Categories)
        other.fallback = self.fallback
        other.lines = [*self.lines, (effective_on, category_id)]
        return other


def category_id_on(holder_id: int, on: dt.date) -> int | None:
    """The id of the holder's member category on `on` (category history, else the cache)."""
    return _Categories(holder_id).on(on)


# --------------------------------------------------------------------------------------------
# One holder's account at the value date and every later date
# --------------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    date: dt.date
    kind: str
    deltas: ledger.Holding
    quantity: int
    cancelled: bool


KIND_LABELS = dict(MovementKind.choices)


def _later(holder_id: int, on: dt.date) -> list[_Row]:
    rows = (
        Movement.objects.filter(holder_id=holder_id, date__gt=on)
        .order_by("date", "number")
        .values_list(
            "number",
            "date",
            "kind",
            "shares",
            "capital",
            "called",
            "paid",
            "quantity",
            "reversed_by__id",
        )
    )
    return [
        _Row(n, d, k, ledger.Holding(s, c, k2, p), q, r is not None)
        for n, d, k, s, c, k2, p, q, r in rows
    ]


def _state_problems(state: ledger.Holding, day: dt.date, name: str) -> list[str]:
    problems = []
    if state.shares < 0:
        problems.append(f"{name} détiendrait {state.shares} part(s) le {_fr(day)}.")
    if state.capital < 0 or state.paid < 0:
        problems.append(f"Le compte de {name} deviendrait négatif le {_fr(day)}.")
    if state.paid > state.called:
        problems.append(
            f"Le capital libéré de {name} ({euros(state.paid)}) dépasserait son capital appelé "
            f"({euros(state.called)}) le {_fr(day)}."
        )
    return problems


def _row_problems(row: _Row, state: ledger.Holding, name: str) -> list[str]:
    """What a later movement needs from the state just before it."""
    if row.cancelled:
        return []
    label = f"le mouvement n° {row.number} ({KIND_LABELS.get(row.kind, row.kind).lower()})"
    if row.kind in (MovementKind.TRANSFER, MovementKind.GIFT) and row.deltas.shares < 0:
        if -row.deltas.shares > state.shares:
            return [
                f"{label.capitalize()} du {_fr(row.date)} céderait {-row.deltas.shares} part(s) "
                f"alors que {name} n’en détiendrait que {state.shares}."
            ]
        if state.unpaid > 0:
            return [
                f"{label.capitalize()} du {_fr(row.date)} porterait sur des parts non "
                f"entièrement libérées (il resterait {euros(state.unpaid)} à libérer)."
            ]
    if row.kind == MovementKind.REFUND_REQUEST and row.quantity > state.shares:
        return [
            f"{label.capitalize()} du {_fr(row.date)} demanderait {row.quantity} part(s) alors "
            f"que {name} n’en détiendrait que {state.shares}."
        ]
    return []


def _category_problems(
    state: ledger.Holding,
    day: dt.date,
    category_id: int | None,
    versions: list[_Version],
    names: dict[int, str],
) -> list[str]:
    if state.shares <= 0 or category_id is None:
        return []
    version = _in_force(versions, day)
    if version is None or category_id not in version.rules:
        return []
    minimum, maximum = version.rules[category_id]
    name = names.get(category_id, "")
    if state.shares < minimum:
        return [
            f"Le {_fr(day)}, il resterait {state.shares} part(s), moins que le minimum de la "
            f"catégorie « {name} » ({minimum}) en vigueur à cette date."
        ]
    if maximum is not None and state.shares > maximum:
        return [
            f"Le {_fr(day)}, la détention ({state.shares} parts) dépasserait le maximum de la "
            f"catégorie « {name} » ({maximum}) en vigueur à cette date."
        ]
    return []


def _sum_until(rows: list[_Row], day: dt.date) -> ledger.Holding:
    total = ledger.Holding()
    for row in rows:
        if row.date <= day:
            total = total + row.deltas
    return total


def holder_check(
    *,
    holder_id: int,
    name: str,
    on: dt.date,
    deltas: ledger.Holding,
    new_category: Category | None = None,
    category_change: tuple[dt.date, int] | None = None,
    check_on: bool = True,
) -> None:
    """Refuse (Refusal) when adding `deltas` to the holder's account from `on` breaks a rule at
    `on` or at a later date: a negative holding or account, more paid than called, a later
    transfer of shares no longer held or no longer paid up, a later refund request above the
    holding, a category minimum or maximum (the category of each date, rules of the statutes
    in force that date), or a holder who would leave and come back (one membership period).

    `category_change` checks a new category line instead of deltas. `check_on=False` leaves
    the value date itself to the caller's own rule (its message is more precise)."""
    from placette.membership import projections

    base = projections.holding_of(holder_id, on)
    versions = _versions()
    categories = _Categories(holder_id, new_category=new_category)
    changed = categories.with_change(*category_change) if category_change else categories
    names = dict(Category.objects.values_list("id", "name"))
    before, after = base, base + deltas
    problems: list[str] = []

    def compare(day: dt.date) -> None:
        old = set(_state_problems(before, day, name)) | set(
            _category_problems(before, day, categories.on(day), versions, names)
        )
        new = _state_problems(after, day, name) + _category_problems(
            after, day, changed.on(day), versions, names
        )
        problems.extend(p for p in new if p not in old)

    if check_on:
        compare(on)
    rows = _later(holder_id, on)
    checked: set[dt.date] = set()
    emptied = after.shares <= 0 and (base.shares > 0 or deltas.shares < 0)
    left_at: dt.date | None = on if emptied else None
    for index, row in enumerate(rows):
        if not problems:
            old = set(_row_problems(row, before, name))
            problems.extend(p for p in _row_problems(row, after, name) if p not in old)
        old_empty, new_empty = before.shares <= 0, after.shares <= 0
        before, after = before + row.deltas, after + row.deltas
        comes_back = new_empty and after.shares > 0
        if comes_back and left_at is not None and not (old_empty and before.shares > 0):
            problems.append(
                f"{name} n’aurait plus aucune part du {_fr(left_at)} au {_fr(row.date)} "
                f"(mouvement n° {row.number}) : un sociétaire ne peut pas sortir puis revenir "
                "du fait d’un mouvement antidaté."
            )
        if after.shares <= 0 and not new_empty:
            left_at = row.date
        last_of_day = index + 1 == len(rows) or rows[index + 1].date != row.date
        if last_of_day and not problems:
            compare(row.date)
            checked.add(row.date)
        if problems:
            break
    if not problems:
        # The state also changes category on a later change of category (no movement then).
        lines = {d for d, _ in changed.lines} | {d for d, _ in categories.lines}
        for day in sorted(d for d in lines if d > on and d not in checked):
            before = base + _sum_until(rows, day)
            after = before + deltas
            compare(day)
            if problems:
                break
    if problems:
        raise Refusal([*problems[:3], EVERY_DATE], code="every_date")


# --------------------------------------------------------------------------------------------
# The whole capital: floor and local authorities' cap at the value date and later
# --------------------------------------------------------------------------------------------


def _days() -> list[tuple[dt.date, Decimal, Decimal]]:
    return list(CapitalDay.objects.order_by("date").values_list("date", "capital", "peak"))


def highest_on(on: dt.date | None = None) -> tuple[Decimal, dt.date | None]:
    """The highest capital reached up to `on` (end of day) and the day it was reached;
    cancelled movements and their cancellations do not count (CapitalDay.peak)."""
    running = highest = ZERO
    reached: dt.date | None = None
    rows = CapitalDay.objects.order_by("date").values_list("date", "peak")
    if on is not None:
        rows = rows.filter(date__lte=on)
    for day, change in rows:
        running += change
        if running > highest:
            highest, reached = running, day
    return highest, reached


def floor_rule(
    statutes: Statutes, highest: Decimal, reached: dt.date | None
) -> tuple[Decimal, str]:
    """The capital floor and the sentence naming the rule that sets it."""
    fraction = statutes.floor_fraction
    by_fraction = ledger.capital_floor(highest, fraction=fraction)
    if statutes.floor_amount is not None and statutes.floor_amount > by_fraction:
        return (
            ledger.capital_floor(highest, fraction=fraction, fixed=statutes.floor_amount),
            f"montant minimal fixé par les statuts ({euros(statutes.floor_amount)}), supérieur "
            f"à {ratio_percent(fraction)} du capital le plus élevé atteint",
        )
    since = f", le {_fr(reached)}" if reached else ""
    return (
        by_fraction,
        f"{ratio_percent(fraction)} du capital le plus élevé atteint depuis la constitution "
        f"({euros(highest)}{since}, hors mouvements annulés) — loi du 10 septembre 1947, "
        "plancher du capital variable (à vérifier), réglage statutaire « plancher »",
    )


def floor_check(
    *,
    on: dt.date,
    capital_delta: Decimal,
    peak_changes: list[tuple[dt.date, Decimal]] = (),  # type: ignore[assignment]
) -> None:
    """Refuse a withdrawal (`capital_delta` < 0 from `on`) that brings the capital below the
    floor at `on` or at any later date. `peak_changes`: changes of the highest-capital series
    (a withdrawal lowers it from `on`; cancelling a subscription removes it from its date)."""
    if capital_delta >= 0:
        return
    versions = _versions()
    running = peak_running = highest = new_highest = ZERO
    reached: dt.date | None = None
    days = _days()
    dates = sorted({d for d, _, _ in days} | {on})
    by_day = {d: (c, p) for d, c, p in days}
    floors: dict[tuple, tuple[Decimal, Decimal, str]] = {}
    for day in dates:
        change, peak = by_day.get(day, (ZERO, ZERO))
        running += change
        peak_running += peak
        highest = max(highest, peak_running)
        shifted = peak_running + sum((d for when, d in peak_changes if when <= day), ZERO)
        if shifted > new_highest:
            new_highest, reached = shifted, day
        if day < on:
            continue
        version = _in_force(versions, day)
        if version is None:
            continue
        key = (version.statutes.pk, highest, new_highest, reached)
        if key not in floors:  # the highest capital changes rarely: compute each floor once
            floors[key] = (
                floor_rule(version.statutes, highest, None)[0],
                *floor_rule(version.statutes, new_highest, reached),
            )
        old_floor, floor, rule = floors[key]
        after = running + capital_delta
        if after < floor and not running < old_floor:
            raise Refusal(
                [
                    f"Le capital souscrit tomberait à {euros(after)} le {_fr(day)}, sous le "
                    f"plancher statutaire de {euros(floor)} ({rule}) : remboursement "
                    "impossible à cette date.",
                    EVERY_DATE,
                ],
                code="capital_floor",
            )


def _authority_ids() -> list[int]:
    from placette.contacts.models import LOCAL_AUTHORITY_KINDS, Contact

    return list(
        Contact.objects.filter(
            Q(org_kind__in=LOCAL_AUTHORITY_KINDS) | Q(member__category__is_local_authorities=True)
        ).values_list("pk", flat=True)
    )


def is_authority(holder_id: int, category: Category | None = None) -> bool:
    return holder_id in _authority_ids() or bool(category and category.is_local_authorities)


def authorities_check(*, on: dt.date, capital_delta: Decimal, authorities_delta: Decimal) -> None:
    """Refuse a booking after which local authorities together would hold more than the cap
    of the capital (statutes setting, at most 50 %; loi 1947 art. 19 septies, to verify) at
    `on` or at a later date — a refund of another member raises their share too."""
    if authorities_delta <= 0 and capital_delta >= 0:
        return
    ids = _authority_ids()
    if not ids and authorities_delta <= 0:
        return
    versions = _versions()
    held = dict(
        Movement.objects.filter(holder_id__in=ids)
        .order_by()
        .values_list("date")
        .annotate(c=decimal_sum("capital"))
    )
    days = _days()
    by_day = {d: c for d, c, _ in days}
    total = authorities = ZERO
    for day in sorted(set(by_day) | set(held) | {on}):
        total += by_day.get(day, ZERO)
        authorities += held.get(day, ZERO)
        if day < on:
            continue
        version = _in_force(versions, day)
        if version is None:
            continue
        cap = Fraction(version.statutes.local_authorities_cap_percent) / 100
        new_total, new_authorities = total + capital_delta, authorities + authorities_delta
        over = new_total > 0 and Fraction(new_authorities) > cap * Fraction(new_total)
        was_over = total > 0 and Fraction(authorities) > cap * Fraction(total)
        if over and not was_over:
            share = Fraction(new_authorities) / Fraction(new_total)
            raise Refusal(
                [
                    f"Refusé : les collectivités publiques détiendraient {ratio_percent(share)} "
                    f"du capital au {_fr(day)}, au-delà du plafond de "
                    f"{percent(version.statutes.local_authorities_cap_percent)} "
                    f"({ART_AUTHORITIES}).",
                    EVERY_DATE,
                ],
                code="authorities_cap",
            )

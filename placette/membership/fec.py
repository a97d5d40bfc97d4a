"""The capital movements as accounting entries in the French FEC format (Fichier des Écritures
Comptables, LPF art. A47 A-1): 18 tab-separated columns, dates YYYYMMDD, amounts with a comma.

Mapping (docs/membership.md): subscription → 4561 débit / 1012 crédit for the capital called;
each sum received → 512 débit / 4561 crédit and 1012 débit / 1013 crédit; accepted refund →
1013 débit / 4567 crédit for the paid-up part (and 1012 / 4561 back for any unpaid part);
refund payment → 4567 débit / 512 crédit; cancellation → the reversed entry. Transfers, gifts,
requests and refusals move no capital: no entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from placette.lib import money
from placette.membership.models import ZERO, Movement, MovementKind

COLUMNS = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
]
JOURNAL = ("CAP", "Capital social")
ACCOUNTS = {
    "1012": "Capital souscrit - appelé, non versé",
    "1013": "Capital souscrit - appelé, versé",
    "4561": "Associés - comptes d'apport en société",
    "4567": "Associés - capital à rembourser",
    "512": "Banque",
}

Line = tuple[str, Decimal, Decimal]  # account, debit, credit


def lines_for(movement: Movement) -> list[Line]:
    """The balanced lines of one movement (empty when it moves no capital)."""
    kind = movement.kind
    if kind == MovementKind.CANCELLATION:
        return [(a, c, d) for a, d, c in lines_for(movement.reverses)]
    lines: list[Line] = []
    if kind == MovementKind.SUBSCRIPTION:
        lines.append(("4561", movement.called, ZERO))
        lines.append(("1012", ZERO, movement.called))
    if kind in (MovementKind.SUBSCRIPTION, MovementKind.PAYMENT) and movement.paid:
        lines += [
            ("512", movement.paid, ZERO),
            ("4561", ZERO, movement.paid),
            ("1012", movement.paid, ZERO),
            ("1013", ZERO, movement.paid),
        ]
    if kind == MovementKind.REFUND_DECISION and movement.accepted:
        paid_out = -movement.paid
        unpaid_out = -movement.called - paid_out
        if paid_out:
            lines += [("1013", paid_out, ZERO), ("4567", ZERO, paid_out)]
        if unpaid_out:
            lines += [("1012", unpaid_out, ZERO), ("4561", ZERO, unpaid_out)]
    if kind == MovementKind.REFUND_PAYMENT:
        lines += [("4567", movement.amount, ZERO), ("512", ZERO, movement.amount)]
    return [line for line in lines if line[1] or line[2]]


def _amount(value: Decimal) -> str:
    """The FEC's amount: decimal comma, no grouping (article A. 47 A-1 of the LPF)."""
    return money.plain_decimal(money.to_cents(value))


def fec_rows(start: dt.date, end: dt.date) -> Iterator[list[str]]:
    """Header then one row per line, for the movements dated within [start, end]."""
    yield COLUMNS
    movements = (
        Movement.objects.filter(date__range=(start, end))
        .exclude(kind__in=[MovementKind.TRANSFER, MovementKind.GIFT, MovementKind.REFUND_REQUEST])
        .select_related("holder", "holder__member", "reverses")
        .order_by("date", "number")
    )
    for movement in movements.iterator(chunk_size=2000):
        member = getattr(movement.holder, "member", None)
        aux = f"S{member.number}" if member and member.number else f"C{movement.holder_id}"
        label = f"{movement.kind_label} {movement.holder.display_name}"[:100]
        day = f"{movement.date:%Y%m%d}"
        for account, debit, credit in lines_for(movement):
            associate = account in ("4561", "4567")
            yield [
                JOURNAL[0],
                JOURNAL[1],
                str(movement.number),
                day,
                account,
                ACCOUNTS[account],
                aux if associate else "",
                movement.holder.display_name if associate else "",
                f"MVT{movement.number}",
                day,
                label,
                _amount(debit),
                _amount(credit),
                "",
                "",
                f"{movement.booked_at:%Y%m%d}",
                "",
                "",
            ]


def fec_text(start: dt.date, end: dt.date) -> str:
    return "\r\n".join("\t".join(r) for r in fec_rows(start, end)) + "\r\n"

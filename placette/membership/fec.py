"""The capital movements as accounting entries in the French FEC format (Fichier des Écritures
Comptables, LPF art. A47 A-1): 18 tab-separated columns, dates AAAAMMJJ, amounts with a
decimal comma, file named `<SIREN>FEC<AAAAMMJJ>.txt` (the closing date of the period), encoded
in ISO 8859-15 or in UTF-8 (the choice is the exporter's; say UTF-8 to the administration).

Entries are numbered 1, 2, 3… without gap in chronological order over the exported period
(`EcritureNum`); `PieceRef` names the source (movement number, or the request's reference for
a sum received before approval). Account numbers are settings (`SubscriptionSettings`,
« Paramètres de souscription »); the defaults and the mapping (docs/membership.md):

- money that arrives for a subscription request, on the day it arrived: 512 débit / 4563
  crédit (« sommes reçues avant l'augmentation du capital ») — the money is not capital yet;
- subscription (capital C, all called): 4562 débit / 1012 crédit; the sums received P then
  settle it — 4563 débit (request) or 512 débit (booked by staff, imported) / 4562 crédit —
  and become paid-up capital: 1012 débit / 1013 crédit;
- payment of the balance: 512 débit / 4562 crédit and 1012 débit / 1013 crédit;
- accepted refund (paid-up part P', unpaid part U): 1013 débit / 4567 crédit P', and 1012
  débit / 4562 crédit U;
- refund payment A of a sum owed O: 4567 débit O / 512 crédit A, and the share of the losses
  O − A (statutes) on the losses account (119 crédit);
- cancellation: the reversed entry, debit and credit swapped.
Transfers, gifts, requests and refusals move no capital: no entry.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from placette.lib import money
from placette.lib.refusals import Refusal
from placette.membership.models import ZERO, Movement, MovementKind
from placette.membership.models_requests import RequestPayment, SubscriptionSettings

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
ENCODINGS = {"iso-8859-15": "ISO 8859-15 (Latin-9)", "utf-8": "UTF-8"}

# role → (settings field, label); the account number comes from the settings.
ROLES = {
    "bank": ("fec_account_bank", "Banque"),
    "unpaid": ("fec_account_capital_unpaid", "Capital souscrit - appelé, non versé"),
    "paid": ("fec_account_capital_paid", "Capital souscrit - appelé, versé"),
    "called": ("fec_account_called_unpaid", "Associés - capital appelé, non versé"),
    "received": (
        "fec_account_received",
        "Associés - versements reçus sur augmentation de capital",
    ),
    "refund": ("fec_account_to_refund", "Associés - capital à rembourser"),
    "losses": ("fec_account_losses", "Report à nouveau (pertes imputées aux retraits)"),
}
ASSOCIATE_ROLES = {"called", "received", "refund"}

Line = tuple[str, Decimal, Decimal]  # role, debit, credit


@dataclass
class Entry:
    date: dt.date
    rank: tuple[int, int]  # within a day: receipts first, then movements by number
    piece: str
    label: str
    holder_id: int
    holder_name: str
    aux: str
    valid: dt.date
    lines: list[Line] = field(default_factory=list)


def lines_for(movement: Movement, *, via_request: bool = False) -> list[Line]:
    """The balanced lines of one movement (empty when it moves no capital); `via_request`: the
    sums paid at subscription were received beforehand on the request (account 4563)."""
    kind = movement.kind
    if kind == MovementKind.CANCELLATION:
        reversed_ = movement.reverses
        assert reversed_ is not None  # a cancellation always reverses a movement
        origin = via_request or hasattr(reversed_, "subscription_request")
        return [(a, c, d) for a, d, c in lines_for(reversed_, via_request=origin)]
    lines: list[Line] = []
    if kind == MovementKind.SUBSCRIPTION:
        lines.append(("called", movement.called, ZERO))
        lines.append(("unpaid", ZERO, movement.called))
    if kind in (MovementKind.SUBSCRIPTION, MovementKind.PAYMENT) and movement.paid:
        source = "received" if kind == MovementKind.SUBSCRIPTION and via_request else "bank"
        lines += [
            (source, movement.paid, ZERO),
            ("called", ZERO, movement.paid),
            ("unpaid", movement.paid, ZERO),
            ("paid", ZERO, movement.paid),
        ]
    if kind == MovementKind.REFUND_DECISION and movement.accepted:
        paid_out = -movement.paid
        unpaid_out = -movement.called - paid_out
        if paid_out:
            lines += [("paid", paid_out, ZERO), ("refund", ZERO, paid_out)]
        if unpaid_out:
            lines += [("unpaid", unpaid_out, ZERO), ("called", ZERO, unpaid_out)]
    if kind == MovementKind.REFUND_PAYMENT:
        owed = movement.related.amount if movement.related is not None else movement.amount
        lines += [("refund", owed, ZERO), ("bank", ZERO, movement.amount)]
        if owed > movement.amount:
            lines.append(("losses", ZERO, owed - movement.amount))
    return [line for line in lines if line[1] or line[2]]


def _aux(contact) -> str:
    member = getattr(contact, "member", None)
    return f"S{member.number}" if member and member.number else f"C{contact.pk}"


def entries(start: dt.date, end: dt.date) -> list[Entry]:
    """Every entry of the period, in chronological order (not yet numbered)."""
    found: list[Entry] = []
    receipts = (
        RequestPayment.objects.filter(paid_on__range=(start, end), movement__isnull=True)
        .select_related("request", "request__contact", "request__contact__member")
        .order_by("paid_on", "id")
    )
    for payment in receipts:
        contact = payment.request.contact
        found.append(
            Entry(
                date=payment.paid_on,
                rank=(0, payment.pk),
                piece=payment.request.reference,
                label=f"Versement reçu {payment.request.reference} {contact.display_name}",
                holder_id=contact.pk,
                holder_name=contact.display_name,
                aux=_aux(contact),
                valid=max(payment.paid_on, payment.recorded_at.date()),
                lines=[("bank", payment.amount, ZERO), ("received", ZERO, payment.amount)],
            )
        )
    movements = (
        Movement.objects.filter(date__range=(start, end))
        .exclude(kind__in=[MovementKind.TRANSFER, MovementKind.GIFT, MovementKind.REFUND_REQUEST])
        .select_related(
            "holder",
            "holder__member",
            "reverses",
            "reverses__subscription_request",
            "related",
            "subscription_request",
        )
        .order_by("date", "number")
    )
    for movement in movements.iterator(chunk_size=2000):
        via_request = hasattr(movement, "subscription_request")
        lines = lines_for(movement, via_request=via_request)
        if not lines:
            continue
        found.append(
            Entry(
                date=movement.date,
                rank=(1, movement.number),
                piece=f"MVT{movement.number}",
                label=f"{movement.kind_label} {movement.holder.display_name}",
                holder_id=movement.holder_id,
                holder_name=movement.holder.display_name,
                aux=_aux(movement.holder),
                valid=max(movement.date, movement.booked_at.date()),
                lines=lines,
            )
        )
    found.sort(key=lambda e: (e.date, e.rank))
    return found


def _amount(value: Decimal) -> str:
    """The FEC's amount: decimal comma, no grouping (article A. 47 A-1 of the LPF)."""
    return money.plain_decimal(money.to_cents(value))


def _clean(text: str) -> str:
    """No tab nor line break inside a field (they separate fields and records)."""
    return " ".join(text.split())


def fec_rows(start: dt.date, end: dt.date) -> Iterator[list[str]]:
    """Header then one row per line; entries numbered 1…N in chronological order."""
    settings = SubscriptionSettings.current()
    journal = (settings.fec_journal_code, settings.fec_journal_label)
    accounts = {role: (getattr(settings, name), label) for role, (name, label) in ROLES.items()}
    yield COLUMNS
    for number, entry in enumerate(entries(start, end), start=1):
        day = f"{entry.date:%Y%m%d}"
        for role, debit, credit in entry.lines:
            associate = role in ASSOCIATE_ROLES
            account, label = accounts[role]
            yield [
                journal[0],
                _clean(journal[1]),
                str(number),
                day,
                account,
                label,
                entry.aux if associate else "",
                _clean(entry.holder_name)[:100] if associate else "",
                entry.piece,
                day,
                _clean(entry.label)[:100],
                _amount(debit),
                _amount(credit),
                "",
                "",
                f"{entry.valid:%Y%m%d}",
                "",
                "",
            ]


def fec_text(start: dt.date, end: dt.date) -> str:
    return "\r\n".join("\t".join(r) for r in fec_rows(start, end)) + "\r\n"


# Letters that Unicode does not decompose into a base letter and an accent.
_BARE = {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i"}


def _latin9(text: str) -> bytes:
    """ISO 8859-15, a character it lacks written without its accent (« ł » → « l »), else « ? »."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("iso-8859-15")
        except UnicodeEncodeError:
            bare = unicodedata.normalize("NFKD", _BARE.get(char, char))
            out += bare.encode("ascii", "ignore") or b"?"
    return bytes(out)


def fec_bytes(start: dt.date, end: dt.date, encoding: str = "iso-8859-15") -> bytes:
    if encoding not in ENCODINGS:
        raise Refusal(f"Encodage inconnu « {encoding} » : ISO 8859-15 ou UTF-8.")
    text = fec_text(start, end)
    return _latin9(text) if encoding == "iso-8859-15" else text.encode("utf-8")


def fec_filename(end: dt.date) -> str:
    """`<SIREN>FEC<AAAAMMJJ>.txt`, the date being the closing date of the period."""
    siren = SubscriptionSettings.current().siren.strip()
    if not (len(siren) == 9 and siren.isdigit()):
        raise Refusal(
            "Renseignez le SIREN de la coopérative (9 chiffres) dans les paramètres de "
            "souscription : il forme le nom du fichier FEC (<SIREN>FEC<AAAAMMJJ>.txt)."
        )
    return f"{siren}FEC{end:%Y%m%d}.txt"

"""The register of share movements (registre des mouvements de titres, Code de commerce L228-1)
at any date: chronological rows, per-holder pages, CSV/XLSX/PDF files, frozen snapshots."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook

from placette.contacts.models import Contact
from placette.lib.pdf import pdf_render
from placette.membership import projections
from placette.membership.models import Member, Movement, Statutes

HEADER = [
    "n°",
    "date de valeur",
    "nature",
    "titulaire",
    "n° de fiche",
    "n° de sociétaire",
    "contrepartie",
    "parts",
    "capital souscrit (€)",
    "capital libéré (€)",
    "montant (€)",
    "annule le n°",
    "référence",
    "observation",
]


def movements_on(on: dt.date) -> QuerySet[Movement]:
    """Movements of the register up to `on`, in booking order, with what a row displays."""
    return (
        Movement.objects.filter(date__lte=on)
        .select_related("holder", "holder__member", "counterparty", "reverses")
        .order_by("number")
    )


def row(movement: Movement) -> list[Any]:
    member = getattr(movement.holder, "member", None)
    return [
        movement.number,
        movement.date,
        movement.kind_label,
        movement.holder.display_name,
        movement.holder_id,
        member.number if member else "",
        movement.counterparty.display_name if movement.counterparty else "",
        movement.shares,
        movement.capital,
        movement.paid,
        movement.amount,
        movement.reverses.number if movement.reverses else "",
        movement.reference,
        movement.note,
    ]


def rows(on: dt.date) -> Iterator[list[Any]]:
    for movement in movements_on(on).iterator(chunk_size=5000):
        yield row(movement)


def write_csv(on: dt.date, out: io.TextIOBase) -> None:
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    for values in rows(on):
        writer.writerow(["" if v is None else v for v in values])


def write_xlsx(on: dt.date, out: Any) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"Registre {on:%d-%m-%Y}")
    sheet.append(HEADER)
    for values in rows(on):
        sheet.append(values)
    workbook.save(out)


def holder_pages(on: dt.date, contacts: list[Contact] | None = None) -> list[dict]:
    """One page per holder: movements with the running number of shares and paid capital."""
    queryset = movements_on(on)
    if contacts is not None:
        queryset = queryset.filter(holder__in=contacts)
    pages: dict[int, dict] = {}
    for movement in queryset.order_by("holder__name_key", "holder_id", "date", "number"):
        page = pages.setdefault(
            movement.holder_id,
            {
                "holder": movement.holder,
                "member": getattr(movement.holder, "member", None),
                "lines": [],
                "shares": 0,
                "paid": 0,
            },
        )
        page["shares"] += movement.shares
        page["paid"] += movement.paid
        page["lines"].append((movement, page["shares"], page["paid"]))
    return list(pages.values())


def pdf(on: dt.date, *, holder: Contact | None = None) -> bytes:
    """The register at `on` ready to be initialled: the chronological list, then one page per
    holder (or only `holder`'s page)."""
    statutes = Statutes.objects.in_force(on)
    context = {
        "on": on,
        "coop_name": statutes.coop_name if statutes else "Placette",
        "movements": [] if holder else list(movements_on(on)),
        "pages": holder_pages(on, [holder] if holder else None),
        "capital": projections.capital_on(on),
        "members": Member.objects.active_on(on).count(),
    }
    return pdf_render("membership/register_pdf.html", context)

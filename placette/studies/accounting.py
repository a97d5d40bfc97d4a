"""What the accountant receives for a year: every invoice and credit note as its Factur-X PDF
and one summary (CSV and XLSX, through `lib.exports`), credit notes as negative amounts so the
columns add up to the year's revenue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from placette.lib.exports import csv_write, xlsx_write
from placette.studies.models import Invoice
from placette.studies.printouts import invoice_facturx


def accounting_header() -> list[str]:
    return [
        _("Numéro"),
        _("Type"),
        _("Date"),
        _("Échéance"),
        _("Client"),
        _("SIRET du client"),
        _("Facture d’origine"),
        _("Montant HT"),
        _("TVA"),
        _("Montant TTC"),
        _("Payé"),
        _("Reste dû"),
        _("Fichier"),
    ]


def accounting_invoices(year: int):
    return (
        Invoice.objects.filter(year=year)
        .select_related("credited_invoice")
        .order_by("series", "seq")
    )


def accounting_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf"


def accounting_rows(year: int) -> Iterator[list[Any]]:
    for invoice in accounting_invoices(year):
        sign = -1 if invoice.is_credit_note else 1
        yield [
            invoice.number,
            invoice.get_kind_display(),
            invoice.issued_on,
            None if invoice.is_credit_note else invoice.due_on,
            invoice.buyer_name,
            invoice.buyer_siret,
            invoice.credited_invoice.number if invoice.credited_invoice else "",
            sign * invoice.total_net,
            sign * invoice.total_vat,
            sign * invoice.total_gross,
            None if invoice.is_credit_note else invoice.paid_amount,
            None if invoice.is_credit_note else invoice.balance,
            accounting_filename(invoice),
        ]


def accounting_export(*, year: int, output: Path) -> list[Path]:
    """Write the year's Factur-X PDFs and `factures-<year>.csv|xlsx` into `output` (created
    when missing); return the files written."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for invoice in accounting_invoices(year):
        path = output / accounting_filename(invoice)
        path.write_bytes(invoice_facturx(invoice))
        written.append(path)
    header, rows = accounting_header(), list(accounting_rows(year))
    csv_path = output / f"factures-{year}.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as out:
        csv_write(out, header, rows)
    xlsx_path = output / f"factures-{year}.xlsx"
    with xlsx_path.open("wb") as out:
        xlsx_write(out, _("Factures %(year)s") % {"year": year}, header, rows)
    return [*written, csv_path, xlsx_path]

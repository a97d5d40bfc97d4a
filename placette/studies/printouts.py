"""The documents the studies area prints: the quote PDF and the invoice as Factur-X (a PDF/A-3
rendered by WeasyPrint with its CII XML embedded and checked against the official schema by the
`factur-x` package)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import facturx
from django.utils import timezone

from placette.lib.pdf import pdf_render
from placette.studies.cii import invoice_xml
from placette.studies.models import Invoice, Quote, QuoteLine, StudiesSettings


def quote_context(quote: Quote) -> dict[str, Any]:
    phases = []
    for phase in quote.phases.prefetch_related("lines__role", "lines__staff"):
        lines = list(phase.lines.all())
        phases.append(
            {
                "phase": phase,
                "lines": [line for line in lines if not line.is_option],
                "options": [line for line in lines if line.is_option],
            }
        )
    loose = list(QuoteLine.objects.filter(quote=quote, phase__isnull=True).select_related("role"))
    settings = StudiesSettings.get()
    return {
        "quote": quote,
        "phases": phases,
        "loose": [line for line in loose if not line.is_option],
        "loose_options": [line for line in loose if line.is_option],
        "seller": settings.seller(),
        "settings": settings,
        "client": quote.client,
        "status": quote.status_on(),
    }


def quote_pdf(quote: Quote) -> bytes:
    return pdf_render("studies/pdf/quote.html", quote_context(quote))


def invoice_pdf(invoice: Invoice) -> bytes:
    """The printable invoice alone, as PDF/A-3b (what Factur-X embeds its XML into)."""
    return pdf_render(
        "studies/pdf/invoice.html",
        {
            "invoice": invoice,
            "lines": list(invoice.lines.all()),
            "seller": invoice.seller,
            "indemnity": Decimal(invoice.seller.get("recovery_indemnity") or 40),
            "printed_on": timezone.localdate(),
        },
        variant="pdf/a-3b",
    )


def invoice_cii(invoice: Invoice) -> bytes:
    return invoice_xml(invoice, list(invoice.lines.all()))


def invoice_facturx(invoice: Invoice) -> bytes:
    """The invoice as Factur-X (profile EN 16931): the PDF/A-3 with `factur-x.xml` attached.
    The package checks the XML against the official schema and raises when it does not pass."""
    return facturx.generate_from_binary(
        invoice_pdf(invoice),
        invoice_cii(invoice),
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        lang="fr-FR",
        pdf_metadata={
            "author": invoice.seller.get("name", ""),
            "keywords": "Factur-X, facture",
            "title": f"{invoice.get_kind_display()} {invoice.number}",
            "subject": f"{invoice.get_kind_display()} {invoice.number} du "
            f"{invoice.issued_on:%d/%m/%Y}",
        },
    )

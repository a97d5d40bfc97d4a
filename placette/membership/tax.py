"""IR-PME états individuels (CGI art. 199 terdecies-0 A; content: CGI ann. III art. 46 AI bis).

Each year the coop gives every eligible investor one statement of the cash payments they made
that year for subscriptions to its capital. Eligible here: a natural person who declared being
a French tax resident on the bulletin, for an approved subscription whose movement is not
cancelled, paid in cash (transfer, cheque, SEPA debit) during the year.

The statement prints every field the law requires: the purpose (the article), the company's
name, object and seat, the subscriber's identity and address, the number of shares, the amount
and date of the subscription, the amount and date of each payment, and that the eligibility
conditions are met. The rate and ceilings of the year come from `TaxYear` (settings per tax
year, to verify every year); the company's object and seat from `SubscriptionSettings`.

A batch is idempotent: one statement per investor and year (a database constraint); running it
again rewrites only the statements whose facts changed (and sends those again with `send`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from placette.contacts.models import Contact
from placette.lib.audit import audit_log
from placette.lib.jobs import JobResult
from placette.lib.models import Job
from placette.lib.pdf import pdf_render
from placette.lib.refusals import Refusal
from placette.membership.mails import tax_statement_mail
from placette.membership.models import TaxYear
from placette.membership.models_requests import (
    DocumentKind,
    RequestPayment,
    RequestStatus,
    SubscriptionDocument,
    SubscriptionSettings,
)
from placette.membership.services import statutes_in_force

ARTICLE = "article 199 terdecies-0 A du code général des impôts"


@dataclass
class Subscription:
    reference: str
    shares: int
    amount: Decimal
    subscribed_on: dt.date
    payments: list[tuple[dt.date, Decimal, bool]]  # (date, amount, in the year)


@dataclass
class Statement:
    contact: Contact
    year: int
    subscriptions: list[Subscription] = field(default_factory=list)

    @property
    def total_paid_in_year(self) -> Decimal:
        return sum(
            (amount for s in self.subscriptions for _, amount, inside in s.payments if inside),
            Decimal("0.00"),
        )

    def facts(self) -> str:
        c = self.contact
        data = {
            "year": self.year,
            "name": c.display_name,
            "address": [c.address_line1, c.address_line2, c.postcode, c.commune_name],
            "subscriptions": [
                [s.reference, s.shares, str(s.amount), s.subscribed_on.isoformat()]
                + [[d.isoformat(), str(a), i] for d, a, i in s.payments]
                for s in self.subscriptions
            ],
        }
        return json.dumps(data, sort_keys=True)


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    queued: int = 0
    documents: list[SubscriptionDocument] = field(default_factory=list)


def eligible_statements(year: int) -> list[Statement]:
    """The statements of `year`, one per investor, from the payments made in that year."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_year = (
        RequestPayment.objects.filter(
            paid_on__range=(start, end),
            request__status=RequestStatus.APPROVED,
            request__tax_resident_fr=True,
            request__contact__kind="person",
            request__movement__reversed_by__isnull=True,
        )
        .values_list("request_id", flat=True)
        .distinct()
    )
    payments = (
        RequestPayment.objects.filter(request_id__in=list(in_year))
        .select_related("request__contact", "request__movement")
        .order_by("request__contact__name_key", "request__contact_id", "request_id", "paid_on")
    )
    statements: dict[int, Statement] = {}
    subscriptions: dict[int, Subscription] = {}
    for payment in payments:
        req = payment.request
        statement = statements.setdefault(req.contact_id, Statement(contact=req.contact, year=year))
        subscription = subscriptions.get(req.pk)
        if subscription is None:
            assert req.movement is not None  # the query keeps only requests with a movement
            subscription = subscriptions[req.pk] = Subscription(
                reference=req.reference,
                shares=req.shares,
                amount=req.amount,
                subscribed_on=req.movement.date,
                payments=[],
            )
            statement.subscriptions.append(subscription)
        subscription.payments.append(
            (payment.paid_on, payment.amount, start <= payment.paid_on <= end)
        )
    return list(statements.values())


def _company(year: int) -> dict[str, Any]:
    settings = SubscriptionSettings.current()
    statutes = statutes_in_force(dt.date(year, 12, 31))
    missing = [
        label
        for label, value in (
            ("l’objet social", settings.company_object),
            ("le siège social", settings.company_seat),
        )
        if not value.strip()
    ]
    if missing:
        raise Refusal(
            [
                f"Renseignez {' et '.join(missing)} dans les paramètres de souscription : "
                "l’état individuel doit les mentionner."
            ]
        )
    return {
        "name": statutes.coop_name,
        "legal_form": statutes.get_legal_form_display(),
        "object": settings.company_object,
        "seat": settings.company_seat,
        "siren": settings.siren,
        "esus": settings.esus_reference,
    }


def tax_statements_check(year: int) -> tuple[TaxYear, dict[str, Any]]:
    """The year's settings and the company's identity, or a `Refusal` saying what is missing."""
    tax_year = TaxYear.objects.filter(year=year).first()
    if tax_year is None:
        raise Refusal(
            [
                f"Les paramètres IR-PME de {year} (taux, plafonds) ne sont pas renseignés : "
                "ajoutez-les avant de produire les états individuels."
            ]
        )
    return tax_year, _company(year)


def tax_statements_to_send(year: int) -> int:
    """How many investors of `year` have not received their statement yet (those whose facts
    changed since it was sent receive the corrected one too)."""
    contacts = {statement.contact.pk for statement in eligible_statements(year)}
    sent = SubscriptionDocument.objects.filter(
        kind=DocumentKind.TAX_STATEMENT, year=year, contact_id__in=contacts, sent_at__isnull=False
    ).count()
    return len(contacts) - sent


def tax_statements_generate(
    *,
    actor: Any,
    year: int,
    send: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """Produce (or refresh) the états individuels of `year`; with `send`, email those not yet
    sent. Refused when the year's IR-PME settings (`TaxYear`) or the company's object and seat
    are missing. Each statement is stored in its own transaction (`progress(done, total)`
    after each): a batch interrupted half-way is simply run again."""
    tax_year, company = tax_statements_check(year)
    result = BatchResult()
    statements = eligible_statements(year)
    for done, statement in enumerate(statements, start=1):
        if progress:
            progress(done - 1, len(statements))
        with transaction.atomic():
            document, state = _statement_store(statement, company=company, tax_year=tax_year)
            setattr(result, state, getattr(result, state) + 1)
            result.documents.append(document)
            if send and document.sent_at is None:
                if tax_statement_mail(document=document) is None:
                    audit_log(
                        actor=None,
                        action="membership.document.no_email",
                        obj=document.contact,
                        document=document.pk,
                    )
                else:
                    result.queued += 1
    if progress:
        progress(len(statements), len(statements))
    audit_log(
        actor=actor,
        action="membership.tax_statements.generated",
        year=year,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        queued=result.queued,
    )
    return result


def tax_statements_job(job: Job, *, year: int, send: bool) -> JobResult:
    """Background job (`placette.lib.jobs`): one PDF per investor, a few hundred for a year."""
    result = tax_statements_generate(
        actor=job.started_by,
        year=year,
        send=send,
        progress=lambda done, total: job.progress(done, total, "États individuels produits…"),
    )
    return JobResult(message=batch_summary(year, result, send=send))


def batch_summary(year: int, result: BatchResult, *, send: bool) -> str:
    return (
        f"{year} : {result.created} état(s) créé(s), {result.updated} mis à jour, "
        f"{result.unchanged} inchangé(s)"
        + (f", {result.queued} envoi(s) programmé(s)." if send else ".")
    )


def _statement_store(
    statement: Statement, *, company: dict[str, Any], tax_year: TaxYear
) -> tuple[SubscriptionDocument, str]:
    facts = hashlib.sha256(
        (statement.facts() + json.dumps(company, sort_keys=True)).encode()
    ).hexdigest()
    document = (
        SubscriptionDocument.objects.select_for_update()
        .filter(kind=DocumentKind.TAX_STATEMENT, contact=statement.contact, year=statement.year)
        .first()
    )
    if document is not None and document.facts_sha256 == facts:
        return document, "unchanged"
    content = pdf_render(
        "membership/pdf/tax_statement.html",
        {
            "statement": statement,
            "company": company,
            "coop_name": company["name"],
            "tax_year": tax_year,
            "article": ARTICLE,
            "today": timezone.localdate(),
        },
    )
    state = "updated"
    if document is None:
        state = "created"
        document = SubscriptionDocument(
            kind=DocumentKind.TAX_STATEMENT,
            contact=statement.contact,
            year=statement.year,
            filename=f"etat-individuel-ir-pme-{statement.year}-{statement.contact.pk}.pdf",
        )
    document.set_content(content)
    document.facts_sha256 = facts
    document.created_at = timezone.now()
    document.sent_at = None  # new facts: the investor must receive the corrected statement
    document.sent_to = ""
    document.save()
    return document, state

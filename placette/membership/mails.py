"""The emails of membership, all through placette.lib.mail: the bulletin and the certificate
of a subscription, its refusal, the IR-PME statements and the unpaid-capital reminders.

PDFs are produced inside the mail task (`@mail_attachment` producers), not in the request;
the outcome is recorded by `SubscriptionRequest.mail_sent` / `SubscriptionDocument.mail_sent`.
"""

from __future__ import annotations

import secrets

from placette.lib.mail import Attachment, mail_attachment, mail_render, mail_send
from placette.lib.models import OutgoingMessage
from placette.lib.money import euros
from placette.membership.models import UnpaidReminder
from placette.membership.models_requests import (
    DocumentKind,
    SubscriptionDocument,
    SubscriptionRequest,
)
from placette.membership.services import statutes_in_force


def _pdf(document: SubscriptionDocument) -> Attachment:
    return Attachment(
        filename=document.filename, content=bytes(document.content), mimetype="application/pdf"
    )


@mail_attachment
def request_document_attachment(*, request_id: int, kind: str) -> Attachment:
    """The bulletin or certificate of a request, rendered and stored on first use."""
    from placette.membership.subscriptions import document_ensure

    request = SubscriptionRequest.objects.select_related("contact").get(pk=request_id)
    return _pdf(document_ensure(kind=kind, request=request))


@mail_attachment
def document_attachment(*, document_id: int) -> Attachment:
    """A stored document (an IR-PME statement) as it is when the email leaves."""
    return _pdf(SubscriptionDocument.objects.get(pk=document_id))


def request_document_mail(*, kind: str, request: SubscriptionRequest) -> OutgoingMessage | None:
    """Queue the email of a request's bulletin or certificate (None: no address)."""
    return mail_send(
        template=f"membership/{kind}",
        to_contact=request.contact,
        context={"req": request, "coop_name": statutes_in_force().coop_name},
        kind=f"membership.{kind}",
        key=f"membership.{kind}:{request.pk}",
        related=request,
        attachments=[
            Attachment.later(request_document_attachment, request_id=request.pk, kind=kind)
        ],
    )


def refusal_mail(*, request: SubscriptionRequest) -> OutgoingMessage | None:
    return mail_send(
        template="membership/refusal",
        to_contact=request.contact,
        context={
            "req": request,
            "received": request.received(),
            "coop_name": statutes_in_force().coop_name,
        },
        kind="membership.refusal",
        key=f"membership.refusal:{request.pk}",
        related=request,
    )


def tax_statement_mail(*, document: SubscriptionDocument) -> OutgoingMessage | None:
    """Queue a statement's email; a corrected statement (new facts) is a new message."""
    assert document.kind == DocumentKind.TAX_STATEMENT
    return mail_send(
        template="membership/tax_statement",
        to_contact=document.contact,
        context={"doc": document, "coop_name": statutes_in_force().coop_name},
        kind="membership.tax_statement",
        key=f"membership.tax_statement:{document.pk}:{document.facts_sha256}",
        related=document,
        attachments=[Attachment.later(document_attachment, document_id=document.pk)],
    )


def unpaid_reminder_mail(*, reminder: UnpaidReminder) -> OutgoingMessage | None:
    statutes = statutes_in_force(reminder.month)
    return mail_send(
        template="membership/unpaid_reminder",
        to_contact=reminder.holder,
        context={
            "reminder": reminder,
            "amount": euros(reminder.outstanding),
            "delay_months": statutes.balance_delay_months,
            "coop_name": statutes.coop_name,
        },
        kind="membership.unpaid_reminder",
        key=f"membership.unpaid_reminder:{reminder.pk}",
        related=reminder,
    )


def tax_statement_sample(year: int) -> SubscriptionDocument | None:
    """A statement of `year` to preview the email with: a stored one when the batch already
    ran, else an unsaved one for the first eligible investor (None when there is none)."""
    from placette.membership.tax import eligible_statements

    stored = (
        SubscriptionDocument.objects.filter(kind=DocumentKind.TAX_STATEMENT, year=year)
        .select_related("contact")
        .order_by("contact__name_key", "pk")
        .first()
    )
    if stored is not None:
        return stored
    statements = eligible_statements(year)
    if not statements:
        return None
    first = statements[0]
    return SubscriptionDocument(
        kind=DocumentKind.TAX_STATEMENT,
        contact=first.contact,
        year=year,
        movement=first.subscription.movement,
    )


def tax_statement_preview(*, document: SubscriptionDocument) -> tuple[str, str, str]:
    """(subject, text, html) of the statement email as its investor gets it."""
    context = {"doc": document, "coop_name": statutes_in_force().coop_name}
    return mail_render(
        "membership/tax_statement",
        {**context, "recipient": document.contact, "to": document.contact.mail_to},
    )


def tax_statement_test_send(*, document: SubscriptionDocument, to: str) -> OutgoingMessage | None:
    """Send to `to` (the staff member) the statement email `document`'s investor will get,
    with its PDF when the statement is already produced; nothing is recorded as sent."""
    return mail_send(
        template="membership/tax_statement",
        to_email=to,
        context={"doc": document, "coop_name": statutes_in_force().coop_name},
        kind="membership.tax_statement.test",
        key=f"membership.tax_statement.test:{document.year}:{secrets.token_hex(8)}",
        headers={"X-Placette-Essai": "1"},
        attachments=(
            [Attachment.later(document_attachment, document_id=document.pk)] if document.pk else []
        ),
    )

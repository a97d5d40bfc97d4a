"""Background work of the subscription journey (Django's Tasks API): emailing documents.

Each task is idempotent (a `sent_at` per document, `refusal_sent_at` per request), so a worker
killed half-way or a retried task never sends twice, and a failed sending loses nothing: the
request and its PDF are already stored.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string

from placette.membership.models_requests import (
    DocumentKind,
    SubscriptionDocument,
    SubscriptionRequest,
)

SUBJECTS: dict[str, str] = {
    DocumentKind.BULLETIN: "Votre bulletin de souscription {ref}",
    DocumentKind.CERTIFICATE: "Votre certificat de parts sociales ({ref})",
    DocumentKind.TAX_STATEMENT: "Votre état individuel IR-PME {year}",
}


def _email(*, subject: str, template: str, context: dict, to: str) -> EmailMultiAlternatives:
    context = {**context, "site_url": settings.SITE_URL}
    text = render_to_string(f"membership/email/{template}.txt", context)
    html = render_to_string(f"membership/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    message.attach_alternative(html, "text/html")
    return message


def document_email(document: SubscriptionDocument, to: str) -> EmailMultiAlternatives:
    from placette.membership.services import statutes_in_force

    request = document.request
    subject = SUBJECTS[document.kind].format(
        ref=request.reference if request else "", year=document.year or ""
    )
    statutes = statutes_in_force()
    message = _email(
        subject=subject,
        template=document.kind,
        context={"doc": document, "req": request, "coop_name": statutes.coop_name},
        to=to,
    )
    message.attach(document.filename, bytes(document.content), "application/pdf")
    return message


def refusal_email(request: SubscriptionRequest, to: str) -> EmailMultiAlternatives:
    from placette.membership.services import statutes_in_force

    return _email(
        subject=f"Votre demande de souscription {request.reference}",
        template="refusal",
        context={
            "req": request,
            "received": request.received(),
            "coop_name": statutes_in_force().coop_name,
        },
        to=to,
    )


@task
def document_send_task(document_id: int) -> bool:
    from placette.membership.subscriptions import document_send

    return document_send(document_id=document_id)


@task
def refusal_send_task(request_id: int) -> bool:
    from placette.membership.subscriptions import refusal_send

    return refusal_send(request_id=request_id)

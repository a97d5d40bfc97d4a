"""Public pages of the subscription journey (no sign-in): the bulletin de souscription at
/souscrire/, its confirmation with the payment instructions, and the bulletin PDF.

The confirmation and the PDF are reached by an unguessable key given only to the subscriber."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from placette.lib.client import client_ip_or_none, client_user_agent
from placette.lib.documents import document_response
from placette.lib.pdf import pdf_response
from placette.lib.ratelimit import client_ip, rate_consume
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show
from placette.membership.forms_public import SubscriptionForm
from placette.membership.models import Statutes
from placette.membership.models_requests import (
    DocumentKind,
    SubscriptionDocument,
    SubscriptionRequest,
    SubscriptionSettings,
)
from placette.membership.subscriptions import (
    _min_paid,
    document_pdf,
    form_token_new,
    public_categories,
    subscription_request_create,
)

# Anti-abuse: one e-mail address sends at most 3 bulletins a day, one client 10 an hour.
EMAIL_LIMIT = (3, 24 * 3600)
CLIENT_LIMIT = (10, 3600)


def _within_limits(request: HttpRequest, email: str) -> bool:
    by_email = rate_consume(
        scope="subscribe-email",
        key=email.strip().lower(),
        limit=EMAIL_LIMIT[0],
        period=EMAIL_LIMIT[1],
    )
    by_client = rate_consume(
        scope="subscribe-ip", key=client_ip(request), limit=CLIENT_LIMIT[0], period=CLIENT_LIMIT[1]
    )
    return by_email and by_client


def subscribe(request: HttpRequest) -> HttpResponse:
    """The public form (no guard: anyone may subscribe; staff approves)."""
    statutes = Statutes.objects.in_force(timezone.localdate())
    if statutes is None:
        return render(request, "membership/public/closed.html", status=503)
    categories = public_categories(statutes)
    form = SubscriptionForm(
        request.POST or None,
        categories=categories,
        share_value=statutes.share_value,
        initial={"form_token": form_token_new(), "subscriber_kind": "person", "shares": 1},
    )
    if request.method == "POST":
        token = request.POST.get("form_token", "")
        done = SubscriptionRequest.objects.filter(form_token=token).first() if token else None
        if done is not None:
            # The same form sent twice (double click, back button): same confirmation.
            return redirect("membership_public:confirmation", key=done.access_key)
        if form.is_valid() and not _within_limits(request, form.cleaned_data["email"]):
            form.add_error(
                None,
                _(
                    "Trop de bulletins envoyés en peu de temps depuis cette adresse. "
                    "Réessayez plus tard ou écrivez-nous."
                ),
            )
        if form.is_valid():
            try:
                created, _created = subscription_request_create(
                    actor=request.user,
                    form_token=form.cleaned_data["form_token"],
                    shares=form.cleaned_data["shares"],
                    payment_method=form.cleaned_data["payment_method"],
                    category=form.cleaned_data["category"],
                    person=form.person_data(),
                    organisation=form.organisation_data(),
                    representative_role=form.cleaned_data.get("representative_role", ""),
                    iban=form.cleaned_data.get("iban", ""),
                    bic=form.cleaned_data.get("bic", ""),
                    account_holder=form.cleaned_data.get("account_holder", ""),
                    tax_resident_fr=form.cleaned_data.get("tax_resident_fr", False),
                    consents_given=form.consents_given(),
                    e_convocation=form.cleaned_data.get("e_convocation", False),
                    ip=client_ip_or_none(request),
                    user_agent=client_user_agent(request),
                )
            except Refusal as exc:
                refusal_show(request, exc, form)
            else:
                return redirect("membership_public:confirmation", key=created.access_key)
    rules = {r.category_id: r for r in statutes.rules.all()}
    return render(
        request,
        "membership/public/subscribe.html",
        {
            "form": form,
            "statutes": statutes,
            "rules": [rules[c.pk] for c in categories if c.pk in rules],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def confirmation(request: HttpRequest, key: str) -> HttpResponse:
    req = get_object_or_404(
        SubscriptionRequest.objects.select_related("contact", "category"), access_key=key
    )
    statutes = Statutes.objects.in_force(timezone.localtime(req.created_at).date())
    return render(
        request,
        "membership/public/confirmation.html",
        {
            "req": req,
            "payment": SubscriptionSettings.current(),
            "min_paid": _min_paid(req, statutes) if statutes else req.amount,
        },
    )


@require_GET
def bulletin(request: HttpRequest, key: str) -> HttpResponse:
    req = get_object_or_404(SubscriptionRequest, access_key=key)
    document = SubscriptionDocument.objects.filter(request=req, kind=DocumentKind.BULLETIN).first()
    if document is None:
        # The mail task has not stored it yet: the same PDF, rendered for this download only.
        content = document_pdf(kind=DocumentKind.BULLETIN, request=req)
        return pdf_response(f"bulletin-souscription-{req.reference}", content)
    # The request's secret key stands for the subscriber, who may have no account yet.
    return cast(HttpResponse, document_response(document.document))

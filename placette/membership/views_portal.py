"""The member's own pages under /espace/societariat/: holdings and movements, documents,
a further subscription, a refund request; the choice of convocation by email or by post is
shown here and changed through the consent ledger's page (/espace/consentements/)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from placette.contacts.models import ConsentPurpose, Contact
from placette.contacts.services import ConsentState, consent_purpose_offered, consent_state
from placette.lib.client import client_ip_or_none, client_user_agent
from placette.lib.permissions import contact_of_user, signed_in_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show
from placette.membership import projections
from placette.membership.forms_public import MoreSharesForm, RefundForm
from placette.membership.models import Member, Movement
from placette.membership.models_requests import SubscriptionDocument, SubscriptionRequest
from placette.membership.services import refund_request
from placette.membership.subscriptions import (
    form_token_new,
    subscription_request_create,
)


def _member(contact: Contact) -> Member | None:
    member = Member.objects.filter(contact=contact).select_related("category").first()
    return member if member and member.is_active_on(timezone.localdate()) else None


def _convocation_state(contact: Contact) -> ConsentState | None:
    """The member's electronic-convocation consent, None when the purpose is not offered."""
    purpose = consent_purpose_offered(ConsentPurpose.AG_CONVOCATION)
    return consent_state(contact, purpose) if purpose is not None else None


@signed_in_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    contact = contact_of_user(request)
    context = {
        "contact": contact,
        "member": _member(contact),
        "holding": projections.holding_of(contact),
        "movements": Movement.objects.filter(holder=contact).order_by("-number")[:200],
        "documents": SubscriptionDocument.objects.filter(contact=contact)
        .select_related("document", "request")
        .order_by("-created_at"),
        "requests": SubscriptionRequest.objects.filter(contact=contact).select_related("category"),
        "convocation": _convocation_state(contact),
    }
    return render(request, "membership/portal/home.html", context)


@signed_in_required
def subscribe_more(request: HttpRequest) -> HttpResponse:
    contact = contact_of_user(request)
    member = _member(contact)
    if member is None:
        messages.info(
            request, _("Vous n’êtes pas encore sociétaire : souscrivez avec le bulletin.")
        )
        return redirect("membership_public:subscribe")
    form = MoreSharesForm(
        request.POST or None,
        initial={"form_token": form_token_new(), "shares": 1, "payment_method": "transfer"},
    )
    if request.method == "POST":
        done = SubscriptionRequest.objects.filter(
            form_token=request.POST.get("form_token", "-"), contact=contact
        ).first()
        if done is not None:
            return redirect("membership_public:confirmation", key=done.access_key)
        if form.is_valid():
            try:
                created, _created_now = subscription_request_create(
                    actor=request.user,
                    form_token=form.cleaned_data["form_token"],
                    contact=contact,
                    shares=form.cleaned_data["shares"],
                    payment_method=form.cleaned_data["payment_method"],
                    iban=form.cleaned_data.get("iban", ""),
                    bic=form.cleaned_data.get("bic", ""),
                    account_holder=form.cleaned_data.get("account_holder", ""),
                    consents_given=form.consents_given(),
                    e_convocation=form.cleaned_data.get("e_convocation", False),
                    ip=client_ip_or_none(request),
                    user_agent=client_user_agent(request),
                )
            except Refusal as exc:
                refusal_show(request, exc, form)
            else:
                return redirect("membership_public:confirmation", key=created.access_key)
    return render(
        request,
        "membership/portal/subscribe_more.html",
        {"form": form, "member": member, "holding": projections.holding_of(contact)},
        status=400 if request.method == "POST" else 200,
    )


@signed_in_required
def refund(request: HttpRequest) -> HttpResponse:
    contact = contact_of_user(request)
    member = _member(contact)
    if member is None:
        raise Http404("Vous n’êtes pas sociétaire.")
    form = RefundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            movement = refund_request(
                actor=request.user,
                contact=contact,
                shares=form.cleaned_data["shares"],
                note=(
                    _("Demandé dans l’espace sociétaire. %(note)s")
                    % {"note": form.cleaned_data["note"]}
                ).strip(),
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(
                request,
                _(
                    "Votre demande de remboursement de %(quantity)s part(s) est enregistrée "
                    "(n° %(number)s) ; le conseil d’administration l’examinera."
                )
                % {"quantity": movement.quantity, "number": movement.number},
            )
            for warning in getattr(movement, "warnings", []):
                messages.warning(request, warning)
            return redirect("membership_portal:home")
    return render(
        request,
        "membership/portal/refund.html",
        {"form": form, "holding": projections.holding_of(contact)},
        status=400 if request.method == "POST" else 200,
    )

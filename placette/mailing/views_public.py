"""Public pages (/lettres/): archive, sign-up with double opt-in, preferences by opaque key,
the RFC 8058 one-click unsubscribe, and the images of the newsletters. No sign-in."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from placette.contacts.services import consent_states
from placette.lib.client import client_ip_or_none, client_user_agent
from placette.lib.documents import document_response
from placette.lib.ratelimit import rate_consume
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show
from placette.mailing import rendering, services
from placette.mailing.forms import SignupForm
from placette.mailing.models import Campaign, CampaignImage, CampaignStatus
from placette.mailing.suppression import suppression_of


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.filter(status=CampaignStatus.SENT, archived=True).order_by(
        "-sent_at", "-id"
    )[:200]
    return render(request, "mailing/public/archive.html", {"campaigns": campaigns})


@require_GET
def archive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk, status=CampaignStatus.SENT, archived=True)
    html = rendering.archive_html(campaign)
    response = HttpResponse(html)
    # The newsletter's own document: no script may run in it.
    response["Content-Security-Policy"] = "script-src 'none'; object-src 'none'"
    return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    purposes = services.newsletter_purposes()
    form = SignupForm(request.POST or None, purposes=purposes)
    if request.method == "POST" and form.is_valid():
        ip = client_ip_or_none(request) or ""
        if not rate_consume(scope="mailing.signup", key=ip, limit=20, period=3600) or (
            not rate_consume(
                scope="mailing.signup.email",
                key=form.cleaned_data["email"].lower(),
                limit=3,
                period=3600,
            )
        ):
            form.add_error(None, _("Trop d’inscriptions en peu de temps : réessayez plus tard."))
        else:
            try:
                services.signup_request(
                    email=form.cleaned_data["email"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    purposes=form.chosen_purposes(),
                    ip=client_ip_or_none(request),
                    user_agent=client_user_agent(request),
                )
            except Refusal as exc:
                refusal_show(request, exc, form)
            else:
                return render(
                    request,
                    "mailing/public/signup_sent.html",
                    {"email": form.cleaned_data["email"]},
                )
    return render(request, "mailing/public/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    signup_ = services.signup_pending(token)
    if signup_ is None:
        return render(request, "mailing/public/signup_invalid.html", status=404)
    if request.method == "POST":
        contact = services.signup_confirm(
            signup=signup_, ip=client_ip_or_none(request), user_agent=client_user_agent(request)
        )
        messages.success(request, _("Merci, votre inscription est confirmée."))
        return redirect("mailing_public:preferences", services.preference_key_get(contact).token)
    return render(request, "mailing/public/signup_confirm.html", {"signup": signup_})


def _preferences_page(request: HttpRequest, token: str, status: int = 200) -> HttpResponse:
    resolved = services.token_resolve(token)
    if resolved is None:
        return render(request, "mailing/public/token_invalid.html", status=404)
    contact, delivery = resolved
    allowed = {p.pk for p in services.newsletter_purposes()}
    states = [s for s in consent_states(contact) if s.purpose.pk in allowed]
    return render(
        request,
        "mailing/public/preferences.html",
        {
            "contact": contact,
            "states": states,
            "token": token,
            "delivery": delivery,
            "suppression": suppression_of(contact.email),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        return _preferences_page(request, token)
    resolved = services.token_resolve(token)
    if resolved is None:
        return render(request, "mailing/public/token_invalid.html", status=404)
    contact, _delivery = resolved
    ip, agent = client_ip_or_none(request), client_user_agent(request)
    try:
        if request.POST.get("stop_all") == "1":
            services.preferences_stop_all(contact=contact, ip=ip, user_agent=agent)
            messages.success(request, _("C’est fait : vous ne recevrez plus aucune lettre."))
        else:
            by_code = {p.code: p for p in services.newsletter_purposes()}
            purpose = by_code.get(request.POST.get("purpose", ""))
            if purpose is None:
                raise Refusal(_("Cette finalité n’est plus proposée."), field="purpose")
            given = request.POST.get("given") == "1"
            services.preference_set(
                contact=contact, purpose=purpose, given=given, ip=ip, user_agent=agent
            )
            messages.success(
                request,
                (
                    _("Inscription enregistrée : %(label)s.")
                    if given
                    else _("Désinscription enregistrée : %(label)s.")
                )
                % {"label": purpose.label},
            )
    except Refusal as exc:
        refusal_show(request, exc, None)
    return redirect("mailing_public:preferences", token)


@csrf_exempt  # RFC 8058: the mail client posts without any page or cookie of ours
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """POST (List-Unsubscribe=One-Click, or the button of this page): unsubscribe at once,
    no confirmation page. GET: the preferences page."""
    if request.method == "GET":
        return _preferences_page(request, token)
    done = services.unsubscribe_one_click(
        token=token, ip=client_ip_or_none(request), user_agent=client_user_agent(request)
    )
    if not done:
        return render(request, "mailing/public/token_invalid.html", status=404)
    return render(request, "mailing/public/unsubscribed.html", {"token": token})


@require_GET
def image(request: HttpRequest, key: str) -> HttpResponse:
    found = CampaignImage.objects.select_related("document").filter(key=key).first()
    if found is None:
        raise Http404
    return document_response(found.document)


@csrf_exempt  # the relay posts without a page of ours; anymail checks the shared secret
def webhook_brevo(request: HttpRequest) -> HttpResponse:
    """Brevo's tracking webhook (bounces, complaints), through django-anymail, which refuses
    a request without the configured basic-auth secret (ANYMAIL_WEBHOOK_SECRET). Without a
    secret configured the webhook does not exist (404), never open to anyone."""
    from django.conf import settings

    if not (getattr(settings, "ANYMAIL", {}) or {}).get("WEBHOOK_SECRET"):
        raise Http404(_("Webhook désactivé : ANYMAIL_WEBHOOK_SECRET n’est pas défini."))
    from anymail.webhooks.brevo import BrevoTrackingWebhookView

    return BrevoTrackingWebhookView.as_view()(request)

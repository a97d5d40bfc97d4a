"""The member's own consents under /espace/consentements/: see and change each of them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from placette.contacts.models import ConsentPurpose, ConsentSource
from placette.contacts.services import consent_set, consent_states
from placette.lib.client import client_ip_or_none, client_user_agent
from placette.lib.permissions import contact_of_user, signed_in_required
from placette.lib.refusals import Refusal
from placette.lib.views import next_url, refusal_show


@signed_in_required
def consents(request: HttpRequest) -> HttpResponse:
    """GET: each purpose the member may change, its state and the words a change means.
    POST (`purpose`, `given`, `version`): record the change with the words shown (source
    portal, with the IP address and browser), refused when the text changed meanwhile."""
    contact = contact_of_user(request)
    if request.method == "POST":
        purpose = ConsentPurpose.objects.filter(
            code=request.POST.get("purpose", ""), active=True, member_can_change=True
        ).first()
        given = request.POST.get("given") == "1"
        if purpose is None:
            messages.error(request, _("Ce consentement ne se modifie pas depuis votre espace."))
        elif request.POST.get("version") != purpose.version:
            messages.error(
                request,
                _("Le texte a changé depuis l’affichage de la page : relisez-le puis confirmez."),
            )
        else:
            try:
                consent_set(
                    contact=contact,
                    purpose=purpose,
                    given=given,
                    source=ConsentSource.PORTAL,
                    text=purpose.text_for(given),
                    version=purpose.version,
                    ip=client_ip_or_none(request),
                    user_agent=client_user_agent(request),
                    actor=request.user,
                )
            except Refusal as exc:
                refusal_show(request, exc)
            else:
                message = (
                    _("Votre accord est enregistré : %(purpose)s.")
                    if given
                    else _("Votre retrait est enregistré : %(purpose)s.")
                )
                messages.success(request, message % {"purpose": purpose.label})
        return redirect(next_url(request, reverse("contacts_portal:consents")))
    states = [s for s in consent_states(contact) if s.purpose.member_can_change]
    return render(request, "contacts/portal/consents.html", {"contact": contact, "states": states})

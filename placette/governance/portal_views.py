"""Members' pages of governance (/espace/gouvernance/): vote online, give a proxy, see the
convocation channel (changed through the consent ledger's page), answer the questionnaire.
A member sees only meetings they are on the roll of."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from placette.contacts.models import ConsentPurpose, Contact
from placette.contacts.services import ConsentState, consent_purpose_offered, consent_state
from placette.governance import services
from placette.governance.forms import EvaluationForm, ProxyForm, VoteForm
from placette.governance.models import (
    EvaluationAnswer,
    Meeting,
    Proxy,
    RollEntry,
)
from placette.lib.permissions import contact_of_user, signed_in_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show


def _entry(request: HttpRequest, meeting: Meeting) -> RollEntry:
    entry = services.roll_entry_of(meeting, contact_of_user(request))
    if entry is None:
        raise PermissionDenied("Vous n’êtes pas sur la liste des votants de cette réunion.")
    return entry


def _convocation_state(contact: Contact) -> ConsentState | None:
    """The member's electronic-convocation consent, None when the purpose is not offered."""
    purpose = consent_purpose_offered(ConsentPurpose.AG_CONVOCATION)
    return consent_state(contact, purpose) if purpose is not None else None


@signed_in_required
def home(request: HttpRequest) -> HttpResponse:
    contact = contact_of_user(request)
    entries = (
        RollEntry.objects.filter(contact=contact)
        .select_related("meeting")
        .order_by("-meeting__starts_at")[:20]
    )
    convocation = _convocation_state(contact)
    return render(
        request,
        "governance/portal_home.html",
        {"entries": entries, "convocation": convocation, "contact": contact, "now": timezone.now()},
    )


@signed_in_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    entry = _entry(request, meeting)
    resolutions = list(meeting.resolutions.all())
    mine = dict(entry.ballots.values_list("resolution_id", "choice"))
    vote_form = VoteForm(resolutions=resolutions, initial_choices=mine)
    proxy = Proxy.objects.filter(giver=entry).select_related("holder").first()
    held = Proxy.objects.filter(holder=entry).select_related("giver")
    answered = EvaluationAnswer.objects.filter(meeting=meeting, contact=entry.contact).exists()
    context = {
        "meeting": meeting,
        "entry": entry,
        "resolutions": resolutions,
        "vote_form": vote_form,
        "proxy_form": ProxyForm(meeting=meeting, me=entry.contact),
        "proxy": proxy,
        "held": held,
        "mine": mine,
        "window_open": meeting.window_open(),
        "evaluation_form": EvaluationForm()
        if not answered and entry.attendance and timezone.now() >= meeting.starts_at
        else None,
        "answered": answered,
        # Published once the meeting is convened (the same rule as the download guard).
        "documents": meeting.documents.select_related("document") if meeting.convened_at else [],
    }
    return render(request, "governance/portal_meeting.html", context)


@signed_in_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    entry = _entry(request, meeting)
    form = VoteForm(request.POST, resolutions=meeting.resolutions.filter(closed_at__isnull=True))
    if form.is_valid():
        try:
            n = services.ballot_cast(
                actor=request.user, meeting=meeting, voter=entry.contact, choices=form.choices()
            )
            messages.success(
                request,
                f"Votre vote est enregistré ({n} résolution(s)). "
                "Vous pouvez le modifier jusqu’au début de la réunion.",
            )
        except Refusal as exc:
            refusal_show(request, exc)
    return redirect("governance_portal:meeting", pk=meeting.pk)


@signed_in_required
@require_POST
def proxy(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    entry = _entry(request, meeting)
    form = ProxyForm(request.POST, meeting=meeting, me=entry.contact)
    if form.is_valid():
        holder = int(form.cleaned_data["holder"]) if form.cleaned_data["holder"] else None
        try:
            services.proxy_give(
                actor=request.user, meeting=meeting, giver=entry.contact, holder=holder
            )
            messages.success(request, "Votre pouvoir est enregistré.")
        except Refusal as exc:
            refusal_show(request, exc)
    else:
        messages.error(request, "Choisissez un mandataire sur la liste.")
    return redirect("governance_portal:meeting", pk=meeting.pk)


@signed_in_required
@require_POST
def proxy_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    entry = _entry(request, meeting)
    try:
        services.proxy_withdraw(actor=request.user, meeting=meeting, giver=entry.contact)
        messages.success(request, "Votre pouvoir est retiré : vous pouvez voter vous-même.")
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect("governance_portal:meeting", pk=meeting.pk)


@signed_in_required
@require_POST
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    entry = _entry(request, meeting)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_answer(
                actor=request.user, meeting=meeting, contact=entry.contact, **form.cleaned_data
            )
            messages.success(request, "Merci pour vos réponses !")
        except Refusal as exc:
            refusal_show(request, exc)
    else:
        messages.error(request, "Donnez une note de 1 à 5 à chaque question.")
    return redirect("governance_portal:meeting", pk=meeting.pk)

"""The member's community pages (/espace/communaute/): upcoming sessions, registering and
cancelling, feedback after attending. The contact is always the signed-in user's own."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from placette.community import consultations as consult
from placette.community import queries, services
from placette.community.forms import FeedbackForm, ProposalForm
from placette.community.models import (
    ACTIVE,
    Consultation,
    Proposal,
    ProposalVote,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Session,
    VoteChoice,
)
from placette.lib.paging import paginate, querystring_without_page
from placette.lib.permissions import contact_of_user, signed_in_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show


@signed_in_required
def home(request: HttpRequest) -> HttpResponse:
    contact = contact_of_user(request)
    mine = list(queries.registrations_of(contact)[:50])
    active = {r.session_id: r for r in mine if r.status in ACTIVE}
    page = paginate(request, Session.objects.upcoming().select_related("event", "place"))
    return render(
        request,
        "community/portal_home.html",
        {
            "page": page,
            "query": querystring_without_page(request),
            "mine": mine,
            "active": active,
            "feedback_form": FeedbackForm(),
            "consultations": list(
                Consultation.objects.exclude(phase="closed").order_by("-created_at")[:10]
            ),
        },
    )


@signed_in_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_of_user(request)
    session = get_object_or_404(Session, pk=pk)
    try:
        registration = services.registration_create(
            actor=request.user, session=session, contact=contact, source=RegistrationSource.PORTAL
        )
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        if registration.status == RegistrationStatus.WAITING:
            messages.warning(
                request,
                _(
                    "La session est complète : vous êtes sur la liste d’attente. "
                    "Nous vous écrirons si une place se libère."
                ),
            )
        else:
            messages.success(
                request, _("Vous êtes inscrit·e. Un message de confirmation vous est envoyé.")
            )
    return redirect("community_portal:home")


def _own(request: HttpRequest, pk: int) -> Registration:
    registration = get_object_or_404(Registration.objects.select_related("session"), pk=pk)
    if registration.contact_id != contact_of_user(request).pk:
        raise Http404
    return registration


@signed_in_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _own(request, pk)
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("Votre inscription est annulée."))
    return redirect("community_portal:home")


@signed_in_required
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _own(request, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une note de 1 à 5."))
        return redirect("community_portal:home")
    try:
        services.feedback_give(actor=request.user, registration=registration, **form.cleaned_data)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("Merci pour votre avis."))
    return redirect("community_portal:home")


@signed_in_required
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_of_user(request)
    item = get_object_or_404(Consultation, pk=pk)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consult.proposal_submit(
                actor=request.user, consultation=item, contact=contact, **form.cleaned_data
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Merci, votre proposition est enregistrée."))
            return redirect("community_portal:consultation", pk=item.pk)
    voted = dict(
        ProposalVote.objects.filter(proposal__consultation=item, contact=contact).values_list(
            "proposal_id", "choice"
        )
    )
    return render(
        request,
        "community/portal_consultation.html",
        {
            "consultation": item,
            "form": form,
            "proposals": list(item.proposals.all()),
            "voted": voted,
            "results": consult.consultation_results(item) if item.phase == "closed" else [],
            "choices": VoteChoice.choices,
        },
    )


@signed_in_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_of_user(request)
    proposal = get_object_or_404(Proposal, pk=pk)
    try:
        consult.vote_cast(
            actor=request.user,
            proposal=proposal,
            contact=contact,
            choice=request.POST.get("choice", ""),
        )
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("Votre vote est enregistré."))
    return redirect("community_portal:consultation", pk=proposal.consultation_id)

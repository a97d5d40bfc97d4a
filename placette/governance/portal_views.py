"""Members' pages of governance (/espace/gouvernance/): vote online, give a proxy, see the
convocation channel (changed through the consent ledger's page), answer the questionnaire.
A member sees only meetings they are on the roll of."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from placette.contacts.models import ConsentPurpose, Contact
from placette.contacts.services import ConsentState, consent_purpose_offered, consent_state
from placette.governance import deadlines, services
from placette.governance.forms import EvaluationForm, ProxyForm, VoteForm
from placette.governance.models import (
    Choice,
    EvaluationAnswer,
    Meeting,
    Proxy,
    Resolution,
    RollEntry,
)
from placette.governance.presenters import resolution_view
from placette.lib.documents import document_response
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
    secret_voted = set(entry.marks.values_list("resolution_id", flat=True))
    vote_form = VoteForm(
        resolutions=[r for r in resolutions if r.pk not in secret_voted], initial_choices=mine
    )
    q = request.GET.get("mandataire", "").strip()
    proxy = Proxy.objects.filter(giver=entry).select_related("holder").first()
    held = Proxy.objects.filter(holder=entry).select_related("giver")
    answered = EvaluationAnswer.objects.filter(meeting=meeting, contact=entry.contact).exists()
    context = {
        "meeting": meeting,
        "entry": entry,
        "resolutions": resolutions,
        "vote_form": vote_form,
        "proxy_form": ProxyForm(meeting=meeting, me=entry.contact, q=q),
        "holder_q": q,
        "secret_voted": secret_voted,
        "voted": bool(mine or secret_voted),
        "electronic_deadline": deadlines.electronic_deadline(meeting),
        "receipts": request.session.pop(f"governance.receipts.{meeting.pk}", []),
        "proxy": proxy,
        "held": held,
        "mine": mine,
        "window_open": meeting.window_open(),
        "evaluation_form": EvaluationForm()
        if not answered and entry.attendance and timezone.now() >= meeting.starts_at
        else None,
        "answered": answered,
        # Published once convened and from the publication date (as the download guard).
        "documents": services.documents_published(meeting),
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
            receipts: list[services.Receipt] = []
            n = services.ballot_cast(
                actor=request.user,
                meeting=meeting,
                voter=entry.contact,
                choices=form.choices(),
                receipts=receipts,
            )
            messages.success(
                request,
                _(
                    "Votre vote est enregistré (%(n)s résolution(s)). Vous pouvez modifier "
                    "un vote à main nominative jusqu’à la clôture du vote en ligne, pas un "
                    "bulletin secret."
                )
                % {"n": n},
            )
            # Shown once on the next page: the receipt is stored nowhere else.
            request.session[f"governance.receipts.{meeting.pk}"] = [
                {"number": r.resolution_number, "code": r.code, "fingerprint": r.fingerprint}
                for r in receipts
            ]
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
        holder = form.holder_id()
        try:
            services.proxy_give(
                actor=request.user, meeting=meeting, giver=entry.contact, holder=holder
            )
            messages.success(request, _("Votre pouvoir est enregistré."))
        except Refusal as exc:
            refusal_show(request, exc)
    else:
        messages.error(
            request,
            _("Cherchez votre mandataire par son nom, puis choisissez-le (ou la présidence)."),
        )
    return redirect("governance_portal:meeting", pk=meeting.pk)


@signed_in_required
@require_POST
def proxy_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    entry = _entry(request, meeting)
    try:
        services.proxy_withdraw(actor=request.user, meeting=meeting, giver=entry.contact)
        messages.success(request, _("Votre pouvoir est retiré : vous pouvez voter vous-même."))
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
            messages.success(request, _("Merci pour vos réponses !"))
        except Refusal as exc:
            refusal_show(request, exc)
    else:
        messages.error(request, _("Donnez une note de 1 à 5 à chaque question."))
    return redirect("governance_portal:meeting", pk=meeting.pk)


@signed_in_required
def document(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    """A meeting document opened by a voter: who opened it and when is kept."""
    meeting = get_object_or_404(Meeting, pk=pk)
    entry = _entry(request, meeting)
    item = get_object_or_404(services.documents_published(meeting), pk=doc)
    services.document_open(actor=request.user, document=item, contact=entry.contact)
    return cast(HttpResponse, document_response(item.document))


@signed_in_required
def fingerprints(request: HttpRequest, pk: int) -> HttpResponse:
    """The published list of a secret resolution's ballots, for the voters on its roll."""
    from placette.governance.views import _fingerprints_render

    resolution = get_object_or_404(Resolution.objects.select_related("meeting"), pk=pk)
    _entry(request, resolution.meeting)
    return _fingerprints_render(request, resolution, base="base.html")


@signed_in_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """What a voter checks to contest (or trust) the result: the roll frozen at the cut-off date
    (per college), the quorum, each closed resolution's frozen result by college with a recount
    from the stored ballots, their own named votes and, for secret ballots, the published
    fingerprints where their receipt is found."""
    meeting = get_object_or_404(Meeting, pk=pk)
    entry = _entry(request, meeting)
    closed = [r for r in meeting.resolutions.select_related("meeting") if r.closed_at is not None]
    checks = [
        (
            resolution_view(r),
            services.resolution_counts(r) == r.result.get("counts"),
            r.result.get("quorum", {}),
        )
        for r in closed
    ]
    context = {
        "meeting": meeting,
        "entry": entry,
        "colleges": meeting.roll.values("college")
        .annotate(voters=Count("id"), shares=Sum("shares"))
        .order_by("college"),
        "on_roll": meeting.roll.count(),
        "quorum": services.quorum_status(meeting) if meeting.held else None,
        "checks": checks,
        "mine": dict(entry.ballots.values_list("resolution_id", "choice")),
        "secret_voted": set(entry.marks.values_list("resolution_id", flat=True)),
        "choices": dict(Choice.choices),
    }
    return render(request, "governance/portal_results.html", context)

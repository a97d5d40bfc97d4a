"""Governance in session (issue 11), thin views over `live.py`.

The team's side (/gestion/gouvernance/…): the desk (check-in by search or QR code), the chair's
console and the projector — for the team and the board (`board_required`: the chair is a staff
member or a director). The members' side (/espace/gouvernance/…): the answer to the
invitation, the check-in code, the session page where they vote from their phone, for
themselves and for the members whose proxy they hold.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from placette.governance import live, services
from placette.governance.models import Meeting, Resolution, RollEntry
from placette.governance.models_live import Amendment, RegistrationAnswer
from placette.governance.presenters import resolution_view
from placette.lib.paging import paginate, querystring_without_page
from placette.lib.permissions import board_required, contact_of_user, signed_in_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show


def _item(meeting: Meeting, value: str) -> tuple[Resolution, Amendment | None]:
    """« r<pk> » a resolution, « a<pk> » an amendment of this meeting; else 404."""
    kind, _sep, pk = (value or "").partition(":")
    if not pk.isdigit():
        raise Http404
    if kind == "a":
        amendment = get_object_or_404(
            Amendment.objects.select_related("resolution__meeting"),
            pk=int(pk),
            resolution__meeting=meeting,
        )
        return amendment.resolution, amendment
    if kind == "r":
        return get_object_or_404(
            Resolution.objects.select_related("meeting"), pk=int(pk), meeting=meeting
        ), None
    raise Http404


def _view_of(item: live.CurrentItem) -> dict | None:
    if item.amendment is not None:
        return live.amendment_view(item.amendment)
    if item.resolution is not None:
        return resolution_view(item.resolution)
    return None


def _state_context(meeting: Meeting) -> dict:
    item = live.current_item(meeting)
    return {
        "meeting": meeting,
        "item": item,
        "view": _view_of(item),
        "quorum": services.quorum_status(
            meeting, item.resolution.kind if item.resolution else None
        ),
    }


# -- the team: the desk ----------------------------------------------------------------------


@board_required
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    if request.method == "POST":
        entry = get_object_or_404(RollEntry, pk=request.POST.get("entry"), meeting=meeting)
        try:
            live.checkin_record(actor=request.user, entry=entry)
            messages.success(request, _("%(name)s est noté·e présent·e.") % {"name": entry.name})
        except Refusal as exc:
            refusal_show(request, exc)
        return redirect(request.get_full_path())
    q = request.GET.get("q", "")
    page = paginate(request, live.desk_search(meeting, q))
    context = {
        "meeting": meeting,
        "q": q,
        "page": page,
        "query": querystring_without_page(request),
        "quorum": services.quorum_status(meeting),
        "expected": live.registration_counts(meeting),
    }
    return render(request, "governance/live/desk.html", context)


@board_required
@require_http_methods(["GET", "POST"])
def checkin_code(request: HttpRequest, token: str) -> HttpResponse:
    """The page a QR code of a convocation opens on the desk's phone."""
    entry = live.checkin_entry(token)
    if entry is None:
        raise Http404(_("Ce code d’accueil n’est pas valable."))
    if request.method == "POST":
        try:
            live.checkin_record(actor=request.user, entry=entry)
            messages.success(request, _("%(name)s est noté·e présent·e.") % {"name": entry.name})
            return redirect("governance:live_desk", pk=entry.meeting_id)
        except Refusal as exc:
            refusal_show(request, exc)
        entry = live.checkin_entry(token) or entry
    return render(
        request,
        "governance/live/checkin.html",
        {"entry": entry, "meeting": entry.meeting, "token": token},
    )


# -- the team: the chair's console and the projector -----------------------------------------


@board_required
@require_GET
def console(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    resolutions = list(meeting.resolutions.prefetch_related("amendments"))
    votes = {(v.resolution_id, v.amendment_id): v for v in meeting.live_votes.all()}
    rows = []
    for resolution in resolutions:
        rows.append(
            {
                "resolution": resolution,
                "key": f"r:{resolution.pk}",
                "vote": votes.get((resolution.pk, None)),
                "amendments": [
                    {"amendment": a, "key": f"a:{a.pk}", "vote": votes.get((resolution.pk, a.pk))}
                    for a in resolution.amendments.all()
                ],
            }
        )
    context = {
        **_state_context(meeting),
        "rows": rows,
        "minutes": live.VOTE_MINUTES_DEFAULT,
        "minutes_max": live.VOTE_MINUTES_MAX,
    }
    return render(request, "governance/live/console.html", context)


def _console_action(request: HttpRequest, pk: int, action) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    resolution, amendment = _item(meeting, request.POST.get("item", ""))
    try:
        message = action(meeting, resolution, amendment)
        if message:
            messages.success(request, message)
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect("governance:live_console", pk=meeting.pk)


@board_required
@require_POST
def vote_open(request: HttpRequest, pk: int) -> HttpResponse:
    def action(meeting, resolution, amendment):
        raw = request.POST.get("minutes", "").strip()
        if not raw.isdigit():
            raise Refusal(_("Indiquez la durée du vote en minutes (un nombre entier)."))
        live.live_vote_open(
            actor=request.user, resolution=resolution, amendment=amendment, minutes=int(raw)
        )
        return _("Vote ouvert pour %(n)s minute(s).") % {"n": int(raw)}

    return _console_action(request, pk, action)


@board_required
@require_POST
def vote_close(request: HttpRequest, pk: int) -> HttpResponse:
    def action(meeting, resolution, amendment):
        closed = live.live_vote_close(
            actor=request.user, resolution=resolution, amendment=amendment
        )
        if isinstance(closed, Amendment):
            outcome = _("adopté") if closed.adopted else _("rejeté")
        else:
            outcome = _("adoptée") if closed.adopted else _("rejetée")
        return _("Vote clos : %(item)s, %(outcome)s.") % {"item": str(closed), "outcome": outcome}

    return _console_action(request, pk, action)


@board_required
@require_POST
def show(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    if request.POST.get("item"):
        resolution, amendment = _item(meeting, request.POST["item"])
    else:
        resolution, amendment = None, None
    live.live_show(actor=request.user, meeting=meeting, resolution=resolution, amendment=amendment)
    return redirect("governance:live_console", pk=meeting.pk)


@board_required
@require_POST
def amendment_add(request: HttpRequest, pk: int) -> HttpResponse:
    def action(meeting, resolution, amendment):
        number = request.POST.get("proposed_by", "").strip()
        author = None
        if number:
            author = RollEntry.objects.filter(
                meeting=meeting, member_number=int(number) if number.isdigit() else -1
            ).first()
            if author is None:
                raise Refusal(
                    _("Aucun votant ne porte le n° de sociétaire « %(n)s ».") % {"n": number}
                )
        created = live.amendment_propose(
            actor=request.user,
            resolution=resolution,
            text=request.POST.get("text", ""),
            proposed_by=author,
        )
        return _("%(item)s enregistré.") % {"item": str(created)}

    return _console_action(request, pk, action)


@board_required
@require_GET
def projector(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(request, "governance/live/projector.html", _state_context(meeting))


@board_required
@require_GET
def state(request: HttpRequest, pk: int) -> HttpResponse:
    """The live part of the projector and the console, fetched every two seconds."""
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(request, "governance/live/_state.html", _state_context(meeting))


# -- members (/espace/gouvernance/) -----------------------------------------------------------


def _entry(request: HttpRequest, meeting: Meeting) -> RollEntry:
    entry = services.roll_entry_of(meeting, contact_of_user(request))
    if entry is None:
        raise PermissionDenied(_("Vous n’êtes pas sur la liste des votants de cette réunion."))
    return entry


@signed_in_required
@require_POST
def registration(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    _entry(request, meeting)
    answer = request.POST.get("answer", "")
    try:
        live.registration_answer(
            actor=request.user, meeting=meeting, contact=contact_of_user(request), answer=answer
        )
        messages.success(
            request,
            _("Votre réponse est enregistrée : %(answer)s.")
            % {"answer": RegistrationAnswer(answer).label.lower()},
        )
        if answer == RegistrationAnswer.PROXY:
            messages.info(request, _("Choisissez maintenant votre mandataire ci-dessous."))
        elif answer == RegistrationAnswer.POSTAL:
            messages.info(request, _("Votez maintenant ci-dessous, avant le début de la réunion."))
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect("governance_portal:meeting", pk=meeting.pk)


@signed_in_required
@require_GET
def my_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's check-in QR code (SVG), to show at the desk."""
    meeting = get_object_or_404(Meeting, pk=pk)
    entry = _entry(request, meeting)
    response = HttpResponse(live.checkin_qr_svg(entry), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


def _session_context(request: HttpRequest, meeting: Meeting) -> dict:
    entry = _entry(request, meeting)
    item = live.current_item(meeting)
    rights = live.voting_rights(meeting, entry)
    voted = live.voted_for(item, rights)
    return {
        "meeting": meeting,
        "entry": entry,
        "item": item,
        "rights": [{"entry": e, "voted": e.pk in voted, "self": e.pk == entry.pk} for e in rights],
        "item_key": (
            f"a:{item.amendment.pk}"
            if item.amendment
            else f"r:{item.resolution.pk}"
            if item.resolution
            else ""
        ),
        "doors_open": meeting.convened_at is not None,
    }


@signed_in_required
@require_GET
def session(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    context = _session_context(request, meeting)
    context["receipts"] = request.session.pop(f"governance.live_receipts.{meeting.pk}", [])
    return render(request, "governance/live/session.html", context)


@signed_in_required
@require_GET
def session_state(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(request, "governance/live/_session.html", _session_context(request, meeting))


@signed_in_required
@require_POST
def session_vote(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    _entry(request, meeting)
    resolution, amendment = _item(meeting, request.POST.get("item", ""))
    for_entry = get_object_or_404(RollEntry, pk=request.POST.get("for") or 0, meeting=meeting)
    try:
        receipt = live.live_ballot_cast(
            actor=request.user,
            resolution=resolution,
            amendment=amendment,
            voter=contact_of_user(request),
            for_entry=for_entry,
            choice=request.POST.get("choice", ""),
        )
        messages.success(request, _("Vote enregistré pour %(name)s.") % {"name": for_entry.name})
        if receipt is not None:
            # Shown once on the next page: the receipt is stored nowhere else.
            key = f"governance.live_receipts.{meeting.pk}"
            request.session[key] = [
                *request.session.get(key, []),
                {
                    "number": receipt.resolution_number,
                    "name": for_entry.name,
                    "code": receipt.code,
                    "fingerprint": receipt.fingerprint,
                },
            ]
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect("governance_portal:live_session", pk=meeting.pk)


@signed_in_required
@require_POST
def session_join(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    _entry(request, meeting)
    try:
        live.remote_join(actor=request.user, meeting=meeting, contact=contact_of_user(request))
        messages.success(request, _("Vous participez à la séance à distance."))
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect("governance_portal:live_session", pk=meeting.pk)

"""Staff pages of governance (/gestion/gouvernance/): thin, each guarded by staff_required."""

from __future__ import annotations

import datetime as dt

import markdown
import nh3
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from placette.governance import deadlines, pdfs, services
from placette.governance.elections import elections_of
from placette.governance.forms import (
    ActionForm,
    ActionStatusForm,
    AgendaItemForm,
    BodyForm,
    DecisionFilterForm,
    DecisionForm,
    DocumentForm,
    ElectionForm,
    LettersPostedForm,
    MandateEditForm,
    MandateEndForm,
    MandateForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    PaperProxyForm,
    PostalFormForm,
    ResolutionForm,
    roll_label,
)
from placette.governance.lists import MEETINGS
from placette.governance.models import (
    Action,
    Attendance,
    Body,
    Channel,
    Choice,
    Convocation,
    Decision,
    EvaluationAnswer,
    Mandate,
    Meeting,
    MeetingStatus,
    PostalForm,
    Proxy,
    Resolution,
    RollEntry,
)
from placette.governance.presenters import meeting_results, resolution_view
from placette.lib.confirm import Confirmation, MailPreview, confirm
from placette.lib.exports import csv_response, xlsx_response
from placette.lib.jobs import job_start
from placette.lib.models import MessageStatus, OutgoingMessage
from placette.lib.paging import paginate, querystring_without_page
from placette.lib.pdf import pdf_render, pdf_response
from placette.lib.permissions import staff_required
from placette.lib.refusals import Refusal
from placette.lib.text import normalize
from placette.lib.views import refusal_show


def render_markdown(text: str) -> str:
    return nh3.clean(markdown.markdown(text, extensions=["tables"]))


# -- meetings --------------------------------------------------------------------------------


@staff_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    return MEETINGS.render(
        request, "governance/meeting_list.html", {"bodies": Body.objects.exists()}
    )


@staff_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, **form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(
                request, _("Réunion créée : ajoutez l’ordre du jour et les résolutions.")
            )
            return redirect(meeting)
    return render(
        request, "governance/meeting_form.html", {"form": form, "title": "Nouvelle réunion"}
    )


@staff_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MeetingEditForm(request.POST or None, instance=Meeting.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=request.user,
                meeting=meeting,
                data={f: form.cleaned_data[f] for f in form.changed_data},
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Réunion enregistrée."))
            return redirect(meeting)
    return render(
        request,
        "governance/meeting_form.html",
        {"form": form, "title": f"Modifier « {meeting.title} »", "meeting": meeting},
    )


@staff_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("body", "chair", "secretary"), pk=pk)
    context = {
        "meeting": meeting,
        "agenda": meeting.agenda.all(),
        "resolutions": meeting.resolutions.all(),
        "documents": meeting.documents.select_related("document").annotate(
            opened=Count("openings__contact", distinct=True)
        ),
        "voters": meeting.roll.count(),
        "quorum": services.quorum_status(meeting) if meeting.roll_frozen_at else None,
        "agenda_form": AgendaItemForm(prefix="agenda"),
        "resolution_form": ResolutionForm(
            prefix="res", initial={"kind": "extraordinary" if meeting.kind == "AGE" else "ordinary"}
        ),
        "document_form": DocumentForm(prefix="doc"),
        "decision_form": DecisionForm(prefix="dec"),
        "election_form": ElectionForm(prefix="elec"),
        "elections": elections_of(meeting),
        "decisions": meeting.decisions.filter(resolution__isnull=True),
        "notice_days": services.notice_days(meeting.call),
    }
    return render(request, "governance/meeting_detail.html", context)


@staff_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = AgendaItemForm(request.POST, prefix="agenda")
    if form.is_valid():
        try:
            services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, _("Point ajouté à l’ordre du jour."))
        except Refusal as exc:
            refusal_show(request, exc)
    else:
        messages.error(request, _("Indiquez l’intitulé du point."))
    return redirect(meeting)


@staff_required
@require_POST
def resolution_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = ResolutionForm(request.POST, prefix="res")
    if form.is_valid():
        try:
            services.resolution_add(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, _("Résolution ajoutée."))
        except Refusal as exc:
            refusal_show(request, exc)
    else:
        messages.error(request, _("Indiquez l’intitulé et la nature de la résolution."))
    return redirect(meeting)


@staff_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = DocumentForm(request.POST, request.FILES, prefix="doc")
    if form.is_valid():
        try:
            services.meeting_document_add(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, _("Document joint."))
        except Refusal as exc:
            refusal_show(request, exc)
    else:
        messages.error(
            request,
            " ".join(e for errors in form.errors.values() for e in errors)
            or "Indiquez un titre et choisissez un fichier.",
        )
    return redirect(meeting)


@staff_required
@require_http_methods(["GET", "POST"])
def roll_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    preview = services.roll_freeze_preview(meeting)
    erased = []
    if preview["ballots"]:
        erased.append(
            ngettext(
                "%(n)s vote à distance déjà reçu sera effacé : il faudra revoter.",
                "%(n)s votes à distance déjà reçus seront effacés : il faudra revoter.",
                preview["ballots"],
            )
            % {"n": preview["ballots"]}
        )
    if preview["proxies"]:
        erased.append(
            ngettext(
                "%(n)s pouvoir déjà donné sera effacé.",
                "%(n)s pouvoirs déjà donnés seront effacés.",
                preview["proxies"],
            )
            % {"n": preview["proxies"]}
        )
    response = confirm(
        request,
        Confirmation(
            title=_("Arrêter la liste des votants"),
            what=_(
                "La liste des votants sera arrêtée d’après le registre au %(day)s : elle fixe "
                "qui est convoqué et qui vote, avec son collège et ses parts. Elle pourra être "
                "arrêtée à nouveau tant que la convocation n’est pas partie."
            )
            % {"day": f"{meeting.cutoff_date:%d/%m/%Y}"},
            count=preview["voters"],
            count_label=ngettext("votant", "votants", preview["voters"]),
            details=erased,
            button=_("Arrêter la liste de %(n)s votants") % {"n": preview["voters"]},
            cancel_url=meeting.get_absolute_url(),
            irreversible=bool(erased),
            blocked=(
                _("La convocation est partie : la liste des votants est définitivement arrêtée.")
                if meeting.convened_at
                else ""
            ),
        ),
    )
    if response is not None:
        return response
    try:
        n = services.roll_freeze(actor=request.user, meeting=meeting)
        messages.success(
            request,
            _("Liste des votants arrêtée au %(cutoff_date)s : %(n)s votant(s).")
            % {"cutoff_date": format(meeting.cutoff_date, "%d/%m/%Y"), "n": n},
        )
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect(meeting)


@staff_required
@require_GET
def roll_list(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    entries = meeting.roll.all()
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(name__icontains=q)
    page = paginate(request, entries)
    return render(
        request,
        "governance/roll_list.html",
        {"meeting": meeting, "page": page, "q": q, "query": querystring_without_page(request)},
    )


# -- convocation -------------------------------------------------------------------------------


@staff_required
def convocation(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    if request.method == "POST":
        response = confirm(request, _convene_confirmation(request, meeting))
        if response is not None:
            return response
        try:
            counts = services.meeting_convene(actor=request.user, meeting=meeting)
            messages.success(
                request,
                _(
                    "Réunion convoquée : %(email)s convocation(s) par e-mail en cours "
                    "d’envoi, %(letter)s courrier(s) à imprimer."
                )
                % {"email": counts["email"], "letter": counts["letter"]},
            )
        except Refusal as exc:
            refusal_show(request, exc)
        return redirect("governance:convocation", pk=meeting.pk)
    stats = Convocation.objects.filter(meeting=meeting).aggregate(
        email=Count("id", filter=Q(channel=Channel.EMAIL)),
        email_sent=Count("id", filter=Q(channel=Channel.EMAIL, sent_at__isnull=False)),
        letter=Count("id", filter=Q(channel=Channel.LETTER)),
        letter_sent=Count("id", filter=Q(channel=Channel.LETTER, sent_at__isnull=False)),
        reminded=Count("id", filter=Q(reminded_at__isnull=False)),
    )
    page = paginate(request, Convocation.objects.filter(meeting=meeting).select_related("contact"))
    # Emails the relay refused or never took: the staff posts a letter instead.
    undelivered = OutgoingMessage.objects.filter(
        key__startswith=f"governance.convocation:{meeting.pk}:", status=MessageStatus.FAILED
    )
    stats["email_failed"] = undelivered.count()
    keys = {services.convocation_mail_key(c): c for c in page}
    for key, error in undelivered.filter(key__in=keys).values_list("key", "error"):
        keys[key].mail_error = error
    latest = timezone.localdate(meeting.starts_at) - dt.timedelta(
        days=services.notice_days(meeting.call)
    )
    return render(
        request,
        "governance/convocation.html",
        {
            "meeting": meeting,
            "stats": stats,
            "page": page,
            "latest": latest,
            "notice_days": services.notice_days(meeting.call),
        },
    )


def _convocation_preview(meeting: Meeting, convocation: Convocation | None, *, reminder: bool):
    """The email of one recipient as it will leave (none when nobody is convened by email)."""
    if convocation is None:
        return None
    subject, text, html = services.convocation_preview(meeting, convocation, reminder=reminder)
    return MailPreview(
        recipient=f"{convocation.contact.display_name} <{convocation.email}>",
        subject=subject,
        text=text,
        html=html,
    )


def _convocation_test_send(request: HttpRequest, meeting: Meeting, sample, *, reminder: bool):
    if sample is None:
        return None
    return lambda to: services.convocation_test_send(
        actor=request.user, meeting=meeting, convocation=sample, reminder=reminder, to=to
    )


def _convene_confirmation(request: HttpRequest, meeting: Meeting) -> Confirmation:
    counts = services.convene_counts(meeting)
    total = counts["email"] + counts["letter"]
    sample = services.convene_sample(meeting)
    blocked = ""
    if meeting.convened_at:
        blocked = _("La réunion est déjà convoquée.")
    elif meeting.roll_frozen_at is None:
        blocked = _("Arrêtez d’abord la liste des votants.")
    return Confirmation(
        title=_("Convoquer « %(title)s »") % {"title": meeting.title},
        what=_(
            "Chaque votant de la liste reçoit sa convocation : par e-mail s’il l’a accepté "
            "(l’envoi part aussitôt), par courrier sinon (les lettres sont à imprimer et à "
            "poster). La date de convocation fait foi pour le délai statutaire."
        ),
        count=total,
        count_label=ngettext("votant convoqué", "votants convoqués", total),
        details=[
            ngettext("%(n)s par e-mail", "%(n)s par e-mail", counts["email"])
            % {"n": counts["email"]},
            ngettext("%(n)s par courrier", "%(n)s par courrier", counts["letter"])
            % {"n": counts["letter"]},
        ],
        button=ngettext("Convoquer %(n)s votant", "Convoquer %(n)s votants", total) % {"n": total},
        cancel_url=reverse("governance:convocation", args=[meeting.pk]),
        blocked=blocked,
        preview=lambda: _convocation_preview(meeting, sample, reminder=False),
        test_send=_convocation_test_send(request, meeting, sample, reminder=False),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    pending = services.reminders_pending(meeting)
    n = pending.count()
    sample = pending.select_related("contact").order_by("id").first()
    response = confirm(
        request,
        Confirmation(
            title=_("Relancer par e-mail"),
            what=_(
                "Un rappel part par e-mail à chaque votant convoqué par e-mail qui n’a encore "
                "ni voté à distance ni donné pouvoir, et qui n’a pas déjà été relancé."
            ),
            count=n,
            count_label=ngettext("votant relancé", "votants relancés", n),
            button=ngettext("Relancer %(n)s votant", "Relancer %(n)s votants", n) % {"n": n},
            cancel_url=reverse("governance:convocation", args=[meeting.pk]),
            blocked="" if n else _("Personne n’est à relancer."),
            preview=lambda: _convocation_preview(meeting, sample, reminder=True),
            test_send=_convocation_test_send(request, meeting, sample, reminder=True),
        ),
    )
    if response is not None:
        return response
    try:
        services.reminders_send(actor=request.user, meeting=meeting)
        messages.success(request, _("Rappels envoyés à ceux qui n’ont ni voté ni donné pouvoir."))
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect("governance:convocation", pk=meeting.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def letters_posted(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    n = pdfs.letters(meeting).filter(sent_at__isnull=True).count()
    form = LettersPostedForm(request.POST or None, initial={"posted_on": timezone.localdate()})
    posted_on = form.cleaned_data["posted_on"] if form.is_valid() else timezone.localdate()
    response = confirm(
        request,
        Confirmation(
            title=_("Noter les courriers postés le %(day)s") % {"day": f"{posted_on:%d/%m/%Y}"},
            what=_(
                "Les lettres de convocation pas encore notées sont enregistrées comme postées "
                "le %(day)s, ce qui fait foi de la convocation par courrier ; la date est "
                "vérifiée contre le délai de convocation."
            )
            % {"day": f"{posted_on:%d/%m/%Y}"},
            count=n,
            count_label=ngettext("lettre postée", "lettres postées", n),
            button=(
                ngettext(
                    "Noter %(n)s lettre postée aujourd’hui",
                    "Noter %(n)s lettres postées aujourd’hui",
                    n,
                )
                if posted_on == timezone.localdate()
                else ngettext(
                    "Noter %(n)s lettre postée le %(day)s",
                    "Noter %(n)s lettres postées le %(day)s",
                    n,
                )
            )
            % {"n": n, "day": f"{posted_on:%d/%m/%Y}"},
            cancel_url=reverse("governance:convocation", args=[meeting.pk]),
            blocked="" if n else _("Toutes les lettres sont déjà notées postées."),
        ),
    )
    if response is not None:
        return response
    try:
        n = services.letters_mark_posted(actor=request.user, meeting=meeting, posted_on=posted_on)
        messages.success(
            request,
            _("%(n)s courrier(s) notés postés le %(day)s.")
            % {"n": n, "day": f"{posted_on:%d/%m/%Y}"},
        )
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect("governance:convocation", pk=meeting.pk)


def _pdf_job(
    request: HttpRequest,
    meeting: Meeting,
    *,
    kind: str,
    label: str,
    what: str,
    func: str,
    back: str,
) -> HttpResponse:
    """A long PDF of the meeting: GET shows what will be produced, POST starts the job."""
    response = confirm(
        request,
        Confirmation(
            title=label,
            what=what,
            button=_("Produire le PDF"),
            cancel_url=back,
            irreversible=False,
        ),
    )
    if response is not None:
        return response
    job = job_start(
        kind=kind,
        label=f"{label} — {meeting.title}",
        actor=request.user,
        func_path=func,
        kwargs={"meeting_id": meeting.pk},
        return_url=back,
    )
    return redirect(job)


@staff_required
@require_http_methods(["GET", "POST"])
def letters_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    n = pdfs.letters(meeting).count()
    return _pdf_job(
        request,
        meeting,
        kind="governance.letters_pdf",
        label=_("Courriers de convocation à imprimer"),
        what=ngettext(
            "%(n)s lettre de convocation sera mise en page en arrière-plan.",
            "%(n)s lettres de convocation seront mises en page en arrière-plan.",
            n,
        )
        % {"n": n},
        func="placette.governance.pdfs.letters_pdf_job",
        back=reverse("governance:convocation", args=[meeting.pk]),
    )


# -- the meeting -----------------------------------------------------------------------------


@staff_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    if request.method == "POST" and request.POST.get("spouse_proxy"):
        if not request.POST["spouse_proxy"].isdigit():
            raise Http404("Pouvoir introuvable.")
        proxy = get_object_or_404(Proxy, pk=request.POST["spouse_proxy"], meeting=meeting)
        try:
            services.proxy_holder_checked_in(actor=request.user, proxy=proxy)
            messages.success(
                request,
                _("%(holder_label)s est noté·e présent·e.") % {"holder_label": proxy.holder_label},
            )
        except Refusal as exc:
            refusal_show(request, exc)
        return redirect(request.get_full_path())
    if request.method == "POST":
        entry = get_object_or_404(RollEntry, pk=request.POST.get("entry"), meeting=meeting)
        try:
            services.attendance_set(
                actor=request.user, meeting=meeting, entry=entry, mode=request.POST.get("mode", "")
            )
        except Refusal as exc:
            refusal_show(request, exc)
        if request.htmx:
            entry.refresh_from_db()
            return render(
                request, "governance/attendance.html#row", {"entry": entry, "meeting": meeting}
            )
        return redirect(request.get_full_path())
    entries = meeting.roll.select_related("proxy_given__holder")
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(name__icontains=q)
    page = paginate(request, entries)
    context = {
        "meeting": meeting,
        "page": page,
        "q": q,
        "query": querystring_without_page(request),
        "quorum": services.quorum_status(meeting),
        "resolutions": meeting.resolutions.all(),
    }
    return render(request, "governance/attendance.html", context)


@staff_required
@require_GET
def quorum_partial(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(
        request,
        "governance/_quorum.html",
        {"meeting": meeting, "quorum": services.quorum_status(meeting)},
    )


@staff_required
def resolution_vote(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = get_object_or_404(Resolution.objects.select_related("meeting"), pk=pk)
    meeting = resolution.meeting
    names = services.college_names(meeting)
    if request.method == "POST":
        try:
            if meeting.is_board and "chair_vote" in request.POST:
                services.chair_vote_set(
                    actor=request.user, resolution=resolution, vote=request.POST["chair_vote"]
                )
            counts = {}
            for i, name in enumerate(names):
                values = [
                    request.POST.get(f"c{i}_{k}", "").strip() or "0"
                    for k in ("yes", "no", "abstain")
                ]
                try:
                    counts[name] = tuple(int(v) for v in values)
                except ValueError:
                    raise Refusal(
                        _("Collège « %(name)s » : saisissez des nombres entiers.") % {"name": name}
                    ) from None
            services.hands_record(actor=request.user, resolution=resolution, counts=counts)
            messages.success(request, _("Décompte à main levée enregistré."))
        except Refusal as exc:
            refusal_show(request, exc)
        return redirect("governance:resolution", pk=resolution.pk)
    hands = {h.college or services.tally.SINGLE_COLLEGE_NAME: h for h in resolution.hands.all()}
    available = services._hands_available(resolution)
    colleges = [
        {"i": i, "name": n, "hand": hands.get(n), "available": available.get(n, 0)}
        for i, n in enumerate(names)
    ]
    context = {
        "meeting": meeting,
        "resolution": resolution,
        "colleges": colleges,
        "view": resolution_view(resolution),
        "quorum": services.quorum_status(meeting, resolution.kind),
        "choices": Choice.choices,
        "voters": meeting.roll.filter(
            Q(attendance__in=[Attendance.PRESENT, Attendance.REMOTE])
            | Q(proxy_given__holder__isnull=False)
        ).order_by("name"),
    }
    return render(request, "governance/resolution_vote.html", context)


@staff_required
@require_GET
def resolution_live(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = get_object_or_404(Resolution.objects.select_related("meeting"), pk=pk)
    return render(request, "governance/_result.html", {"view": resolution_view(resolution)})


@staff_required
@require_POST
def ballot_record(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = get_object_or_404(Resolution.objects.select_related("meeting"), pk=pk)
    entry = get_object_or_404(RollEntry, pk=request.POST.get("voter"), meeting=resolution.meeting)
    try:
        services.ballot_record(
            actor=request.user,
            resolution=resolution,
            voter=entry,
            choice=request.POST.get("choice", ""),
        )
        messages.success(request, _("Bulletin de %(name)s enregistré.") % {"name": entry.name})
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect("governance:resolution", pk=resolution.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def resolution_close(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = get_object_or_404(Resolution.objects.select_related("meeting"), pk=pk)
    view = resolution_view(resolution)
    totals = view["totals"]
    response = confirm(
        request,
        Confirmation(
            title=_("Clore le vote de la résolution n° %(n)s") % {"n": resolution.number},
            what=_(
                "Le résultat sera figé (décompte par collège, poids, règle) et la décision "
                "inscrite au registre : aucun bulletin ne pourra plus être ajouté."
            ),
            count=totals["yes"] + totals["no"] + totals["abstain"],
            count_label=_("voix comptées"),
            details=[
                _("Pour : %(yes)s — contre : %(no)s — abstentions : %(abstain)s") % totals,
                _("Résultat en cours : %(r)s")
                % {"r": _("adoptée") if view["adopted"] else _("rejetée")},
            ],
            button=_("Clore le vote"),
            cancel_url=reverse("governance:resolution", args=[resolution.pk]),
            blocked=_("Le vote est déjà clos.") if resolution.closed_at else "",
        ),
    )
    if response is not None:
        return response
    try:
        resolution = services.resolution_close(actor=request.user, resolution=resolution)
        messages.success(
            request,
            _("Vote clos : résolution n° %(number)s %(value)s.")
            % {
                "number": resolution.number,
                "value": _("adoptée") if resolution.adopted else _("rejetée"),
            },
        )
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect("governance:resolution", pk=resolution.pk)


@staff_required
@require_GET
def fingerprints(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = get_object_or_404(Resolution.objects.select_related("meeting"), pk=pk)
    return _fingerprints_render(request, resolution, base="base.html")


def _fingerprints_render(request: HttpRequest, resolution: Resolution, *, base: str):
    if not resolution.secret:
        raise Http404("Cette résolution n’est pas votée à bulletin secret.")
    ballots = services.secret_ballots_published(resolution)
    page = paginate(request, ballots, per_page=200)
    return render(
        request,
        "governance/fingerprints.html",
        {
            "resolution": resolution,
            "meeting": resolution.meeting,
            "page": page,
            "voted": resolution.marks.count(),
            "recount": services.secret_recount(resolution),
            "q": request.GET.get("empreinte", "").strip().lower(),
            "found": ballots.filter(fingerprint=request.GET.get("empreinte", "").strip().lower())
            .values_list("choice", flat=True)
            .first(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def quorum_fail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    quorum = services.quorum_status(meeting)
    response = confirm(
        request,
        Confirmation(
            title=_("Constater l’absence de quorum"),
            what=_(
                "La réunion est close sans délibérer (procès-verbal de carence) : une seconde "
                "convocation pourra être envoyée avec le même ordre du jour."
            ),
            count=quorum.counted,
            count_label=_("votants présents, représentés ou à distance, sur %(n)s")
            % {"n": quorum.on_roll},
            details=[
                _("Quorum requis : %(label)s, soit %(t)s")
                % {"label": quorum.label, "t": quorum.threshold}
            ],
            button=_("Constater l’absence de quorum"),
            cancel_url=reverse("governance:attendance", args=[meeting.pk]),
            danger=True,
            blocked=_("Le quorum est atteint : la réunion peut délibérer.")
            if quorum.reached
            else "",
        ),
    )
    if response is not None:
        return response
    try:
        services.meeting_quorum_fail(actor=request.user, meeting=meeting)
        messages.success(
            request, _("Absence de quorum constatée : convoquez la seconde assemblée.")
        )
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect(meeting)


# -- paper proxies and postal voting forms ----------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    """Paper proxies and postal voting forms recorded by the staff: find the voter by a search
    (member number, name; homonyms told apart by number, commune and college), then record."""
    meeting = get_object_or_404(Meeting, pk=pk)
    resolutions = list(meeting.resolutions.filter(closed_at__isnull=True))
    q = request.GET.get("q", "").strip()
    holder_q = request.GET.get("mandataire", "").strip()
    voter_id = request.POST.get("giver") or request.GET.get("votant")
    voter = (
        get_object_or_404(RollEntry.objects.select_related("contact"), pk=voter_id, meeting=meeting)
        if voter_id and str(voter_id).isdigit()
        else None
    )
    proxy_form = PaperProxyForm(
        request.POST if request.POST.get("action") == "proxy" else None,
        request.FILES or None,
        initial={"giver": voter.pk if voter else None, "received_at": timezone.now()},
    )
    postal_form = PostalFormForm(
        request.POST if request.POST.get("action") == "postal" else None,
        request.FILES or None,
        resolutions=resolutions,
        initial={"giver": voter.pk if voter else None, "received_on": timezone.localdate()},
    )
    if request.method == "POST" and voter is not None:
        form = proxy_form if request.POST.get("action") == "proxy" else postal_form
        if form.is_valid():
            try:
                if form is proxy_form:
                    data = proxy_form.cleaned_data
                    holder_entry = (
                        meeting.roll.filter(pk=data["holder"]).first() if data["holder"] else None
                    )
                    if data["to"] == "member" and holder_entry is None:
                        raise Refusal(
                            _("Cherchez et choisissez le mandataire sur la liste des votants."),
                            field="holder",
                        )
                    services.proxy_paper_record(
                        actor=request.user,
                        meeting=meeting,
                        giver=voter,
                        holder=holder_entry.contact_id
                        if holder_entry and data["to"] == "member"
                        else None,
                        holder_name=data["holder_name"] if data["to"] == "outside" else "",
                        holder_relation=data["holder_relation"] if data["to"] == "outside" else "",
                        received_at=data["received_at"],
                        file=data["file"],
                    )
                    messages.success(
                        request, _("Pouvoir papier de %(name)s enregistré.") % {"name": voter.name}
                    )
                else:
                    services.postal_form_record(
                        actor=request.user,
                        meeting=meeting,
                        voter=voter,
                        choices=postal_form.choices(),
                        received_on=postal_form.cleaned_data["received_on"],
                        file=postal_form.cleaned_data["file"],
                    )
                    messages.success(
                        request,
                        _("Formulaire de vote par correspondance de %(name)s enregistré.")
                        % {"name": voter.name},
                    )
                return redirect("governance:paper", pk=meeting.pk)
            except Refusal as exc:
                refusal_show(request, exc, form)
    context = {
        "meeting": meeting,
        "q": q,
        "holder_q": holder_q,
        "matches": [(e, roll_label(e)) for e in services.roll_search(meeting, q)] if q else [],
        "holders": [
            (e, roll_label(e))
            for e in services.roll_search(meeting, holder_q, exclude_contact=voter.contact_id)
        ]
        if voter and holder_q
        else [],
        "voter": voter,
        "voter_label": roll_label(voter) if voter else "",
        "proxy_form": proxy_form,
        "postal_form": postal_form,
        "resolutions": resolutions,
        "proxies": Proxy.objects.filter(meeting=meeting)
        .exclude(source="online")
        .select_related("giver", "holder", "document")
        .order_by("-given_at")[:50],
        "postal_forms": PostalForm.objects.filter(meeting=meeting, channel="paper")
        .select_related("voter", "document")
        .order_by("-received_at")[:50],
        "paper_last_day": deadlines.paper_form_last_day(meeting),
        "electronic_deadline": deadlines.electronic_deadline(meeting),
    }
    return render(request, "governance/paper.html", context)


@staff_required
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(
        request,
        "governance/results.html",
        {
            "meeting": meeting,
            "results": meeting_results(meeting),
            "quorum": services.quorum_status(meeting),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    open_ones = list(
        meeting.resolutions.filter(closed_at__isnull=True).values_list("number", flat=True)
    )
    voters = meeting.roll.count()
    present = meeting.roll.filter(attendance__in=[Attendance.PRESENT, Attendance.REMOTE]).count()
    voted = meeting.resolutions.count()
    response = confirm(
        request,
        Confirmation(
            title=_("Clore « %(title)s »") % {"title": meeting.title},
            what=_(
                "La réunion sera close : plus aucune présence ni aucun vote ne pourra être "
                "enregistré, et le procès-verbal sera prêt à relire."
            ),
            count=present,
            count_label=ngettext(
                "votant présent ou à distance, sur %(voters)s",
                "votants présents ou à distance, sur %(voters)s",
                present,
            )
            % {"voters": voters},
            details=[
                ngettext("%(n)s résolution votée", "%(n)s résolutions votées", voted) % {"n": voted}
            ],
            button=_("Clore la réunion"),
            cancel_url=meeting.get_absolute_url(),
            danger=True,
            blocked=(
                _("Clôturez d’abord le vote des résolutions n° %(numbers)s.")
                % {"numbers": ", ".join(map(str, open_ones))}
                if open_ones
                else ""
            ),
        ),
    )
    if response is not None:
        return response
    try:
        services.meeting_close(actor=request.user, meeting=meeting)
        messages.success(request, _("Réunion close ; le procès-verbal est prêt à relire."))
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect(meeting)


@staff_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = DecisionForm(request.POST, prefix="dec")
    if form.is_valid():
        decision = services.decision_record(
            actor=request.user, meeting=meeting, **form.cleaned_data
        )
        messages.success(request, _("Décision inscrite au registre."))
        return redirect(decision)
    messages.error(request, _("Indiquez l’intitulé de la décision."))
    return redirect(meeting)


# -- minutes and PDFs ----------------------------------------------------------------------------


@staff_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MinutesForm(
        request.POST or None, initial={"text": meeting.minutes or services.minutes_draft(meeting)}
    )
    if request.method == "POST" and form.is_valid():
        services.minutes_save(actor=request.user, meeting=meeting, text=form.cleaned_data["text"])
        messages.success(request, _("Procès-verbal enregistré."))
        return redirect("governance:minutes", pk=meeting.pk)
    preview = render_markdown(services.minutes_text(meeting))
    return render(
        request, "governance/minutes.html", {"meeting": meeting, "form": form, "preview": preview}
    )


@staff_required
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    html = render_markdown(services.minutes_text(meeting))
    content = pdf_render(
        "governance/minutes_pdf.html",
        {
            "draft": meeting.status != MeetingStatus.CLOSED,
            "meeting": meeting,
            "coop_name": pdfs.coop_name(meeting),
            "html": html,
            "results": meeting_results(meeting),
        },
    )
    return pdf_response(f"pv-{meeting.pk}", content)


@staff_required
@require_http_methods(["GET", "POST"])
def attendance_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    n = meeting.roll.count()
    return _pdf_job(
        request,
        meeting,
        kind="governance.attendance_pdf",
        label=_("Feuille de présence"),
        what=ngettext(
            "La feuille de présence des %(n)s votant de la liste sera mise en page en "
            "arrière-plan.",
            "La feuille de présence des %(n)s votants de la liste sera mise en page en "
            "arrière-plan.",
            n,
        )
        % {"n": n},
        func="placette.governance.pdfs.attendance_pdf_job",
        back=reverse("governance:attendance", args=[meeting.pk]),
    )


# -- decision register -------------------------------------------------------------------------


def _decisions(request: HttpRequest):
    form = DecisionFilterForm(request.GET or None)
    queryset = (
        Decision.objects.select_related("meeting__body")
        .annotate(open_actions=Count("actions", filter=~Q(actions__status="done")))
        .order_by("-decided_on", "-id")
    )
    if form.is_valid():
        for word in normalize(form.cleaned_data["q"] or "").split():
            queryset = queryset.filter(search_text__contains=word)
        if form.cleaned_data["body"]:
            queryset = queryset.filter(meeting__body=form.cleaned_data["body"])
    return form, queryset


@staff_required
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    form, queryset = _decisions(request)
    page = paginate(request, queryset)
    return render(
        request,
        "governance/decision_list.html",
        {"form": form, "page": page, "query": querystring_without_page(request)},
    )


@staff_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.select_related("meeting", "resolution"), pk=pk)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.action_add(actor=request.user, decision=decision, **form.cleaned_data)
        messages.success(request, _("Action de suivi ajoutée."))
        return redirect(decision)
    context = {
        "decision": decision,
        "actions": decision.actions.select_related("owner"),
        "form": form,
        "status_form": ActionStatusForm(),
        "view": resolution_view(decision.resolution) if decision.resolution else None,
    }
    return render(request, "governance/decision_detail.html", context)


@staff_required
@require_POST
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action, pk=pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_update(
            actor=request.user, action=action, status=form.cleaned_data["status"]
        )
        messages.success(request, _("Action mise à jour."))
    return redirect(action.decision)


# -- bodies and mandates -------------------------------------------------------------------------


@staff_required
@require_GET
def body_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    bodies = Body.objects.annotate(
        n=Count(
            "mandates",
            filter=Q(mandates__starts_on__lte=today)
            & (Q(mandates__ends_on__isnull=True) | Q(mandates__ends_on__gte=today)),
        )
    )
    kinds = set(bodies.values_list("kind", flat=True))
    missing = [name for kind, name, _ in services.DEFAULT_BODIES if kind not in kinds]
    return render(request, "governance/body_list.html", {"bodies": bodies, "missing": missing})


@staff_required
@require_POST
def bodies_defaults(request: HttpRequest) -> HttpResponse:
    created = services.bodies_default_ensure(actor=request.user)
    if created:
        messages.success(
            request,
            _("Instances créées : %(names)s.") % {"names": ", ".join(b.name for b in created)},
        )
    else:
        messages.info(request, _("L’assemblée générale et le conseil existent déjà."))
    return redirect("governance:bodies")


@staff_required
def body_create(request: HttpRequest) -> HttpResponse:
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(actor=request.user, **form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Instance « %(name)s » créée.") % {"name": body.name})
            return redirect(body)
    return render(
        request,
        "governance/body_form.html",
        {"form": form, "title": "Nouvelle instance", "cancel": reverse("governance:bodies")},
    )


@staff_required
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(Body, pk=pk)
    form = BodyForm(
        request.POST or None,
        initial={"kind": body.kind, "name": body.name, "description": body.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_update(actor=request.user, body=body, **form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Instance enregistrée."))
            return redirect(body)
    return render(
        request,
        "governance/body_form.html",
        {"form": form, "title": f"Modifier « {body.name} »", "cancel": body.get_absolute_url()},
    )


@staff_required
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(Body, pk=pk)
    form = MandateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_add(actor=request.user, body=body, **form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Mandat enregistré."))
            return redirect(body)
    today = timezone.localdate()
    mandates = body.mandates.select_related("contact", "college", "elected_at").order_by(
        "college__order", "college__name", "-is_chair", "contact__name_key", "starts_on"
    )
    current = [m for m in mandates if m.is_active_on(today)]
    upcoming = [m for m in mandates if m.starts_on > today]
    past = sorted(
        (m for m in mandates if m.ends_on is not None and m.ends_on < today),
        key=lambda m: (m.ends_on, m.pk),
        reverse=True,
    )
    return render(
        request,
        "governance/body_detail.html",
        {
            "body": body,
            "current": current,
            "upcoming": upcoming,
            "past": past,
            "form": form,
            "today": today,
        },
    )


@staff_required
def mandate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = get_object_or_404(Mandate.objects.select_related("body", "contact"), pk=pk)
    fields = ("role", "is_chair", "college", "starts_on", "ends_on", "end_reason", "elected_at")
    form = MandateEditForm(request.POST or None, initial={f: getattr(mandate, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_update(
                actor=request.user,
                mandate=mandate,
                data={f: form.cleaned_data[f] for f in form.changed_data},
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Mandat enregistré."))
            return redirect(mandate.body)
    return render(
        request,
        "governance/mandate_form.html",
        {"form": form, "mandate": mandate, "title": "Modifier le mandat"},
    )


@staff_required
def mandate_end(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = get_object_or_404(Mandate.objects.select_related("body", "contact"), pk=pk)
    form = MandateEndForm(
        request.POST or None, initial={"ends_on": mandate.ends_on or timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        response = confirm(
            request,
            Confirmation(
                title=_("Terminer le mandat de %(name)s") % {"name": mandate.contact.display_name},
                what=_(
                    "Le mandat « %(role)s » à l’instance « %(body)s » prendra fin le %(day)s "
                    "(%(reason)s) ; la personne ne sera plus comptée parmi ses membres."
                )
                % {
                    "role": mandate.role,
                    "body": mandate.body.name,
                    "day": f"{form.cleaned_data['ends_on']:%d/%m/%Y}",
                    "reason": form.cleaned_data["reason"],
                },
                button=_("Terminer le mandat"),
                cancel_url=mandate.body.get_absolute_url(),
                danger=True,
            ),
        )
        if response is not None:
            return response
        try:
            services.mandate_end(actor=request.user, mandate=mandate, **form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(
                request,
                _("Mandat de %(display_name)s terminé.")
                % {"display_name": mandate.contact.display_name},
            )
            return redirect(mandate.body)
    return render(
        request,
        "governance/mandate_form.html",
        {"form": form, "mandate": mandate, "title": "Terminer le mandat"},
    )


# -- evaluation -------------------------------------------------------------------------------


EVALUATION_HEADER = [
    "réunion",
    "date",
    "type",
    "collège",
    "inscrits",
    "participants",
    "présents",
    "à distance",
    "représentés",
    "votes à distance",
    "taux de participation (%)",
    "pouvoirs",
    "quorum atteint",
]


def evaluation_rows(year: int) -> list[list]:
    """Turnout per college, proxies, quorum per meeting of the year (aggregates only)."""
    meetings = list(
        Meeting.objects.filter(starts_at__year=year, roll_frozen_at__isnull=False).order_by(
            "starts_at"
        )
    )
    rows = []
    for meeting in meetings:
        quorum = services.quorum_status(meeting)
        per_college = (
            RollEntry.objects.filter(meeting=meeting)
            .values("college")
            .annotate(
                n=Count("id"),
                present=Count("id", filter=Q(attendance=Attendance.PRESENT)),
                remote=Count("id", filter=Q(attendance=Attendance.REMOTE)),
                represented=Count("id", filter=Q(attendance=Attendance.REPRESENTED)),
                postal=Count("id", filter=Q(attendance=Attendance.POSTAL)),
            )
            .order_by("college")
        )
        proxies = Proxy.objects.filter(meeting=meeting).count()
        for row in per_college:
            taking_part = row["present"] + row["remote"] + row["represented"] + row["postal"]
            rows.append(
                [
                    meeting.title,
                    f"{timezone.localtime(meeting.starts_at):%d/%m/%Y}",
                    meeting.get_kind_display(),
                    row["college"] or "—",
                    row["n"],
                    taking_part,
                    row["present"],
                    row["remote"],
                    row["represented"],
                    row["postal"],
                    round(100 * taking_part / row["n"], 1) if row["n"] else 0,
                    proxies,
                    "oui" if quorum.reached else "non",
                ]
            )
    return rows


@staff_required
@require_GET
def evaluation(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("annee", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    answers = (
        EvaluationAnswer.objects.filter(meeting__starts_at__year=year)
        .values("meeting__title")
        .annotate(n=Count("id"))
        .order_by("meeting__title")
    )
    from django.db.models import Avg

    scores = (
        EvaluationAnswer.objects.filter(meeting__starts_at__year=year)
        .values("meeting__title")
        .annotate(
            n=Count("id"),
            information=Avg("information"),
            debate=Avg("debate"),
            clarity=Avg("clarity"),
        )
        .order_by("meeting__title")
    )
    return render(
        request,
        "governance/evaluation.html",
        {
            "year": year,
            "header": EVALUATION_HEADER,
            "rows": evaluation_rows(year),
            "scores": scores,
            "answers": answers,
        },
    )


@staff_required
@require_GET
def evaluation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    year = int(request.GET.get("annee", timezone.localdate().year))
    rows = evaluation_rows(year)
    if fmt == "csv":
        return csv_response(f"gouvernance-{year}", EVALUATION_HEADER, rows)
    if fmt == "xlsx":
        return xlsx_response(f"gouvernance-{year}", EVALUATION_HEADER, rows)
    raise Http404("Format inconnu")

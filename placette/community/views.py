"""Staff pages of the community area (/gestion/communaute/). Thin: read, call a service, show
its refusal; mass mail goes through the confirmation page with a preview and a test send."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from placette.community import consultations as consult
from placette.community import engagement as engagement_reads
from placette.community import levels, queries, services
from placette.community.forms import (
    ConsultationForm,
    EventForm,
    LevelEndForm,
    LevelForm,
    OnDateForm,
    SessionForm,
    StaffRegistrationForm,
    SynthesisForm,
)
from placette.community.lists import SESSIONS
from placette.community.models import (
    Consultation,
    EngagementLevel,
    Event,
    ProposalVote,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Session,
)
from placette.lib.confirm import Confirmation, MailPreview, confirm
from placette.lib.mail import mail_render
from placette.lib.paging import paginate, querystring_without_page
from placette.lib.permissions import staff_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show


@staff_required
def sessions(request: HttpRequest) -> HttpResponse:
    return SESSIONS.render(request, "community/session_list.html", {})


@staff_required
def events(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, **form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("« %(t)s » ajouté au catalogue.") % {"t": event.title})
            return redirect(event)
    rows = Event.objects.annotate(n_sessions=Count("sessions")).order_by("title", "id")
    page = paginate(request, rows)
    return render(
        request,
        "community/event_list.html",
        {"page": page, "form": form, "query": querystring_without_page(request)},
    )


@staff_required
def event(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, event=event, **form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Session ajoutée."))
            return redirect(session)
    page = paginate(
        request,
        event.sessions.select_related("place")
        .annotate(n_confirmed=Count("registrations", filter=Q(registrations__status="confirmed")))
        .order_by("-starts_at"),
    )
    return render(
        request,
        "community/event_detail.html",
        {"event": event, "form": form, "page": page, "query": querystring_without_page(request)},
    )


def _session(pk: int) -> Session:
    return get_object_or_404(Session.objects.select_related("event", "place"), pk=pk)


@staff_required
def session(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    registrations = list(
        session.registrations.select_related("contact").order_by("registered_at", "id")
    )
    return render(
        request,
        "community/session_detail.html",
        {
            "session": session,
            "counts": queries.session_counts(session),
            "confirmed": [r for r in registrations if r.status == RegistrationStatus.CONFIRMED],
            "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
            "cancelled": [r for r in registrations if r.status == RegistrationStatus.CANCELLED],
            "form": StaffRegistrationForm(),
            "started": session.starts_at <= timezone.now(),
        },
    )


@staff_required
@require_POST
def registration_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    form = StaffRegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = services.registration_create(
                actor=request.user,
                session=session,
                contact=form.cleaned_data["contact"],
                source=RegistrationSource.STAFF,
            )
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            if registration.status == RegistrationStatus.WAITING:
                messages.warning(
                    request, _("Session complète : inscription sur la liste d’attente.")
                )
            else:
                messages.success(request, _("Inscription enregistrée."))
    else:
        for error in form.errors.get("contact", []):
            messages.error(request, error)
    return redirect(session)


@staff_required
@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(Registration, pk=pk)
    try:
        promoted = services.registration_cancel(actor=request.user, registration=registration)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("Inscription annulée."))
        if promoted:
            messages.info(
                request,
                _("%(name)s passe de la liste d’attente aux inscrits et en est informé·e.")
                % {"name": promoted.contact.display_name},
            )
    return redirect(registration.session)


@staff_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    try:
        present = [int(v) for v in request.POST.getlist("present")]
    except ValueError:
        present = [-1]
    try:
        n = services.attendance_record(actor=request.user, session=session, present=present)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(
            request, ngettext("%(n)d présent noté.", "%(n)d présents notés.", n) % {"n": n}
        )
    return redirect(session)


def _preview(template: str, session: Session, contact) -> MailPreview | None:
    if contact is None:
        return None
    context = {
        "session": session,
        "when": services._local(session.starts_at),
        "recipient": contact,
        "to": contact.mail_to,
    }
    subject, text, html = mail_render(template, context)
    return MailPreview(recipient=contact.mail_to, subject=subject, text=text, html=html)


@staff_required
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    recipients = queries.invitation_recipients(session)
    count = recipients.count()
    blocked = ""
    if session.is_cancelled or session.starts_at <= timezone.now():
        blocked = _("On n’invite qu’à une session à venir et non annulée.")
    elif not count:
        blocked = _(
            "Personne à inviter : aucun contact non inscrit n’accepte "
            "les invitations aux événements."
        )
    page = confirm(
        request,
        Confirmation(
            title=_("Inviter à « %(t)s »") % {"t": session.event.title},
            what=_(
                "Une invitation avec le fichier d’agenda part à chaque contact qui accepte "
                "aujourd’hui de recevoir les invitations aux événements "
                "et n’est pas encore inscrit."
            ),
            button=ngettext("Inviter %(n)d contact", "Inviter %(n)d contacts", count)
            % {"n": count},
            cancel_url=session.get_absolute_url(),
            count=count,
            count_label=_("contacts invités"),
            blocked=blocked,
            preview=lambda: _preview("community/invitation", session, recipients.first()),
            test_send=lambda address: services.invitation_test_send(session, address),
        ),
    )
    if page is not None:
        return page
    try:
        sent = services.invitations_send(actor=request.user, session=session)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(
            request,
            ngettext("%(n)d invitation envoyée.", "%(n)d invitations envoyées.", sent)
            % {"n": sent},
        )
    return redirect(session)


@staff_required
@require_POST
def reminders(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    recipients = queries.reminder_recipients(session)
    count = len(recipients)
    page = confirm(
        request,
        Confirmation(
            title=_("Rappeler « %(t)s »") % {"t": session.event.title},
            what=_(
                "Un rappel avec le fichier d’agenda part à chaque inscrit qui accepte les "
                "messages sur les événements."
            ),
            button=ngettext("Rappeler %(n)d inscrit", "Rappeler %(n)d inscrits", count)
            % {"n": count},
            cancel_url=session.get_absolute_url(),
            count=count,
            count_label=_("inscrits rappelés"),
            blocked="" if count else _("Aucun inscrit n’accepte les messages sur les événements."),
            preview=lambda: _preview(
                "community/reminder", session, recipients[0].contact if recipients else None
            ),
        ),
    )
    if page is not None:
        return page
    try:
        sent = services.reminders_send(actor=request.user, session=session)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(
            request, ngettext("%(n)d rappel envoyé.", "%(n)d rappels envoyés.", sent) % {"n": sent}
        )
    return redirect(session)


@staff_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    count = session.registrations.filter(status__in=["confirmed", "waiting"]).count()
    page = confirm(
        request,
        Confirmation(
            title=_("Annuler la session « %(t)s »") % {"t": session.event.title},
            what=_(
                "La session est annulée ; chaque inscrit reçoit un message et son agenda la retire."
            ),
            button=_("Annuler la session"),
            cancel_url=session.get_absolute_url(),
            count=count,
            count_label=_("inscrits prévenus"),
            danger=True,
            blocked=_("Cette session est déjà annulée.") if session.is_cancelled else "",
        ),
    )
    if page is not None:
        return page
    try:
        services.session_cancel(actor=request.user, session=session)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("Session annulée."))
    return redirect(session)


# -- engagement ladder ------------------------------------------------------------------------


@staff_required
def engagement(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    date_form = OnDateForm(request.GET or None)
    on = today
    if date_form.is_bound and date_form.is_valid() and date_form.cleaned_data["date"]:
        on = date_form.cleaned_data["date"]
    form = LevelForm(request.POST or None, initial={"valid_from": today})
    if request.method == "POST" and form.is_valid():
        try:
            level = services.level_define(actor=request.user, **form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Niveau « %(n)s » ajouté à l’échelle.") % {"n": level.name})
            return redirect("community:engagement")
    year_before = levels.months_before(on, 12)
    now_steps = engagement_reads.funnel(on)
    before = {
        s.rule.name if s.rule else None: s.count for s in engagement_reads.funnel(year_before)
    }
    return render(
        request,
        "community/engagement.html",
        {
            "on": on,
            "year_before": year_before,
            "date_form": date_form,
            "form": form,
            "steps": [(s, before.get(s.rule.name if s.rule else None)) for s in now_steps],
            "ladder": EngagementLevel.objects.filter(valid_from__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=on))
            .order_by("rank"),
            "history": EngagementLevel.objects.order_by("rank", "valid_from")[:100],
            "end_form": LevelEndForm(initial={"on": today}),
        },
    )


@staff_required
@require_POST
def level_end(request: HttpRequest, pk: int) -> HttpResponse:
    level = get_object_or_404(EngagementLevel, pk=pk)
    form = LevelEndForm(request.POST)
    if form.is_valid():
        try:
            services.level_end(actor=request.user, level=level, on=form.cleaned_data["on"])
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("Niveau retiré de l’échelle à cette date."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("community:engagement")


@staff_required
def dormant(request: HttpRequest) -> HttpResponse:
    page = paginate(request, engagement_reads.dormant_members())
    return render(
        request,
        "community/dormant.html",
        {
            "page": page,
            "query": querystring_without_page(request),
            "months": engagement_reads.DORMANT_MONTHS,
        },
    )


# -- consultations ----------------------------------------------------------------------------


@staff_required
def consultations(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = consult.consultation_create(actor=request.user, **form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Consultation ouverte aux propositions."))
            return redirect(item)
    page = paginate(
        request,
        Consultation.objects.annotate(n_proposals=Count("proposals")).order_by(
            "-created_at", "-id"
        ),
    )
    return render(
        request,
        "community/consultation_list.html",
        {"page": page, "form": form, "query": querystring_without_page(request)},
    )


@staff_required
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Consultation, pk=pk)
    return render(
        request,
        "community/consultation_detail.html",
        {
            "consultation": item,
            "results": consult.consultation_results(item),
            "synthesis_form": SynthesisForm(),
        },
    )


@staff_required
@require_POST
def consultation_open_vote(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Consultation, pk=pk)
    page = confirm(
        request,
        Confirmation(
            title=_("Ouvrir le vote sur « %(t)s »") % {"t": item.title},
            what=_("La phase des propositions se ferme : plus aucune proposition ne sera reçue."),
            button=_("Ouvrir le vote"),
            cancel_url=item.get_absolute_url(),
            count=item.proposals.count(),
            count_label=_("propositions mises au vote"),
        ),
    )
    if page is not None:
        return page
    try:
        consult.consultation_open_vote(actor=request.user, consultation=item)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("Le vote est ouvert."))
    return redirect(item)


@staff_required
@require_POST
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Consultation, pk=pk)
    form = SynthesisForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rédigez la synthèse avant de clôturer."))
        return redirect(item)
    page = confirm(
        request,
        Confirmation(
            title=_("Clôturer « %(t)s » et publier la synthèse") % {"t": item.title},
            what=_("Le vote se ferme et la synthèse est publiée aux sociétaires."),
            button=_("Clôturer et publier"),
            cancel_url=item.get_absolute_url(),
            count=ProposalVote.objects.filter(proposal__consultation=item).count(),
            count_label=_("votes enregistrés"),
        ),
    )
    if page is not None:
        return page
    try:
        consult.consultation_close(
            actor=request.user, consultation=item, synthesis=form.cleaned_data["synthesis"]
        )
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("Consultation clôturée, synthèse publiée."))
    return redirect(item)

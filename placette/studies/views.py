"""Pages of the studies area (/gestion/etudes/). Thin: read, call a service, show its refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from placette.lib.confirm import Confirmation, confirm
from placette.lib.money import euros
from placette.lib.pdf import pdf_response
from placette.lib.permissions import staff_admin_required, staff_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show
from placette.studies import figures, services
from placette.studies import printouts as outputs
from placette.studies.forms import (
    CreditNoteForm,
    DashboardYearForm,
    DeliverForm,
    FromScheduleForm,
    InvoiceForm,
    MemberForm,
    MilestoneForm,
    MissionCloseForm,
    MissionForm,
    PaymentForm,
    QuoteAcceptForm,
    QuoteCreateForm,
    QuoteForm,
    QuoteLineForm,
    QuotePhaseForm,
    QuoteRefuseForm,
    QuoteSendForm,
    RequestForm,
    RequestStatusForm,
    RoleForm,
    ScheduleItemForm,
    SettingsForm,
    TemplateForm,
    TemplatePhaseForm,
    TimeForm,
)
from placette.studies.lists import INVOICES, MISSIONS, QUOTES, REQUESTS
from placette.studies.models import (
    Deliverable,
    Invoice,
    Mission,
    MissionTemplate,
    Quote,
    QuoteLine,
    ScheduleItem,
    StudiesSettings,
    StudyRequest,
    StudyRole,
    TemplatePhase,
    TimeEntry,
)


def _attempt(request: HttpRequest, form: Any, action: Callable[[], Any], done: str) -> Any:
    """Run a service; on a refusal show it on the form and return None."""
    try:
        result = action()
    except Refusal as exc:
        refusal_show(request, exc, form)
        return None
    messages.success(request, done)
    return result if result is not None else True


def _post_only(request: HttpRequest, form: Any, back: str, action: Callable[[], Any], done: str):
    """A small form posted from a detail page: errors are shown as messages of that page."""
    if form.is_valid():
        try:
            action()
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, done)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(back)


# -- requests ---------------------------------------------------------------------------------


@staff_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    return REQUESTS.render(request, "studies/request_list.html")


@staff_required
def request_create(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, contact_id=request.GET.get("contact") or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("contact", "received_on")}
        created = _attempt(
            request,
            form,
            lambda: services.request_create(
                actor=request.user,
                contact=form.cleaned_data["contact"],
                received_on=form.cleaned_data["received_on"],
                data=data,
            ),
            _("Demande enregistrée."),
        )
        if created:
            return redirect(created)
    return render(
        request,
        "studies/form.html",
        {"form": form, "title": _("Nouvelle demande"), "cancel": reverse("studies:requests")},
    )


@staff_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    study = get_object_or_404(StudyRequest.objects.select_related("contact", "owner"), pk=pk)
    return render(
        request,
        "studies/request_detail.html",
        {
            "study": study,
            "quotes": study.quotes.order_by("-year", "-seq", "-version"),
            "missions": study.missions.all(),
            "status_form": RequestStatusForm(),
            "quote_form": QuoteCreateForm(initial={"title": study.title}),
        },
    )


@staff_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    study = get_object_or_404(StudyRequest, pk=pk)
    form = RequestForm(request.POST or None, instance=study)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("contact", "received_on")}
        fresh = StudyRequest.objects.get(pk=pk)
        if _attempt(
            request,
            form,
            lambda: services.request_update(actor=request.user, request=fresh, data=data),
            _("Demande modifiée."),
        ):
            return redirect(study)
    return render(
        request,
        "studies/form.html",
        {"form": form, "title": _("Modifier la demande"), "cancel": study.get_absolute_url()},
    )


@staff_required
@require_POST
def request_status(request: HttpRequest, pk: int) -> HttpResponse:
    study = get_object_or_404(StudyRequest, pk=pk)
    form = RequestStatusForm(request.POST)
    return _post_only(
        request,
        form,
        study.get_absolute_url(),
        lambda: services.request_status_set(
            actor=request.user,
            request=study,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["on"],
        ),
        _("Statut de la demande changé."),
    )


@staff_required
@require_POST
def quote_create(request: HttpRequest, pk: int) -> HttpResponse:
    study = get_object_or_404(StudyRequest, pk=pk)
    form = QuoteCreateForm(request.POST)
    if form.is_valid():
        try:
            quote = services.quote_create(
                actor=request.user,
                request=study,
                template=form.cleaned_data["template"],
                title=form.cleaned_data["title"],
                created_on=form.cleaned_data["created_on"],
            )
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("Devis %(n)s créé.") % {"n": quote.number})
            return redirect(quote)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(study)


# -- quotes -----------------------------------------------------------------------------------


@staff_required
@require_GET
def quote_list(request: HttpRequest) -> HttpResponse:
    return QUOTES.render(request, "studies/quote_list.html")


def _quote(pk: int) -> Quote:
    return get_object_or_404(Quote.objects.select_related("request", "client", "template"), pk=pk)


@staff_required
def quote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(pk)
    phases = list(
        quote.phases.prefetch_related(
            Prefetch("lines", queryset=QuoteLine.objects.select_related("role", "staff"))
        )
    )
    loose = list(quote.lines.filter(phase__isnull=True).select_related("role", "staff"))
    versions = Quote.objects.filter(year=quote.year, seq=quote.seq).order_by("version")
    return render(
        request,
        "studies/quote_detail.html",
        {
            "quote": quote,
            "phases": phases,
            "loose": loose,
            "versions": versions,
            "status": quote.status_on(),
            "phase_form": QuotePhaseForm(),
            "line_form": QuoteLineForm(quote=quote),
            "send_form": QuoteSendForm(),
            "refuse_form": QuoteRefuseForm(),
            "mission": getattr(quote, "mission", None) if quote.status == "accepted" else None,
        },
    )


@staff_required
def quote_edit(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(pk)
    form = QuoteForm(request.POST or None, instance=quote)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if _attempt(
            request,
            form,
            lambda: services.quote_update(
                actor=request.user, quote=Quote.objects.get(pk=pk), data=data
            ),
            _("Devis modifié."),
        ):
            return redirect(quote)
    return render(
        request,
        "studies/form.html",
        {
            "form": form,
            "title": _("Modifier le devis %(n)s") % {"n": quote.number},
            "cancel": quote.get_absolute_url(),
        },
    )


@staff_required
@require_POST
def quote_phase_add(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(pk)
    form = QuotePhaseForm(request.POST)
    return _post_only(
        request,
        form,
        quote.get_absolute_url(),
        lambda: services.quote_phase_add(actor=request.user, quote=quote, **form.cleaned_data),
        _("Phase ajoutée."),
    )


@staff_required
@require_POST
def quote_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(pk)
    form = QuoteLineForm(request.POST, quote=quote)

    def add():
        data = form.cleaned_data
        phase = quote.phases.filter(pk=data["phase"]).first() if data["phase"] else None
        return services.quote_line_add(
            actor=request.user,
            quote=quote,
            kind=data["kind"],
            label=data["label"],
            quantity=data["quantity"],
            unit_price=data["unit_price"],
            phase=phase,
            role=data["role"],
            staff=data["staff"],
            is_option=data["is_option"],
        )

    return _post_only(request, form, quote.get_absolute_url(), add, _("Ligne ajoutée."))


@staff_required
@require_POST
def quote_line_remove(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(QuoteLine.objects.select_related("quote"), pk=pk)
    try:
        services.quote_line_remove(actor=request.user, line=line)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("Ligne retirée."))
    return redirect(line.quote)


@staff_required
@require_POST
def quote_send(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(pk)
    form = QuoteSendForm(request.POST)
    return _post_only(
        request,
        form,
        quote.get_absolute_url(),
        lambda: services.quote_send(
            actor=request.user, quote=quote, sent_on=form.cleaned_data["sent_on"]
        ),
        _("Devis marqué envoyé : il ne se modifie plus (une nouvelle version si besoin)."),
    )


@staff_required
@require_POST
def quote_revise(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(pk)
    try:
        fresh = services.quote_revise(actor=request.user, quote=quote)
    except Refusal as exc:
        refusal_show(request, exc)
        return redirect(quote)
    messages.success(
        request, _("Version %(v)d créée, à modifier puis envoyer.") % {"v": fresh.version}
    )
    return redirect(fresh)


@staff_required
def quote_accept(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(pk)
    form = QuoteAcceptForm(request.POST or None, quote=quote)
    if request.method == "POST" and form.is_valid():
        mission = _attempt(
            request,
            form,
            lambda: services.quote_accept(
                actor=request.user,
                quote=Quote.objects.get(pk=pk),
                accepted_on=form.cleaned_data["accepted_on"],
                ends_on=form.cleaned_data["ends_on"],
                options=form.cleaned_data.get("options") or [],
            ),
            _("Devis accepté : la mission est ouverte."),
        )
        if mission:
            return redirect(mission)
    return render(
        request,
        "studies/form.html",
        {
            "form": form,
            "title": _("Acceptation du devis %(n)s") % {"n": quote.number},
            "intro": _(
                "Le client accepte le devis de %(amount)s HT : la mission s’ouvre à cette date, "
                "avec ses phases, son équipe et un échéancier (acompte de 30 %%, solde)."
            )
            % {"amount": euros(quote.total_net)},
            "cancel": quote.get_absolute_url(),
            "button": _("Accepter et ouvrir la mission"),
        },
    )


@staff_required
@require_POST
def quote_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(pk)
    form = QuoteRefuseForm(request.POST)
    return _post_only(
        request,
        form,
        quote.get_absolute_url(),
        lambda: services.quote_refuse(
            actor=request.user,
            quote=quote,
            refused_on=form.cleaned_data["refused_on"],
            reason=form.cleaned_data["reason"],
        ),
        _("Devis marqué refusé."),
    )


@staff_required
@require_GET
def quote_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(pk)
    return pdf_response(f"devis-{quote.number.replace(' ', '-')}", outputs.quote_pdf(quote))


# -- missions ---------------------------------------------------------------------------------


@staff_required
@require_GET
def mission_list(request: HttpRequest) -> HttpResponse:
    return MISSIONS.render(request, "studies/mission_list.html")


def _mission(pk: int) -> Mission:
    return get_object_or_404(
        Mission.objects.select_related("quote", "client", "request", "place"), pk=pk
    )


@staff_required
def mission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _mission(pk)
    return render(
        request,
        "studies/mission_detail.html",
        {
            "mission": mission,
            "phases": figures.mission_phases(mission),
            "members": mission.members.select_related("user", "role"),
            "milestones": mission.milestones.select_related("phase"),
            "deliverables": mission.deliverables.select_related("phase", "document"),
            "entries": TimeEntry.objects.filter(mission=mission).select_related("staff", "phase")[
                :50
            ],
            "schedule": mission.schedule.select_related("invoice"),
            "invoices": mission.invoices.order_by("issued_on", "id"),
            "time_form": TimeForm(mission=mission),
            "milestone_form": MilestoneForm(),
            "member_form": MemberForm(),
            "schedule_form": ScheduleItemForm(),
            "from_schedule_form": FromScheduleForm(),
            "deliver_form": DeliverForm(),
            "today": timezone.localdate(),
        },
    )


@staff_required
def mission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _mission(pk)
    form = MissionForm(
        request.POST or None,
        initial={"title": mission.title, "ends_on": mission.ends_on, "place": mission.place_id},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            form,
            lambda: services.mission_update(
                actor=request.user, mission=mission, data=dict(form.cleaned_data)
            ),
            _("Mission modifiée."),
        )
    ):
        return redirect(mission)
    return render(
        request,
        "studies/form.html",
        {
            "form": form,
            "title": _("Modifier la mission %(n)s") % {"n": mission.number},
            "cancel": mission.get_absolute_url(),
        },
    )


@staff_required
@require_POST
def time_add(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _mission(pk)
    form = TimeForm(request.POST, mission=mission)

    def add():
        data = form.cleaned_data
        phase = mission.phases.filter(pk=data["phase"]).first() if data["phase"] else None
        return services.time_record(
            actor=request.user,
            mission=mission,
            staff=data["staff"],
            on=data["on"],
            half_days=data["half_days"],
            phase=phase,
            note=data["note"],
        )

    return _post_only(request, form, mission.get_absolute_url(), add, _("Temps enregistré."))


@staff_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _mission(pk)
    form = MilestoneForm(request.POST)
    return _post_only(
        request,
        form,
        mission.get_absolute_url(),
        lambda: services.milestone_add(actor=request.user, mission=mission, **form.cleaned_data),
        _("Moment ajouté au planning."),
    )


@staff_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _mission(pk)
    form = MemberForm(request.POST)
    return _post_only(
        request,
        form,
        mission.get_absolute_url(),
        lambda: services.mission_member_set(
            actor=request.user, mission=mission, **form.cleaned_data
        ),
        _("Équipe mise à jour."),
    )


@staff_required
@require_POST
def schedule_add(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _mission(pk)
    form = ScheduleItemForm(request.POST)
    return _post_only(
        request,
        form,
        mission.get_absolute_url(),
        lambda: services.schedule_item_add(
            actor=request.user, mission=mission, **form.cleaned_data
        ),
        _("Échéance ajoutée."),
    )


@staff_required
@require_POST
def deliverable_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = get_object_or_404(Deliverable.objects.select_related("mission"), pk=pk)
    form = DeliverForm(request.POST, request.FILES)
    return _post_only(
        request,
        form,
        deliverable.mission.get_absolute_url(),
        lambda: services.deliverable_deliver(
            actor=request.user,
            deliverable=deliverable,
            delivered_on=form.cleaned_data["delivered_on"],
            file=form.cleaned_data["file"],
        ),
        _("Livrable remis."),
    )


@staff_required
@require_POST
def mission_close(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _mission(pk)
    form = MissionCloseForm(request.POST)
    if not form.is_valid():
        return _post_only(request, form, mission.get_absolute_url(), lambda: None, "")
    page = confirm(
        request,
        Confirmation(
            title=_("Clôturer la mission %(n)s") % {"n": mission.number},
            what=_(
                "Plus aucun temps ni moment ne pourra y être saisi. Les factures restent "
                "possibles jusqu’au montant du devis."
            ),
            button=_("Clôturer la mission"),
            cancel_url=mission.get_absolute_url(),
        ),
    )
    if page is not None:
        return page
    return _post_only(
        request,
        form,
        mission.get_absolute_url(),
        lambda: services.mission_close(
            actor=request.user, mission=mission, closed_on=form.cleaned_data["closed_on"]
        ),
        _("Mission clôturée."),
    )


@staff_required
def invoice_create(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _mission(pk)
    form = InvoiceForm(
        request.POST or None,
        initial={"line_label": mission.title, "label": mission.title},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invoice = _attempt(
            request,
            form,
            lambda: services.invoice_issue(
                actor=request.user,
                mission=mission,
                issued_on=data["issued_on"],
                label=data["label"],
                lines=[
                    {
                        "label": data["line_label"],
                        "quantity": data["quantity"],
                        "unit_price": data["amount"],
                    }
                ],
            ),
            _("Facture émise."),
        )
        if invoice:
            return redirect(invoice)
    return render(
        request,
        "studies/form.html",
        {
            "form": form,
            "title": _("Facturer la mission %(n)s") % {"n": mission.number},
            "intro": _("Reste à facturer sur le devis %(q)s : %(left)s HT.")
            % {"q": mission.quote.number, "left": euros(mission.remaining_net)},
            "cancel": mission.get_absolute_url(),
            "button": _("Émettre la facture"),
        },
    )


@staff_required
@require_POST
def schedule_invoice(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ScheduleItem.objects.select_related("mission"), pk=pk)
    form = FromScheduleForm(request.POST)
    return _post_only(
        request,
        form,
        item.mission.get_absolute_url(),
        lambda: services.invoice_from_schedule(
            actor=request.user, item=item, issued_on=form.cleaned_data["issued_on"]
        ),
        _("Facture émise pour « %(item)s ».") % {"item": item.label},
    )


# -- invoices ---------------------------------------------------------------------------------


@staff_required
@require_GET
def invoice_list(request: HttpRequest) -> HttpResponse:
    return INVOICES.render(request, "studies/invoice_list.html")


def _invoice(pk: int) -> Invoice:
    return get_object_or_404(Invoice.objects.select_related("mission", "credited_invoice"), pk=pk)


@staff_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(pk)
    return render(
        request,
        "studies/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "payments": invoice.payments.all(),
            "credit_notes": invoice.credit_notes.all(),
            "payment_form": PaymentForm(initial={"amount": invoice.balance}),
            "today": timezone.localdate(),
        },
    )


@staff_required
@require_POST
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(pk)
    form = PaymentForm(request.POST)
    return _post_only(
        request,
        form,
        invoice.get_absolute_url(),
        lambda: services.payment_record(actor=request.user, invoice=invoice, **form.cleaned_data),
        _("Paiement enregistré."),
    )


@staff_required
def credit_note_create(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(pk)
    form = CreditNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        page = confirm(
            request,
            Confirmation(
                title=_("Émettre un avoir sur la facture %(n)s") % {"n": invoice.number},
                what=_(
                    "Un avoir numéroté est émis ; il ne se supprime pas. Il réduit ce que le "
                    "client doit et rend ce montant facturable sur le devis."
                ),
                button=_("Émettre l’avoir"),
                cancel_url=invoice.get_absolute_url(),
                danger=True,
            ),
        )
        if page is not None:
            return page
        note = _attempt(
            request,
            form,
            lambda: services.credit_note_issue(
                actor=request.user,
                invoice=invoice,
                issued_on=form.cleaned_data["issued_on"],
                amount_net=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            ),
            _("Avoir émis."),
        )
        if note:
            return redirect(note)
    return render(
        request,
        "studies/form.html",
        {
            "form": form,
            "title": _("Avoir sur la facture %(n)s") % {"n": invoice.number},
            "intro": _(
                "Une facture émise ne se modifie pas : l’avoir la corrige, en tout ou en partie."
            ),
            "cancel": invoice.get_absolute_url(),
            "button": _("Continuer"),
        },
    )


@staff_required
@require_GET
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(pk)
    return pdf_response(invoice.number, outputs.invoice_facturx(invoice), inline=False)


# -- templates, roles, settings, dashboard ------------------------------------------------------


@staff_required
def template_list(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(request.POST or None)
    role_form = RoleForm(request.POST or None, prefix="role")
    if request.method == "POST":
        if "role-name" in request.POST:
            if role_form.is_valid() and _attempt(
                request,
                role_form,
                lambda: services.role_create(actor=request.user, **role_form.cleaned_data),
                _("Rôle ajouté."),
            ):
                return redirect("studies:templates")
        elif form.is_valid():
            template = _attempt(
                request,
                form,
                lambda: services.template_create(actor=request.user, **form.cleaned_data),
                _("Mission type créée : ajoutez ses phases."),
            )
            if template:
                return redirect(template)
    return render(
        request,
        "studies/template_list.html",
        {
            "templates": MissionTemplate.objects.prefetch_related("phases__days"),
            "roles": StudyRole.objects.all(),
            "form": form,
            "role_form": role_form,
        },
    )


@staff_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(MissionTemplate, pk=pk)
    roles = list(StudyRole.objects.all())
    form = TemplatePhaseForm(request.POST or None, roles=roles)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            form,
            lambda: services.template_phase_add(
                actor=request.user,
                template=template,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                deliverables=form.cleaned_data["deliverables"],
                days=form.days(),
            ),
            _("Phase ajoutée."),
        )
    ):
        return redirect(template)
    phases = TemplatePhase.objects.filter(template=template).prefetch_related("days__role")
    return render(
        request,
        "studies/template_detail.html",
        {"template": template, "phases": phases, "form": form},
    )


@staff_admin_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    current = StudiesSettings.get()
    form = SettingsForm(request.POST or None, instance=current)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            form,
            lambda: services.settings_update(
                actor=request.user,
                data={name: form.cleaned_data[name] for name in form.cleaned_data},
            ),
            _("Réglages enregistrés."),
        )
    ):
        return redirect("studies:dashboard")
    return render(
        request,
        "studies/form.html",
        {
            "form": form,
            "title": _("Réglages des études et mentions légales"),
            "cancel": reverse("studies:dashboard"),
        },
    )


@staff_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardYearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_valid() and form.cleaned_data["year"]:
        year = form.cleaned_data["year"]
    return render(
        request,
        "studies/dashboard.html",
        {"form": form, "year": year, "board": figures.yearly_board(year)},
    )

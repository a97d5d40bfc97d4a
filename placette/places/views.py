import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from placette.lib.confirm import Confirmation, confirm
from placette.lib.exports import csv_response, xlsx_response
from placette.lib.models import AuditEntry
from placette.lib.money import euros, number
from placette.lib.paging import paginate
from placette.lib.permissions import staff_admin_required, staff_required
from placette.lib.refusals import Refusal
from placette.lib.sums import decimal_sum
from placette.lib.views import next_url, refusal_show
from placette.places import queries, services
from placette.places.figures import headline_figures
from placette.places.forms import (
    ActivityForm,
    CriteriaNoteForm,
    CriteriaPublishForm,
    CriterionFormSet,
    DecisionForm,
    DocumentForm,
    EventForm,
    FiguresDateForm,
    FinancingLineForm,
    IndexImportForm,
    IndexValueForm,
    LeaseForm,
    OperationForm,
    PaymentForm,
    PlaceCreateForm,
    PlaceForm,
    RevisionForm,
    ScoringForm,
    SettingsForm,
    StatusChangeForm,
)
from placette.places.lists import ARREARS, PLACES, arrears_day, reminder_counts_set
from placette.places.models import (
    Activity,
    CriteriaState,
    CriteriaVersion,
    CriterionScore,
    FinancingLine,
    IndexValue,
    Lease,
    Operation,
    Place,
    PlacesSettings,
    RentLine,
)
from placette.places.timeline import place_timeline


def _errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _at(request: HttpRequest) -> tuple[FiguresDateForm, dt.date]:
    form = FiguresDateForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["date"]:
        day = form.cleaned_data["date"]
    return form, day


# Places --------------------------------------------------------------------------------------


@staff_required
@require_GET
def place_list(request: HttpRequest) -> HttpResponse:
    return PLACES.render(
        request,
        "places/place_list.html",
        {"leaflet": settings.LEAFLET_CONFIG},
        extra=lambda state: {"markers": _markers(state.filters.qs)},
    )


def _markers(places) -> list[dict]:
    """Every matching place with coordinates goes on the map (one light query), not only the
    page."""
    url = reverse("places:detail", args=[0]).replace("/0/", "/{}/")
    return [
        {
            "name": p["name"],
            "commune": p["commune_name"],
            "lat": float(p["latitude"]),
            "lon": float(p["longitude"]),
            "url": url.format(p["pk"]),
        }
        for p in places.mapped().values("pk", "name", "commune_name", "latitude", "longitude")[
            :5000
        ]
    ]


@staff_required
def place_create(request: HttpRequest) -> HttpResponse:
    form = PlaceCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.place_create(
                actor=request.user,
                data={**form.place_data(), "status": form.cleaned_data["status"]},
                decided_on=form.cleaned_data["decided_on"],
                decided_by=form.cleaned_data["decided_by"],
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Lieu « %(name)s » créé.") % {"name": place.name})
            return redirect(place)
    return render(
        request,
        "places/place_form.html",
        {"form": form, "title": _("Nouveau lieu"), "cancel": "places:list"},
    )


@staff_required
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place, pk=pk)
    form = PlaceForm(request.POST or None, instance=place)
    if request.method == "POST" and form.is_valid():
        fresh = Place.objects.get(pk=pk)
        try:
            services.place_update(actor=request.user, place=fresh, data=form.place_data())
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Lieu enregistré."))
            return redirect(fresh)
    return render(
        request,
        "places/place_form.html",
        {"form": form, "title": _("Modifier « %(name)s »") % {"name": place.name}, "place": place},
    )


@staff_required
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place.objects.select_related("operation"), pk=pk)
    operation = place.operation  # created with the place by services.place_create
    balance = queries.financing_balance(operation=operation)
    activities = (
        place.activities.select_related("tenant", "contact_person")
        .prefetch_related(Prefetch("leases", queryset=Lease.objects.order_by("-starts_on")))
        .order_by("-opened_on")
    )
    context = {
        "place": place,
        "operation": operation,
        "balance": balance,
        "financing": operation.financing.select_related("funder"),
        "activities": activities,
        "status_changes": place.status_changes.select_related("actor").order_by(
            "-decided_on", "-id"
        ),
        "documents": place.documents.select_related("document"),
        "scorings": place.scorings.select_related("version").prefetch_related(
            Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion"))
        ),
        "decisions": place.decisions.select_related("scoring"),
        "scorable": place.status in services.SCORABLE_STEPS,
        "timeline": place_timeline(place),
        "status_form": StatusChangeForm(initial={"decided_on": timezone.localdate()}),
        "financing_form": FinancingLineForm(prefix="fin"),
        "event_form": EventForm(prefix="evt", initial={"happened_on": timezone.localdate()}),
        "document_form": DocumentForm(prefix="doc"),
        "audit": AuditEntry.objects.for_object(place).select_related("actor")[:15],
        "today": timezone.localdate(),
    }
    return render(request, "places/place_detail.html", context)


@staff_required
@require_POST
def place_status(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place, pk=pk)
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        try:
            services.place_status_change(actor=request.user, place=place, **form.cleaned_data)
            messages.success(request, _("Étape enregistrée."))
        except Refusal as exc:
            refusal_show(request, exc)
    else:
        messages.error(request, _("Étape non enregistrée : %(form)s") % {"form": _errors(form)})
    return redirect(place)


@staff_required
@require_POST
def place_event(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place, pk=pk)
    form = EventForm(request.POST, prefix="evt")
    if form.is_valid():
        services.place_event_add(actor=request.user, place=place, **form.cleaned_data)
        messages.success(request, _("Événement ajouté à l’historique du lieu."))
    else:
        messages.error(request, _("Événement non enregistré : %(form)s") % {"form": _errors(form)})
    return redirect(place)


@staff_required
@require_POST
def place_document(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place, pk=pk)
    form = DocumentForm(request.POST, request.FILES, prefix="doc")
    if form.is_valid():
        services.place_document_add(actor=request.user, place=place, **form.cleaned_data)
        messages.success(request, _("Document déposé."))
    else:
        messages.error(request, _("Document non déposé : %(form)s") % {"form": _errors(form)})
    return redirect(place)


# Operation and financing ---------------------------------------------------------------------


@staff_required
def operation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    operation = get_object_or_404(Operation.objects.select_related("place"), place_id=pk)
    place = operation.place
    form = OperationForm(request.POST or None, instance=operation)
    if request.method == "POST" and form.is_valid():
        fresh = Operation.objects.get(pk=operation.pk)
        try:
            services.operation_update(actor=request.user, operation=fresh, data=form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Acquisition, travaux et surfaces enregistrés."))
            balance = queries.financing_balance(operation=fresh)
            if fresh.financing.exists() and not balance.balanced:
                messages.warning(request, balance.message)
            return redirect(place)
    return render(
        request,
        "places/place_form.html",
        {
            "form": form,
            "title": _("Acquisition, travaux et surfaces — %(name)s") % {"name": place.name},
            "place": place,
        },
    )


@staff_required
@require_POST
def financing_add(request: HttpRequest, pk: int) -> HttpResponse:
    operation = get_object_or_404(Operation.objects.select_related("place"), place_id=pk)
    place = operation.place
    form = FinancingLineForm(request.POST, prefix="fin")
    if form.is_valid():
        try:
            _line, balance = services.financing_line_add(
                actor=request.user, operation=operation, data=form.cleaned_data
            )
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("Source de financement ajoutée."))
            if not balance.balanced:
                messages.warning(request, balance.message)
    else:
        messages.error(request, _("Source non enregistrée : %(form)s") % {"form": _errors(form)})
    return redirect(place)


@staff_required
@require_http_methods(["GET", "POST"])
def financing_remove(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(
        FinancingLine.objects.select_related("operation__place", "funder"), pk=pk
    )
    place = line.operation.place
    now = queries.financing_balance(operation=line.operation)
    after = queries.FinancingBalance(cost=now.cost, financed=now.financed - line.amount)
    source = line.get_source_display() + (f" — {line.funder}" if line.funder else "")
    response = confirm(
        request,
        Confirmation(
            title=_("Retirer une source de financement"),
            what=_(
                "La source « %(source)s » (%(amount)s) sera retirée du plan de financement de "
                "%(place)s."
            )
            % {"source": source, "amount": euros(line.amount), "place": place},
            details=[_("Après le retrait : %(balance)s") % {"balance": after.message}],
            button=_("Retirer cette source"),
            cancel_url=place.get_absolute_url(),
            danger=True,
        ),
    )
    if response is not None:
        return response
    balance = services.financing_line_remove(actor=request.user, line=line)
    messages.success(request, _("Source de financement retirée."))
    if not balance.balanced:
        messages.warning(request, balance.message)
    return redirect(place)


# Activities and leases -----------------------------------------------------------------------


@staff_required
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place, pk=pk)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_install(
                actor=request.user, place=place, data=form.cleaned_data
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(
                request,
                _("Activité « %(activity)s » installée. Ajoutez son bail.")
                % {"activity": activity},
            )
            return redirect("places:lease_create", activity.pk)
    return render(
        request,
        "places/place_form.html",
        {
            "form": form,
            "title": _("Installer une activité — %(name)s") % {"name": place.name},
            "place": place,
        },
    )


@staff_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("place"), pk=pk)
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        fresh = Activity.objects.get(pk=pk)
        try:
            services.activity_update(actor=request.user, activity=fresh, data=form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Activité enregistrée."))
            return redirect(activity.place)
    return render(
        request,
        "places/place_form.html",
        {
            "form": form,
            "title": _("Modifier « %(activity)s »") % {"activity": activity},
            "place": activity.place,
        },
    )


@staff_required
def lease_create(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("place"), pk=pk)
    form = LeaseForm(
        request.POST or None,
        initial={"starts_on": activity.opened_on, "index_kind": "ILC", "index_quarter": 1},
    )
    if request.method == "POST" and form.is_valid():
        try:
            lease = services.lease_create(
                actor=request.user, activity=activity, data=form.cleaned_data
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Bail enregistré ; son échéancier est créé."))
            return redirect(lease)
    return render(
        request,
        "places/place_form.html",
        {
            "form": form,
            "title": _("Nouveau bail — %(activity)s") % {"activity": activity},
            "place": activity.place,
        },
    )


@staff_required
def lease_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lease = get_object_or_404(
        Lease.objects.select_related("activity__place", "activity__tenant"), pk=pk
    )
    lines = paginate(
        request, lease.schedule.prefetch_related("payments").order_by("-due_on"), per_page=24
    )
    reminder_counts_set(lines.object_list)
    totals = lease.schedule.filter(due_on__lte=timezone.localdate()).aggregate(
        due=decimal_sum("amount"), paid=decimal_sum("paid_amount")
    )
    context = {
        "lease": lease,
        "lines": lines,
        "totals": totals,
        "revisions": lease.revisions.select_related("actor").order_by("-effective_on"),
        "revision_form": RevisionForm(initial={"effective_on": lease.next_revision_on()}),
        "payment_form": PaymentForm(initial={"paid_on": timezone.localdate()}),
        "today": timezone.localdate(),
    }
    return render(request, "places/lease_detail.html", context)


@staff_required
@require_POST
def lease_revise(request: HttpRequest, pk: int) -> HttpResponse:
    lease = get_object_or_404(Lease, pk=pk)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Révision non enregistrée : %(form)s") % {"form": _errors(form)})
        return redirect(lease)
    try:
        revision = services.lease_revise(
            actor=request.user, lease=lease, effective_on=form.cleaned_data["effective_on"]
        )
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(
            request, _("Loyer révisé : %(explanation)s.") % {"explanation": revision.explanation}
        )
    return redirect(lease)


@staff_required
@require_POST
def lease_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    lease = get_object_or_404(Lease, pk=pk)
    count = services.lease_schedule_generate(lease=lease, until=timezone.localdate())
    messages.success(
        request,
        ngettext(
            "Échéancier à jour (%(count)s échéance ajoutée).",
            "Échéancier à jour (%(count)s échéances ajoutées).",
            count,
        )
        % {"count": count},
    )
    return redirect(lease)


@staff_required
@require_POST
def payment_create(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(RentLine.objects.select_related("lease"), pk=pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.payment_record(actor=request.user, line=line, **form.cleaned_data)
            messages.success(request, _("Paiement enregistré."))
        except Refusal as exc:
            refusal_show(request, exc)
    else:
        messages.error(request, _("Paiement non enregistré : %(form)s") % {"form": _errors(form)})
    return redirect(next_url(request, line.lease.get_absolute_url()))


# Arrears -------------------------------------------------------------------------------------


@staff_required
@require_GET
def arrears_list(request: HttpRequest) -> HttpResponse:
    day = arrears_day(request.GET)
    today = timezone.localdate()
    total = RentLine.objects.unpaid_on(day).aggregate(balance=decimal_sum("balance_at"))
    context = {
        "day": day,
        "today": today,
        "total": total["balance"],
        "payment_form": PaymentForm(initial={"paid_on": today}),
    }
    return ARREARS.render(request, "places/arrears_list.html", context)


@staff_required
@require_POST
def reminder_send(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(RentLine, pk=pk)
    try:
        reminder, sent = services.rent_reminder_send(actor=request.user, line=line)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        if sent:
            messages.success(request, _("Relance envoyée à %(email)s.") % {"email": reminder.email})
        else:
            messages.info(
                request,
                _("Déjà relancé aujourd’hui (%(email)s) : aucun nouvel e-mail.")
                % {"email": reminder.email},
            )
    return redirect(next_url(request, "places:arrears"))


# Index values --------------------------------------------------------------------------------


@staff_required
def index_list(request: HttpRequest) -> HttpResponse:
    form = IndexValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.index_value_set(actor=request.user, **form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Valeur d’indice enregistrée."))
            return redirect("places:indexes")
    page = paginate(request, IndexValue.objects.all())
    return render(
        request,
        "places/index_list.html",
        {"form": form, "page": page, "import_form": IndexImportForm(), "query": ""},
    )


@staff_required
@require_POST
def index_import(request: HttpRequest) -> HttpResponse:
    form = IndexImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Import impossible : %(form)s") % {"form": _errors(form)})
        return redirect("places:indexes")
    report = services.index_values_import(actor=request.user, raw=form.cleaned_data["file"].read())
    if report.errors:
        messages.error(
            request, "Import refusé, rien n’a été enregistré. " + " ".join(report.errors[:20])
        )
    else:
        messages.success(
            request,
            _(
                "Import terminé : %(created)s valeur(s) ajoutée(s), %(updated)s "
                "mise(s) à jour, %(unchanged)s inchangée(s)."
            )
            % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
        )
    return redirect("places:indexes")


# Figures -------------------------------------------------------------------------------------


@staff_required
@require_GET
def figures_view(request: HttpRequest) -> HttpResponse:
    form, day = _at(request)
    figures = headline_figures(day)
    return render(
        request,
        "places/figures.html",
        {"form": form, "figures": figures, "query": request.GET.urlencode()},
    )


@staff_required
@require_GET
def figures_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _form, day = _at(request)
    rows = headline_figures(day).rows()
    name = f"chiffres-cles-lieux-{day:%Y-%m-%d}"
    if fmt == "csv":
        return csv_response(name, ["indicateur", "valeur"], rows)
    if fmt == "xlsx":
        return xlsx_response(name, ["indicateur", "valeur"], rows)
    raise Http404("Format inconnu")


@staff_admin_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    current = PlacesSettings.get()
    form = SettingsForm(
        request.POST or None,
        initial={"network_goal": current.network_goal, "goal_year": current.goal_year},
    )
    if request.method == "POST" and form.is_valid():
        services.places_settings_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Objectif du réseau enregistré."))
        return redirect("places:figures")
    return render(
        request,
        "places/place_form.html",
        {"form": form, "title": _("Objectif du réseau de lieux"), "cancel": "places:figures"},
    )


# Investment decisions ------------------------------------------------------------------------


@staff_required
@require_GET
def criteria_list(request: HttpRequest) -> HttpResponse:
    versions = CriteriaVersion.objects.select_related(
        "created_by", "published_by", "adopted_meeting"
    ).annotate(criteria_count=Count("criteria"))
    context = {
        "versions": versions,
        "in_force": CriteriaVersion.objects.in_force(),
        "draft": CriteriaVersion.objects.filter(state=CriteriaState.DRAFT).first(),
    }
    return render(request, "places/criteria_list.html", context)


@staff_required
@require_POST
def criteria_create(request: HttpRequest) -> HttpResponse:
    try:
        version = services.criteria_version_create(actor=request.user)
    except Refusal as exc:
        refusal_show(request, exc)
        return redirect("places:criteria_list")
    messages.success(
        request,
        _("Version %(version)s créée, copiée de la précédente : modifiez-la puis publiez-la.")
        % {"version": version.number},
    )
    return redirect(version)


def _criteria_rows(formset) -> list[dict]:
    return [
        {**form.cleaned_data, "delete": form.cleaned_data.get("DELETE", False)}
        for form in formset.forms
        if form.cleaned_data
    ]


@staff_required
def criteria_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(
        CriteriaVersion.objects.select_related("created_by", "published_by", "adopted_meeting"),
        pk=pk,
    )
    criteria = list(version.criteria.order_by("id"))
    initial = [
        {"id": c.pk, "label": c.label, "description": c.description, "weight": c.weight}
        for c in criteria
    ]
    formset = CriterionFormSet(request.POST or None, initial=initial, prefix="crit")
    note_form = CriteriaNoteForm(request.POST or None, initial={"note": version.note})
    status = 200
    if request.method == "POST":
        if formset.is_valid() and note_form.is_valid():
            try:
                services.criteria_version_update(
                    actor=request.user,
                    version=version,
                    note=note_form.cleaned_data["note"],
                    criteria=_criteria_rows(formset),
                )
            except Refusal as exc:
                refusal_show(request, exc)
                status = 400
            else:
                messages.success(
                    request, _("Version %(version)s enregistrée.") % {"version": version.number}
                )
                return redirect(version)
        else:
            messages.error(request, _("La grille contient des erreurs : rien n’a été enregistré."))
            status = 400
    context = {
        "version": version,
        "criteria": criteria,
        "formset": formset,
        "note_form": note_form,
        "publish_form": CriteriaPublishForm(initial={"adopted_on": timezone.localdate()}),
        "total_weight": sum(c.weight for c in criteria),
    }
    return render(request, "places/criteria_detail.html", context, status=status)


@staff_required
@require_POST
def criteria_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(CriteriaVersion, pk=pk)
    form = CriteriaPublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Version non publiée : %(form)s") % {"form": _errors(form)})
        return redirect(version)
    try:
        services.criteria_version_publish(actor=request.user, version=version, **form.cleaned_data)
    except Refusal as exc:
        refusal_show(request, exc)
    else:
        messages.success(
            request,
            _("Version %(version)s publiée : c’est désormais la grille en vigueur.")
            % {"version": version.number},
        )
    return redirect(version)


@staff_required
def project_score(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place, pk=pk)
    version = CriteriaVersion.objects.in_force()
    if version is None:
        messages.error(
            request,
            _(
                "Aucune grille de critères n’est publiée : créez et publiez une "
                "version (Lieux › Critères d’investissement)."
            ),
        )
        return redirect(place)
    if place.status not in services.SCORABLE_STEPS:
        messages.error(
            request,
            _(
                "Ce lieu est à l’étape « %(status)s » : seuls les projets entrants "
                "(prospect ou étude) se notent."
            )
            % {"status": place.get_status_display()},
        )
        return redirect(place)
    form = ScoringForm(
        request.POST or None, version=version, initial={"scored_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scoring = services.project_score_record(
                actor=request.user,
                place=place,
                scores=form.scores(),
                scored_on=data["scored_on"],
                origin=data["origin"],
                comment=data["comment"],
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(
                request,
                _("Projet noté : %(total)s / 5 (grille v%(version)s).")
                % {"total": number(scoring.total, 2), "version": version.number},
            )
            return redirect(place)
    return render(
        request,
        "places/place_form.html",
        {
            "form": form,
            "title": _("Noter le projet — %(name)s") % {"name": place.name},
            "intro": _(
                "Grille en vigueur : version %(version)s. Notez chaque critère de 0 "
                "à 5 ; la note du projet est la moyenne pondérée par les poids."
            )
            % {"version": version.number},
            "place": place,
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place, pk=pk)
    latest = place.scorings.first()
    form = DecisionForm(
        request.POST or None,
        place=place,
        initial={"decided_on": timezone.localdate(), "scoring": latest},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.investment_decision_record(actor=request.user, place=place, **data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Décision d’investissement enregistrée."))
            return redirect(place)
    return render(
        request,
        "places/place_form.html",
        {
            "form": form,
            "title": _("Décision d’investissement — %(name)s") % {"name": place.name},
            "intro": _(
                "Décision du comité d’investissement, du conseil d’administration "
                "ou de l’assemblée générale, avec ses motifs."
            ),
            "place": place,
        },
        status=400 if request.method == "POST" else 200,
    )

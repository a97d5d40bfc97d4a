"""Staff pages of communication (/gestion/communication/): thin, each guarded by
staff_required; writes go through sending.py, services.py and importing.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from placette.lib.confirm import Confirmation, confirm
from placette.lib.models import SavedView
from placette.lib.paging import paginate
from placette.lib.permissions import staff_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show
from placette.mailing import deliverability as dns_checks
from placette.mailing import importing, rendering, sending, services
from placette.mailing.forms import (
    BLOCK_TYPES,
    BlockForm,
    CampaignForm,
    ImportForm,
    ScheduleForm,
    SegmentForm,
    SuppressionForm,
)
from placette.mailing.lists import AUDIENCE
from placette.mailing.models import AudienceImport, Campaign, Segment, Suppression
from placette.mailing.segments import segment_counts

# -- campaigns --------------------------------------------------------------------------------


@staff_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.select_related("segment", "purpose").order_by("-created_at", "-id")
    page = paginate(request, campaigns)
    return render(request, "mailing/campaign_list.html", {"page": page})


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_create_view(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = sending.campaign_create(actor=request.user, data=form.cleaned_data)
        return redirect("mailing:campaign_edit", campaign.pk)
    return render(request, "mailing/campaign_form.html", {"form": form})


@staff_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("segment", "purpose"), pk=pk)
    if campaign.editable:
        return redirect("mailing:campaign_edit", pk)
    return render(
        request,
        "mailing/campaign_detail.html",
        {"campaign": campaign, "stats": sending.campaign_stats(campaign)},
    )


def _editor_context(campaign: Campaign, form: CampaignForm) -> dict:
    blocks = []
    for index, block in enumerate(campaign.blocks):
        kind = block.get("type", "")
        blocks.append(
            {
                "index": index,
                "kind": kind,
                "label": dict(BLOCK_TYPES).get(kind, kind),
                "form": BlockForm(initial=block, kind=kind, prefix=f"b{index}"),
            }
        )
    counts = segment_counts(campaign.segment, preview=0) if campaign.segment else None
    return {
        "campaign": campaign,
        "form": form,
        "blocks": blocks,
        "block_types": BLOCK_TYPES,
        "counts": counts,
        "schedule_form": ScheduleForm(),
    }


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("segment", "purpose"), pk=pk)
    if not campaign.editable:
        messages.info(request, _("Cette campagne est partie : elle ne se modifie plus."))
        return redirect("mailing:campaign", pk)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            sending.campaign_update(actor=request.user, campaign=campaign, data=form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Campagne enregistrée."))
            return redirect("mailing:campaign_edit", pk)
    return render(request, "mailing/campaign_edit.html", _editor_context(campaign, form))


@staff_required
@require_GET
def campaign_preview_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The live preview (desktop and phone), refreshed by htmx after each change."""
    campaign = get_object_or_404(Campaign.objects.select_related("segment", "purpose"), pk=pk)
    preview = sending.campaign_preview(campaign, request.user)
    return render(request, "mailing/_preview.html", {"campaign": campaign, "preview": preview})


def _back_to_editor(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Trigger"] = "preview-refresh"
        return response
    return redirect("mailing:campaign_edit", campaign.pk)


@staff_required
@require_POST
def block_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        sending.block_add(actor=request.user, campaign=campaign, kind=request.POST.get("kind", ""))
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect("mailing:campaign_edit", campaign.pk)


@staff_required
@require_POST
def block_edit(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if not 0 <= index < len(campaign.blocks):
        messages.error(request, _("Ce bloc n’existe plus."))
        return redirect("mailing:campaign_edit", pk)
    kind = campaign.blocks[index].get("type", "")
    form = BlockForm(request.POST, request.FILES, kind=kind, prefix=f"b{index}")
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else ''} : {error}"
                )
        if getattr(request, "htmx", False):
            return HttpResponse(
                " ".join(str(e) for es in form.errors.values() for e in es), status=422
            )
        return redirect("mailing:campaign_edit", pk)
    data = {k: v for k, v in form.cleaned_data.items() if k != "upload"}
    try:
        sending.block_update(
            actor=request.user,
            campaign=campaign,
            index=index,
            data=data,
            upload=form.cleaned_data.get("upload"),
        )
    except Refusal as exc:
        refusal_show(request, exc)
        return redirect("mailing:campaign_edit", pk)
    return _back_to_editor(request, campaign)


@staff_required
@require_POST
def block_move_view(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    delta = -1 if request.POST.get("direction") == "up" else 1
    try:
        sending.block_move(actor=request.user, campaign=campaign, index=index, delta=delta)
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect("mailing:campaign_edit", pk)


@staff_required
@require_POST
def block_delete_view(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        sending.block_delete(actor=request.user, campaign=campaign, index=index)
    except Refusal as exc:
        refusal_show(request, exc)
    return redirect("mailing:campaign_edit", pk)


@staff_required
@require_POST
def campaign_test_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("segment", "purpose"), pk=pk)
    address = getattr(request.user, "email", "")
    if not address:
        messages.error(request, _("Votre compte n’a pas d’adresse e-mail pour l’essai."))
    else:
        sending.campaign_test_send(actor=request.user, campaign=campaign, to=address)
        messages.success(request, _("E-mail d’essai envoyé à %(address)s.") % {"address": address})
    return redirect("mailing:campaign_edit", pk)


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("segment", "purpose"), pk=pk)
    blocked = sending.send_blockers(campaign)
    count = (
        sending.segment_recipients(campaign.segment).count()
        if campaign.segment is not None and not blocked
        else 0
    )
    response = confirm(
        request,
        Confirmation(
            title=_("Envoyer « %(subject)s »") % {"subject": campaign.subject},
            what=_(
                "La liste des destinataires est figée au départ ; chacun reçoit un seul "
                "e-mail, envoyé par la file d’envoi à un rythme limité."
            ),
            count=count,
            count_label=ngettext("destinataire", "destinataires", count),
            details=[
                _("Segment : %(segment)s") % {"segment": campaign.segment or "—"},
                _("Lettre : %(purpose)s") % {"purpose": campaign.purpose.label},
            ],
            button=ngettext("Envoyer à %(n)s destinataire", "Envoyer à %(n)s destinataires", count)
            % {"n": count},
            cancel_url=campaign.get_absolute_url(),
            blocked=blocked,
            preview=lambda: sending.campaign_preview(campaign, request.user),
            test_send=lambda to: sending.campaign_test_send(
                actor=request.user, campaign=campaign, to=to
            ),
        ),
    )
    if response is not None:
        return response
    try:
        job = sending.campaign_send_start(actor=request.user, campaign=campaign)
    except Refusal as exc:
        refusal_show(request, exc)
        return redirect("mailing:campaign_edit", pk)
    return redirect(job)


@staff_required
@require_POST
def campaign_schedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("segment", "purpose"), pk=pk)
    if request.POST.get("cancel") == "1":
        sending.campaign_unschedule(actor=request.user, campaign=campaign)
        messages.success(request, _("Envoi programmé annulé : la campagne est un brouillon."))
        return redirect("mailing:campaign_edit", pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            sending.campaign_schedule(
                actor=request.user, campaign=campaign, at=form.cleaned_data["at"]
            )
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("Envoi programmé."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("mailing:campaign_edit", pk)


@staff_required
@require_POST
def campaign_duplicate_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    copy = sending.campaign_duplicate(actor=request.user, campaign=campaign)
    messages.success(
        request, _("Nouvelle campagne créée à partir de « %(s)s ».") % {"s": campaign.subject}
    )
    return redirect("mailing:campaign_edit", copy.pk)


# -- audience and segments --------------------------------------------------------------------


@staff_required
@require_GET
def audience(request: HttpRequest) -> HttpResponse:
    form = SegmentForm(initial={"name": ""})
    return AUDIENCE.render(request, "mailing/audience.html", {"segment_form": form})


@staff_required
@require_GET
def segment_list(request: HttpRequest) -> HttpResponse:
    segments = Segment.objects.select_related("purpose").order_by("name")[:500]
    views = SavedView.objects.visible_to(request.user, "contacts")
    return render(
        request,
        "mailing/segment_list.html",
        {"segments": segments, "views": views, "purposes": services.newsletter_purposes()},
    )


@staff_required
@require_POST
def segment_create(request: HttpRequest) -> HttpResponse:
    """From the audience list (its query string) or from a saved view of the contacts list."""
    form = SegmentForm(request.POST)
    query = request.POST.get("query", "")
    view_id = request.POST.get("saved_view", "")
    if view_id.isdigit():
        view = (
            SavedView.objects.visible_to(request.user, "contacts").filter(pk=int(view_id)).first()
        )
        if view is None:
            messages.error(request, _("Cette vue enregistrée n’existe plus."))
            return redirect("mailing:segments")
        query = view.query
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("mailing:segments")
    try:
        segment = sending.segment_save(
            actor=request.user,
            name=form.cleaned_data["name"],
            purpose=form.cleaned_data["purpose"],
            description=form.cleaned_data["description"],
            query=query,
        )
    except Refusal as exc:
        refusal_show(request, exc)
        return redirect("mailing:segments")
    messages.success(request, _("Segment « %(name)s » enregistré.") % {"name": segment.name})
    return redirect(segment)


@staff_required
@require_http_methods(["GET", "POST"])
def segment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    segment = get_object_or_404(Segment.objects.select_related("purpose"), pk=pk)
    form = SegmentForm(request.POST or None, instance=segment)
    if request.method == "POST" and form.is_valid():
        try:
            sending.segment_save(
                actor=request.user,
                segment=segment,
                name=form.cleaned_data["name"],
                purpose=form.cleaned_data["purpose"],
                description=form.cleaned_data["description"],
                query=request.POST.get("query", segment.query),
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Segment enregistré."))
            return redirect(segment)
    return render(
        request,
        "mailing/segment_detail.html",
        {"segment": segment, "form": form, "counts": segment_counts(segment)},
    )


# -- suppression list -------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def suppression_list(request: HttpRequest) -> HttpResponse:
    form = SuppressionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suppression_add(
                email=form.cleaned_data["email"],
                reason=form.cleaned_data["reason"],
                detail=form.cleaned_data["detail"],
                actor=request.user,
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Adresse ajoutée à la liste d’opposition."))
            return redirect("mailing:suppressions")
    rows = Suppression.objects.active().order_by("-created_at", "-id")
    query = request.GET.get("q", "").strip().lower()
    if query:
        rows = rows.filter(email_normalized__contains=query)
    page = paginate(request, rows)
    return render(
        request, "mailing/suppression_list.html", {"page": page, "form": form, "q": query}
    )


# -- imports ----------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            mapping = importing.mapping_from(
                form.cleaned_data["mapping"], form.cleaned_data["columns"]
            )
            report = importing.audience_import(
                actor=request.user,
                source=form.cleaned_data["source"],
                raw=upload.read(importing.MAX_BYTES + 1),
                filename=upload.name,
                purpose_code=form.cleaned_data["purpose"],
                mapping=mapping,
                dry_run=request.POST.get("commit") != "1",
                save_mapping_as=form.cleaned_data["save_as"],
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
    recent = AudienceImport.objects.order_by("-created_at")[:20]
    return render(
        request, "mailing/import.html", {"form": form, "report": report, "recent": recent}
    )


@staff_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(AudienceImport, pk=pk)
    return render(request, "mailing/import_detail.html", {"record": record})


# -- deliverability ---------------------------------------------------------------------------


@staff_required
@require_GET
def deliverability(request: HttpRequest) -> HttpResponse:
    report = dns_checks.domain_report(check=request.GET.get("verifier") == "1")
    return render(
        request,
        "mailing/deliverability.html",
        {"report": report, "rate": dns_checks.complaint_rate()},
    )


__all__ = ["rendering"]

"""Staff pages of the impact area (/gestion/impact/). Thin: read, call a service, show its
refusal."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from placette.impact import framework_io, queries, services
from placette.impact.forms import (
    DimensionForm,
    FrameworkCreateForm,
    FrameworkImportForm,
    IndicatorForm,
)
from placette.impact.models import Framework
from placette.lib.exports import csv_response
from placette.lib.paging import paginate
from placette.lib.permissions import staff_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show


@staff_required
def framework_list(request: HttpRequest) -> HttpResponse:
    form = FrameworkCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["origin"] == "starter":
                framework = services.framework_seed(
                    year=data["year"], title=data["title"], actor=request.user
                )
            elif data["origin"] == "empty":
                framework = services.framework_create(
                    year=data["year"], title=data["title"], actor=request.user
                )
            else:
                source = get_object_or_404(Framework, pk=int(data["origin"].split("-")[1]))
                framework = services.framework_copy(
                    source=source, year=data["year"], title=data["title"], actor=request.user
                )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Référentiel %(year)d créé.") % {"year": framework.year})
            return redirect(framework)
    page = paginate(request, queries.frameworks_listed())
    return render(request, "impact/framework_list.html", {"page": page, "form": form})


@staff_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(Framework, pk=pk)
    dimensions = queries.framework_dimensions(framework)
    queries.computed_attach(framework, dimensions)
    return render(
        request,
        "impact/framework_detail.html",
        {
            "framework": framework,
            "dimensions": dimensions,
            "dimension_form": DimensionForm(),
            "indicator_form": IndicatorForm(framework=framework),
        },
    )


@staff_required
@require_POST
def dimension_add(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(Framework, pk=pk)
    form = DimensionForm(request.POST)
    if form.is_valid():
        try:
            services.dimension_add(
                framework=framework, name=form.cleaned_data["name"], actor=request.user
            )
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("Dimension ajoutée."))
    else:
        messages.error(request, _("Donnez un nom à la dimension."))
    return redirect(framework)


@staff_required
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(Framework, pk=pk)
    form = IndicatorForm(request.POST or None, framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_add(framework=framework, actor=request.user, **form.service_fields())
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Indicateur ajouté."))
            return redirect(framework)
    return render(request, "impact/indicator_form.html", {"framework": framework, "form": form})


@staff_required
def framework_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    framework = get_object_or_404(Framework, pk=pk)
    dimensions = queries.framework_dimensions(framework)
    name = f"referentiel-utilite-sociale-{framework.year}"
    if fmt == "json":
        response = HttpResponse(
            framework_io.framework_json(framework, dimensions),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    if fmt == "csv":
        return csv_response(
            f"{name}.csv", framework_io.CSV_HEADER, framework_io.framework_csv_rows(dimensions)
        )
    raise Http404(_("Format d’export inconnu."))


@staff_required
def framework_import(request: HttpRequest) -> HttpResponse:
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > framework_io.MAX_BYTES:
                raise Refusal(
                    _("Le fichier dépasse 1 Mo : ce n’est pas un référentiel."), field="file"
                )
            framework = services.framework_import(
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                content=upload.read(),
                name=upload.name,
                actor=request.user,
            )
        except Refusal as exc:
            refusal_show(request, exc, form)
        else:
            messages.success(request, _("Référentiel importé."))
            return redirect(framework)
    return render(request, "impact/framework_import.html", {"form": form})

"""Results of a year and the annual social-utility report (HTML and PDF)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from placette.impact.models import Framework
from placette.impact.results import year_results
from placette.lib.pdf import pdf_render, pdf_response
from placette.lib.permissions import staff_required


def _year(year: int | None) -> int:
    if year is None:
        latest = Framework.objects.order_by("-year").values_list("year", flat=True).first()
        if latest is None:
            raise Http404(_("Aucun référentiel : pas encore de résultats."))
        return latest
    return year


@staff_required
def results(request: HttpRequest, year: int | None = None) -> HttpResponse:
    data = year_results(_year(year))
    if data.framework is None:
        raise Http404(_("Aucun référentiel pour cette année."))
    years = list(Framework.objects.order_by("-year").values_list("year", flat=True))
    return render(request, "impact/results.html", {"data": data, "years": years})


@staff_required
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    data = year_results(year)
    if data.framework is None:
        raise Http404(_("Aucun référentiel pour cette année."))
    content = pdf_render("impact/pdf/report.html", {"data": data})
    return pdf_response(f"rapport-utilite-sociale-{year}.pdf", content)

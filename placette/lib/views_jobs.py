"""The page of a background job: its progress (polled by htmx), then its file to download.
Only the person who started the job and the staff admins see it (a job is started by the team)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from placette.lib.documents import document_response
from placette.lib.jobs import job_retry
from placette.lib.models import Job, JobStatus
from placette.lib.permissions import staff_required


def _job_for(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("started_by", "result"), pk=pk)
    if not job.visible_to(request.user):
        raise PermissionDenied(_("Ce travail a été demandé par une autre personne."))
    return job


@staff_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    template = "lib/job_detail.html"
    if getattr(request, "htmx", False):
        template += "#progress"
    return render(request, template, {"job": job, "stale": job.is_stale()})


@staff_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    if job.status != JobStatus.DONE or job.result is None:
        raise Http404(_("Ce travail n’a pas (ou plus) de fichier à télécharger."))
    return cast(HttpResponse, document_response(job.result, as_attachment=True))


@staff_required
@require_POST
def job_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    if job_retry(job=job, actor=request.user):
        messages.success(request, _("Le travail est relancé."))
    else:
        messages.error(request, _("Ce travail est en cours ou terminé : rien à relancer."))
    return redirect(job)

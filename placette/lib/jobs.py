"""Long actions: anything slower than about two seconds runs as a background job.

The one way: a view calls `job_start(kind=…, label=…, actor=…, func_path=…, kwargs=…)` and
redirects to the job's page (`redirect(job)`, /gestion/travaux/<id>/), which htmx polls until
the result can be downloaded. The job function lives in its area and has the signature
``func(job, **kwargs) -> JobResult | None``; it calls ``job.progress(done, total)`` as it goes
(that is also its heartbeat) and returns the file it produced, if any.

Runs are claimed (`queued` → `running`) by one conditional UPDATE and carry an attempt number:
a job whose worker died (no heartbeat for `JOB_STALE_AFTER_SECONDS`) is queued again by
`manage.py jobs_recover` or from its page, and a late answer of the abandoned run is ignored.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import time
import traceback
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.lib.documents import JOB_SCOPE, document_delete, document_store
from placette.lib.models import Job, JobStatus
from placette.lib.pdf import PdfProgress
from placette.lib.refusals import Refusal

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds); the page polls every second or two.
PROGRESS_EVERY = 1.0
MAX_ATTEMPTS = 3


@dataclass
class JobResult:
    """What a job function returns: a file to download (optional) and a French message."""

    filename: str = ""
    content: bytes = b""
    content_type: str = "application/pdf"
    message: str = ""


def job_start(
    *,
    kind: str,
    label: str,
    actor: Any,
    func_path: str,
    kwargs: dict[str, Any] | None = None,
    return_url: str = "",
) -> Job:
    """Record a job and run it in the background once the current transaction commits.

    `func_path` is the dotted path of a function of Placette (``placette.<app>.<module>.<f>``);
    `kwargs` must be JSON (dates become ISO strings)."""
    _resolve(func_path)  # a typo fails here, in the request, not later in the worker
    job = Job.objects.create(
        kind=kind,
        label=label[:200],
        started_by=actor if getattr(actor, "pk", None) else None,
        func_path=func_path,
        kwargs=kwargs or {},
        return_url=return_url,
    )
    _enqueue(job.pk)
    return job


def _enqueue(job_id: int) -> None:
    from placette.lib.tasks import job_run_task

    transaction.on_commit(lambda: job_run_task.enqueue(job_id))


def _resolve(func_path: str) -> Any:
    module_name, _, name = func_path.rpartition(".")
    if not module_name.startswith("placette."):
        raise ValueError(f"Fonction de travail hors de Placette : {func_path}")
    func = getattr(importlib.import_module(module_name), name, None)
    if not callable(func):
        raise ValueError(f"Fonction de travail introuvable : {func_path}")
    return func


def job_run(*, job_id: int) -> str:
    """Run one queued job: claim it, call its function, store its result. Returns the state
    it ended in, or "skipped" when another run owns it (already running, done or failed)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        done=0,
        message="",
        error="",
    )
    if not claimed:
        return "skipped"
    job = Job.objects.get(pk=job_id)
    try:
        outcome = _resolve(job.func_path)(job, **job.kwargs)
    except Exception as exc:
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        refused = getattr(exc, "messages", None) if _is_refusal(exc) else None
        message = (
            " ".join(str(m) for m in refused)
            if refused
            else _(
                "Une erreur inattendue a interrompu le travail ; l’équipe technique est prévenue."
            )
        )
        _finish(job, status=JobStatus.FAILED, message=message, error=traceback.format_exc())
        return JobStatus.FAILED
    _finish(job, status=JobStatus.DONE, outcome=outcome)
    return JobStatus.DONE


def _is_refusal(exc: Exception) -> bool:
    # ValidationError and lib.refusals.Refusal both carry French `messages` meant for users.
    return isinstance(exc, ValidationError | Refusal)


def _finish(
    job: Job,
    *,
    status: str,
    outcome: JobResult | None = None,
    message: str = "",
    error: str = "",
) -> None:
    fields: dict[str, Any] = {
        "status": status,
        "finished_at": timezone.now(),
        "heartbeat_at": timezone.now(),
        "message": (outcome.message if outcome else message)[:500],
        "error": error,
    }
    if status == JobStatus.DONE:
        fields["done"] = Coalesce(F("total"), F("done"))
    document = None
    if outcome is not None and outcome.filename:
        document = document_store(
            content=outcome.content,
            name=outcome.filename,
            content_type=outcome.content_type,
            actor=job.started_by,
            scope=JOB_SCOPE,
            scope_id=job.pk,
        )
        fields["result"] = document
    mine = Job.objects.filter(pk=job.pk, attempts=job.attempts, status=JobStatus.RUNNING)
    if not mine.update(**fields) and document is not None:
        document_delete(document)  # an abandoned run answering late: keep nothing


def job_progress(job: Job, *, done: int, total: int | None = None, message: str | None) -> None:
    """See `Job.progress`."""
    if total is not None:
        total = max(total, done)
    finished = total is not None and done >= total
    last = getattr(job, "_progress_written", 0.0)
    job.done, job.total = done, total if total is not None else job.total
    if job.total is not None and job.done > job.total:
        job.total = job.done
    if message is not None:
        job.message = message[:500]
    same_message = message is None or message == getattr(job, "_message_written", None)
    if not finished and same_message and time.monotonic() - last < PROGRESS_EVERY:
        return
    job._progress_written = time.monotonic()  # type: ignore[attr-defined]
    job._message_written = job.message  # type: ignore[attr-defined]
    Job.objects.filter(pk=job.pk, attempts=job.attempts, status=JobStatus.RUNNING).update(
        done=job.done, total=job.total, message=job.message, heartbeat_at=timezone.now()
    )


def pdf_progress(job: Job, *, pages: int) -> PdfProgress:
    """A `pdf_render(progress=…)` callback that reports to `job`, `pages` being the expected
    number of pages (an estimate: the total grows if the document is longer)."""

    def report(stage: str, done: int) -> None:
        if stage == "layout":
            job.progress(done, max(pages, done + 1), _("Mise en page du document…"))
        elif stage == "write":
            job.progress(done, done + 1, _("Écriture du fichier PDF…"))
        else:
            job.progress(0, pages, _("Préparation du document…"))

    return report


def job_retry(*, job: Job, actor: Any = None) -> bool:
    """Queue again a failed job or one abandoned by its worker. False when it cannot be."""
    if not (job.status == JobStatus.FAILED or job.is_stale()):
        return False
    updated = Job.objects.filter(pk=job.pk, attempts=job.attempts, status=job.status).update(
        status=JobStatus.QUEUED, done=0, message=_("Relancé."), finished_at=None
    )
    if updated:
        _enqueue(job.pk)
    return bool(updated)


def jobs_recover(*, now: Any = None) -> int:
    """Queue again every running job without a heartbeat for `JOB_STALE_AFTER_SECONDS`
    (its worker died), up to `MAX_ATTEMPTS` runs; beyond, mark it failed. Also enqueue again
    the jobs still waiting after that delay (an enqueue lost with its process): the claim
    makes a duplicate run impossible. Idempotent; run it every few minutes."""
    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    count = 0
    requeued: set[int] = set()
    stale = Job.objects.filter(status=JobStatus.RUNNING).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, created_at__lt=limit)
    )
    for job in stale:
        if job.attempts >= MAX_ATTEMPTS:
            Job.objects.filter(pk=job.pk, attempts=job.attempts, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED,
                finished_at=now,
                message=_("Le travail a été interrompu plusieurs fois ; relancez-le plus tard."),
            )
            continue
        if Job.objects.filter(pk=job.pk, attempts=job.attempts, status=JobStatus.RUNNING).update(
            status=JobStatus.QUEUED, done=0, message=_("Relancé après une interruption.")
        ):
            _enqueue(job.pk)
            requeued.add(job.pk)
            count += 1
    waiting = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=limit).exclude(
        pk__in=requeued
    )
    for job_id in waiting.values_list("pk", flat=True):
        _enqueue(job_id)
        count += 1
    return count


def jobs_purge(*, now: Any = None) -> int:
    """Delete the result files of jobs finished more than `JOB_RESULT_DAYS` ago (they hold
    personal data and can be produced again)."""
    # (files are deleted after commit: run outside a transaction, or they go with it)
    now = now or timezone.now()
    limit = now - dt.timedelta(days=settings.JOB_RESULT_DAYS)
    count = 0
    for job in Job.objects.filter(finished_at__lt=limit, result__isnull=False).select_related(
        "result"
    ):
        document = job.result
        assert document is not None
        gone = _("Fichier supprimé (trop ancien).")
        Job.objects.filter(pk=job.pk).update(result=None, message=gone)
        document_delete(document)
        count += 1
    return count

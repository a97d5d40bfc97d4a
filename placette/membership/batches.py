"""Decisions on subscription requests in batch, run as a background job (`placette.lib.jobs`):
each approval books the shares and renders the certificate PDF, a few hundred milliseconds each."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from placette.lib.jobs import JobResult, job_start
from placette.lib.models import Job
from placette.membership.models_requests import SubscriptionRequest
from placette.membership.subscriptions import requests_decide


def requests_decide_start(
    *, actor: Any, chosen: list[SubscriptionRequest], approve: bool, reason: str = ""
) -> Job:
    """Start the batch decision as a background job (the caller redirects to it)."""
    n = len(chosen)
    return job_start(
        kind="membership.requests_decide",
        label=(
            ngettext("Approbation de %(n)s demande", "Approbation de %(n)s demandes", n)
            if approve
            else ngettext("Refus de %(n)s demande", "Refus de %(n)s demandes", n)
        )
        % {"n": n},
        actor=actor,
        func_path="placette.membership.batches.requests_decide_job",
        kwargs={"ids": [r.pk for r in chosen], "approve": approve, "reason": reason},
        return_url=reverse("membership_public:request_list"),
    )


def requests_chosen(ids: list[int]) -> list[SubscriptionRequest]:
    return list(SubscriptionRequest.objects.filter(pk__in=ids).order_by("created_at", "id"))


def requests_decide_job(job: Job, *, ids: list[int], approve: bool, reason: str = "") -> JobResult:
    """`requests_decide` on the requests `ids`, reporting progress after each request; every
    request is decided in its own transaction, so a re-run after a crash skips those done (the
    rules refuse to decide a request twice)."""
    chosen = requests_chosen(ids)

    def each() -> Iterator[SubscriptionRequest]:
        for done, request in enumerate(chosen):
            job.progress(done, len(chosen), _("Demandes traitées…"))
            yield request

    done, errors = requests_decide(
        actor=job.started_by, requests=each(), approve=approve, reason=reason
    )
    job.progress(len(chosen), len(chosen))
    summary = (
        ngettext("%(n)s demande approuvée.", "%(n)s demandes approuvées.", len(done))
        if approve
        else ngettext("%(n)s demande refusée.", "%(n)s demandes refusées.", len(done))
    ) % {"n": len(done)}
    if errors:
        summary += " " + _("Non traitées : %(errors)s") % {"errors": " ".join(errors)}
    if len(summary) > 500:
        summary = summary[:499] + "…"
    return JobResult(message=summary)

"""`/sante/`: what a load balancer or a monitoring probe asks — is this process able to serve?

Checks the database and the cache, and reports the task queue's backlog (a worker that stopped
shows as jobs waiting for long). Public on purpose: it says nothing about the data."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:  # any failure means "not healthy"; the probe needs no traceback
        return False


def _cache() -> bool:
    try:
        cache.set("health-probe", "ok", 10)
        return cache.get("health-probe") == "ok"
    except Exception:
        return False


def _oldest_waiting_task_seconds() -> int | None:
    try:
        from django_tasks_db.models import DBTaskResult

        oldest = (
            DBTaskResult.objects.filter(status="READY")
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
    except Exception:
        return None
    return None if oldest is None else int((timezone.now() - oldest).total_seconds())


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "cache": _cache()}
    body = {
        "status": "ok" if all(checks.values()) else "error",
        **{name: "ok" if good else "error" for name, good in checks.items()},
        "oldest_waiting_task_seconds": _oldest_waiting_task_seconds()
        if checks["database"]
        else None,
    }
    return JsonResponse(body, status=200 if all(checks.values()) else 503)

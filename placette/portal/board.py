"""The board's own space (/espace/conseil/): what a director needs to govern, read-only —
meetings and their documents, the decision register, the share register at a date and the
headline figures of every area. Writing stays with the team in /gestion/."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from placette.governance.models import BodyKind, Decision, Meeting
from placette.governance.views import render_markdown
from placette.lib.dashboard import dashboard_figures
from placette.lib.paging import paginate
from placette.lib.permissions import board_required
from placette.lib.text import normalize
from placette.membership import register


@board_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    meetings = Meeting.objects.select_related("body").filter(
        body__kind__in=[BodyKind.BOARD, BodyKind.AG]
    )
    return render(
        request,
        "portal/board/home.html",
        {
            "figures": dashboard_figures(),
            "upcoming": list(meetings.filter(starts_at__gte=now).order_by("starts_at")[:5]),
            "recent": list(meetings.filter(starts_at__lt=now).order_by("-starts_at")[:8]),
            "decisions": list(Decision.objects.select_related("meeting")[:5]),
        },
    )


@board_required
@require_GET
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        Meeting.objects.select_related("body").filter(body__kind__in=[BodyKind.BOARD, BodyKind.AG]),
        pk=pk,
    )
    return render(
        request,
        "portal/board/meeting.html",
        {
            "meeting": item,
            "agenda": list(item.agenda.all()),
            "resolutions": list(item.resolutions.all()),
            "documents": list(item.documents.all()),
            "decisions": list(item.decisions.prefetch_related("actions")),
            "minutes_html": render_markdown(item.minutes)
            if item.closed_at and item.minutes
            else "",
        },
    )


@board_required
@require_GET
def decisions(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    rows = Decision.objects.select_related("meeting").order_by("-decided_on", "-id")
    if query:
        words = normalize(query).split()
        condition = Q()
        for word in words:
            condition &= Q(search_text__contains=word)
        rows = rows.filter(condition)
    page = paginate(request, rows)
    return render(
        request,
        "portal/board/decisions.html",
        {"page": page, "q": query, "query": f"q={query}" if query else ""},
    )


@board_required
@require_GET
def share_register(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        on = (
            dt.date.fromisoformat(request.GET.get("date", "")) if request.GET.get("date") else today
        )
    except ValueError:
        on = today
    on = min(on, today)
    return render(
        request,
        "portal/board/register.html",
        {
            "page": register.page(request, on),
            "on": on,
            "query": f"date={on:%Y-%m-%d}",
        },
    )

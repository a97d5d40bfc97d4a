"""The public iCal feed of the sessions (/evenements/calendrier.ics, `?lieu=<n°>` for one
place): no personal data, the sessions of the last year and all those to come."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from placette.community.ical import sessions_ical
from placette.community.models import Session

FEED_PAST_DAYS = 365


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    rows = Session.objects.filter(
        starts_at__gte=timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    ).select_related("event", "place")
    place = request.GET.get("lieu", "")
    if place.isdigit():
        rows = rows.filter(place_id=int(place))
    response = HttpResponse(sessions_ical(rows), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="evenements.ics"'
    return response

"""Meetings in the global search (placette.lib.search): by title or body, every word matching,
newest first."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.governance.models import Meeting
from placette.lib.search import SearchGroup, SearchHit, group_of


def search(query: str, limit: int) -> list[SearchGroup]:
    meetings = Meeting.objects.select_related("body")
    for word in query.split():
        meetings = meetings.filter(Q(title__icontains=word) | Q(body__name__icontains=word))
    rows = list(meetings.order_by("-starts_at", "-id")[: limit + 1])

    def hit(meeting: Meeting) -> SearchHit:
        return SearchHit(
            meeting.title,
            meeting.get_absolute_url(),
            f"{meeting.body.name} — {timezone.localtime(meeting.starts_at):%d/%m/%Y} — "
            f"{meeting.get_status_display()}",
        )

    return [group_of(_("Réunions"), rows, limit, hit)]

"""The governance card of the member's space (/espace/)."""

from django.http import HttpRequest
from django.utils import timezone

from placette.governance.models import RollEntry


def sections(request: HttpRequest) -> list[dict]:
    contact = getattr(request.user, "contact", None)
    if contact is None:
        return []
    upcoming = list(
        RollEntry.objects.filter(contact=contact, meeting__starts_at__gte=timezone.now())
        .select_related("meeting")
        .order_by("meeting__starts_at")[:3]
    )
    return [
        {
            "title": "Assemblées et votes",
            "template": "governance/portal_card.html",
            "context": {"upcoming": upcoming},
        }
    ]

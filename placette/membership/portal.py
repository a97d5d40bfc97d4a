"""The membership card of the member's space (/espace/): shares held and useful links."""

from __future__ import annotations

from django.http import HttpRequest

from placette.membership import projections
from placette.membership.models import Member
from placette.membership.models_requests import OPEN_STATUSES, SubscriptionRequest


def sections(request: HttpRequest) -> list[dict]:
    contact = getattr(request.user, "contact", None)
    if contact is None:
        return []
    member = Member.objects.filter(contact=contact).select_related("category").first()
    pending = SubscriptionRequest.objects.filter(contact=contact, status__in=OPEN_STATUSES).count()
    if member is None and not pending:
        return []
    return [
        {
            "title": "Mes parts sociales",
            "template": "membership/portal/_section.html",
            "context": {
                "member": member,
                "holding": projections.holding_of(contact),
                "pending": pending,
            },
        }
    ]

"""The community card of the member's space (/espace/)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from placette.community.models import ACTIVE, Registration, Session


def sections(request: HttpRequest) -> list[dict]:
    contact = getattr(request.user, "contact", None)
    if contact is None:
        return []
    mine = list(
        Registration.objects.filter(contact=contact, status__in=ACTIVE)
        .filter(session__in=Session.objects.upcoming())
        .select_related("session__event")
        .order_by("session__starts_at")[:3]
    )
    return [
        {
            "title": _("Événements et formations"),
            "template": "community/portal_card.html",
            "context": {"mine": mine},
        }
    ]

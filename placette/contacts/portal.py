"""The consents card of the member's space (/espace/): one line per purpose, and the link."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from placette.contacts.services import consent_states


def sections(request: HttpRequest) -> list[dict]:
    contact = getattr(request.user, "contact", None)
    if contact is None:
        return []
    states = [s for s in consent_states(contact) if s.purpose.member_can_change]
    if not states:
        return []
    return [
        {
            "title": _("Mes consentements"),
            "template": "contacts/portal/_section.html",
            "context": {"states": states},
        }
    ]

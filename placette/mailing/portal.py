"""The member's space card of communication: the right to a copy of one's data."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _


def sections(request: HttpRequest) -> list[dict]:
    if getattr(request.user, "contact", None) is None:
        return []
    return [
        {
            "title": _("Mes données personnelles"),
            "template": "mailing/portal/_section.html",
            "context": {},
        }
    ]

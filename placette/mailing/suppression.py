"""Reads of the suppression list; `suppressed_reason` is the check the kernel's `mail_send`
calls for every non-transactional email (settings.MAIL_SUPPRESSION_CHECK)."""

from __future__ import annotations

from django.db.models import QuerySet

from placette.lib.text import normalize_email
from placette.mailing.models import Suppression


def suppression_of(address: str) -> Suppression | None:
    """The active suppression of `address` (whatever its case or dots' spelling), or None."""
    normalized = normalize_email(address)
    if not normalized:
        return None
    return Suppression.objects.active().filter(email_normalized=normalized).first()


def suppressed_reason(address: str) -> str:
    """The French reason `address` must get no newsletter, or "" when it may."""
    found = suppression_of(address)
    return str(found.get_reason_display()) if found else ""


def suppressed_addresses() -> QuerySet:
    """The normalized addresses under an active suppression (a subquery)."""
    return Suppression.objects.active().values("email_normalized")

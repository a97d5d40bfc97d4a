"""Reads of the community area shared by pages, services and the dashboard."""

from __future__ import annotations

from django.db.models import QuerySet

from placette.community.models import ACTIVE, Registration, RegistrationStatus, Session
from placette.contacts.models import Contact
from placette.contacts.services import consent_givers

EVENTS_PURPOSE = "events"


def invitation_recipients(session: Session) -> QuerySet[Contact]:
    """Contacts who consent to `events` now, with an address, not already registered."""
    registered = session.registrations.filter(status__in=ACTIVE).values("contact_id")
    return (
        consent_givers(EVENTS_PURPOSE).exclude(pk__in=registered).exclude(email="").order_by("pk")
    )


def reminder_recipients(session: Session) -> list[Registration]:
    givers = consent_givers(EVENTS_PURPOSE).values("pk")
    return list(
        session.registrations.filter(status=RegistrationStatus.CONFIRMED, contact_id__in=givers)
        .select_related("contact")
        .order_by("pk")
    )


def session_counts(session: Session) -> dict[str, int]:
    rows = session.registrations.values_list("status", flat=True)
    counts = {"confirmed": 0, "waiting": 0, "cancelled": 0}
    for status in rows:
        counts[status] += 1
    counts["free"] = max(session.capacity - counts["confirmed"], 0)
    return counts


def registrations_of(contact: Contact) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(contact=contact)
        .select_related("session__event", "session__place")
        .order_by("-session__starts_at", "-id")
    )

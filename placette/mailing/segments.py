"""Reads of segments: who a segment reaches now (live count and preview)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from placette.contacts.models import Contact
from placette.contacts.services import consent_givers
from placette.mailing.lists import audience_contacts
from placette.mailing.models import Segment
from placette.mailing.suppression import suppressed_addresses


def segment_recipients(segment: Segment) -> QuerySet[Contact]:
    """The contacts the segment matches who consented to its purpose, have an address of their
    own and are not on the suppression list (one query)."""
    return (
        audience_contacts(segment.query)
        .filter(pk__in=consent_givers(segment.purpose).values("pk"))
        .exclude(email="")
        .exclude(email_normalized__in=suppressed_addresses())
    )


@dataclass(frozen=True)
class SegmentCounts:
    matched: int  # contacts the filters match
    recipients: int  # of them, who will receive it
    preview: list[Contact]


def segment_counts(segment: Segment, *, preview: int = 10) -> SegmentCounts:
    """Live figures of a segment: three queries whatever its size."""
    recipients = segment_recipients(segment)
    return SegmentCounts(
        matched=audience_contacts(segment.query).count(),
        recipients=recipients.count(),
        preview=list(
            recipients.only("pk", "display_name", "email", "commune_name").order_by(
                "name_key", "pk"
            )[:preview]
        ),
    )

"""What membership reads of the meetings: the closed ordinary (or mixed) general meetings that
can have approved a year's accounts (membership.approvals; refunds wait for that AGO)."""

from __future__ import annotations

from django.utils import timezone

from placette.membership.approvals import MeetingInfo, meetings_provider_set


def _info(meeting) -> MeetingInfo:
    return MeetingInfo(
        id=meeting.pk,
        held_on=timezone.localdate(meeting.starts_at),
        title=meeting.title,
        kind=meeting.kind,
        closed=meeting.status == "closed",
    )


def meeting_lookup(pk: int) -> MeetingInfo | None:
    from placette.governance.models import Meeting

    meeting = Meeting.objects.filter(pk=pk).first()
    return _info(meeting) if meeting is not None else None


def closed_general_meetings() -> list[MeetingInfo]:
    from placette.governance.models import Meeting, MeetingKind, MeetingStatus

    meetings = Meeting.objects.filter(
        kind__in=[MeetingKind.AGO, MeetingKind.MIXED], status=MeetingStatus.CLOSED
    ).order_by("-starts_at")
    return [_info(m) for m in meetings]


def meetings_register() -> None:
    meetings_provider_set(lookup=meeting_lookup, listing=closed_general_meetings)

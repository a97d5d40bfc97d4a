"""`{% live_meeting_panel meeting %}` (the staff meeting page: expected attendance, links to the
desk, the console and the projector) and `{% live_portal_panel meeting entry %}` (the member's
meeting page: the answer to the invitation, the check-in code, the session)."""

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from placette.governance import live
from placette.governance.models import Meeting, MeetingStatus, RollEntry
from placette.governance.models_live import Registration, RegistrationAnswer

register = template.Library()


@register.inclusion_tag("governance/live/_meeting_panel.html")
def live_meeting_panel(meeting: Meeting) -> dict:
    expected = live.registration_counts(meeting) if meeting.roll_frozen_at else None
    return {"meeting": meeting, "expected": expected}


@register.inclusion_tag("governance/live/_portal_panel.html", takes_context=True)
def live_portal_panel(context, meeting: Meeting, entry: RollEntry) -> dict:
    now = timezone.now()
    open_meeting = meeting.status != MeetingStatus.CLOSED and meeting.convened_at is not None
    return {
        "meeting": meeting,
        "csrf_token": context.get("csrf_token"),
        "registration": Registration.objects.filter(entry=entry).first(),
        "answers": RegistrationAnswer.choices,
        "can_answer": open_meeting and now < meeting.starts_at,
        "show_code": open_meeting,
        "in_session": open_meeting and now >= meeting.starts_at - live.DOORS_OPEN,
    }


def _entry_of(obj) -> RollEntry | None:
    if isinstance(obj, RollEntry):
        return obj
    # a Convocation (or anything with meeting_id and contact_id): its voter on the roll
    return RollEntry.objects.filter(meeting_id=obj.meeting_id, contact_id=obj.contact_id).first()


@register.simple_tag
def checkin_qr(obj) -> str:
    """The check-in QR code (inline SVG) of a roll entry or a convocation, for the letter PDF:
    `{% load governance_live %}{% checkin_qr convocation %}`. Empty when not on the roll."""
    entry = _entry_of(obj)
    return mark_safe(live.checkin_qr_svg(entry)) if entry is not None else ""


@register.simple_tag
def checkin_link(obj) -> str:
    """The check-in link the QR code carries (for an e-mail, where an inline SVG is not shown)."""
    entry = _entry_of(obj)
    return live.checkin_url(entry) if entry is not None else ""

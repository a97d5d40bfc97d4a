"""Sessions as iCalendar (RFC 5545) for the public feed and the .ics attached to emails: times
in Europe/Paris with their VTIMEZONE, a UID stable across updates, SEQUENCE raised at each
change, cancelled sessions as STATUS:CANCELLED."""

from __future__ import annotations

from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from placette.community.models import Session


def sessions_ical(sessions: Iterable[Session], *, name: str = "Placette") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Placette//Vie coopérative//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    tz = timezone.get_default_timezone()
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", session.ical_uid)
        event.add("summary", session.event.title)
        event.add("dtstart", session.starts_at.astimezone(tz))
        event.add("dtend", session.ends_at.astimezone(tz))
        event.add("dtstamp", session.updated_at)
        event.add("sequence", session.sequence)
        event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
        if session.where:
            event.add("location", session.where)
        if session.event.summary:
            event.add("description", session.event.summary)
        event.add("url", f"{settings.SITE_URL}/espace/communaute/")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()

import base64
import datetime as dt

from django.utils import timezone

from placette.community.models import Event, EventKind, Session
from placette.lib.models import OutgoingMessage
from placette.test import give_consent, make_contact


def event_make(title: str = "Atelier rénovation", kind: str = EventKind.TRAINING) -> Event:
    return Event.objects.create(title=title, kind=kind)


def session_make(event: Event | None = None, *, capacity: int = 2, days: float = 10) -> Session:
    starts = timezone.now() + dt.timedelta(days=days)
    return Session.objects.create(
        event=event or event_make(),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        capacity=capacity,
        location="Salle des fêtes, Crest",
    )


def person(name: str, *, events: bool | None = None):
    contact = make_contact(first_name="P", last_name=name, email=f"{name.lower()}@test.fr")
    if events is not None:
        give_consent(contact, "events", given=events)
    return contact


def ics_of(message: OutgoingMessage) -> bytes:
    for attachment in message.attachments:
        if attachment.get("mimetype") == "text/calendar":
            return base64.b64decode(attachment["content"])
    raise AssertionError("no .ics attached")

"""Writes of the community area: catalogue, sessions, registrations with a fair waiting list,
attendance, feedback, invitations and reminders. Keyword-only, atomic, one audit entry per
business event, a timeline line when a contact is concerned; a `Refusal` changes nothing.

Rules kept here (tested in community/tests/):
- a person holds at most one active registration per session (registering twice is refused);
- past the capacity a registration goes to the waiting list, served first come first served;
  when a confirmed seat frees up, the oldest waiting registration is promoted and told so;
- nobody registers to a cancelled or past session; attendance is recorded once it has begun;
- feedback only from someone who attended, once;
- invitations and reminders go only to contacts whose consent ledger allows `events` at the
  moment of sending (`contacts.services.consent_givers`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.community import queries
from placette.community.ical import sessions_ical
from placette.community.models import (
    ACTIVE,
    EngagementLevel,
    Event,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Session,
)
from placette.contacts.models import Contact, TimelineKind
from placette.contacts.services import timeline_append
from placette.lib.audit import audit_log
from placette.lib.dates import date_check
from placette.lib.mail import Attachment, mail_send
from placette.lib.refusals import Refusal

AREA = "community"


def _local(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y à %H:%M}"


def _ics(session: Session) -> Attachment:
    return Attachment(
        filename="evenement.ics",
        content=sessions_ical([session]),
        mimetype="text/calendar",
    )


def _timeline(contact: Contact, title: str, actor: Any, session: Session) -> None:
    # Registrations are `other`; only attendance is an `event` action read by the levels.
    timeline_append(
        contact=contact,
        kind=TimelineKind.OTHER,
        title=title,
        actor=actor,
        area=AREA,
        link=session.get_absolute_url(),
    )


# -- catalogue and sessions -------------------------------------------------------------------


@transaction.atomic
def event_create(*, actor: Any, title: str, kind: str, summary: str = "") -> Event:
    title = title.strip()
    if not title:
        raise Refusal(_("Donnez un intitulé."), field="title")
    event = Event.objects.create(title=title, kind=kind, summary=summary.strip())
    audit_log(actor=actor, action="community.event.created", obj=event, title=title)
    return event


@transaction.atomic
def session_create(
    *,
    actor: Any,
    event: Event,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    place: Any = None,
    location: str = "",
) -> Session:
    date_check(starts_at, label=_("Début"), field="starts_at")
    if ends_at <= starts_at:
        raise Refusal(_("La fin doit être après le début."), field="ends_at")
    if capacity < 1:
        raise Refusal(_("Une session a au moins une place."), field="capacity")
    session = Session.objects.create(
        event=event,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        place=place,
        location=location.strip(),
    )
    audit_log(actor=actor, action="community.session.created", obj=session, capacity=capacity)
    return session


@transaction.atomic
def session_cancel(*, actor: Any, session: Session) -> int:
    """Cancel a session: it stays in the calendars as STATUS:CANCELLED (same UID, next
    SEQUENCE); each active registration is told by email. Returns how many were told."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise Refusal(_("Cette session est déjà annulée."))
    now = timezone.now()
    session.cancelled_at = now
    session.sequence = F("sequence") + 1
    session.updated_at = now
    session.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    session.refresh_from_db()
    registrations = list(session.registrations.filter(status__in=ACTIVE).select_related("contact"))
    for registration in registrations:
        mail_send(
            template="community/session_cancelled",
            key=f"community.cancelled.{session.pk}.{registration.pk}",
            context={"session": session},
            to_contact=registration.contact,
            attachments=[_ics(session)],
            related=registration,
        )
        _timeline(
            registration.contact,
            _("Session annulée : %(s)s") % {"s": session.event.title},
            actor,
            session,
        )
    audit_log(
        actor=actor, action="community.session.cancelled", obj=session, told=len(registrations)
    )
    return len(registrations)


# -- registrations ----------------------------------------------------------------------------


@transaction.atomic
def registration_create(
    *, actor: Any, session: Session, contact: Contact, source: str = RegistrationSource.STAFF
) -> Registration:
    """Register `contact`: confirmed while seats remain, else on the waiting list."""
    # The row lock serialises concurrent registrations so the capacity is never exceeded.
    session = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    if session.is_cancelled:
        raise Refusal(_("Cette session est annulée : on ne peut plus s’y inscrire."))
    if session.starts_at <= timezone.now():
        raise Refusal(_("Cette session a déjà commencé : on ne peut plus s’y inscrire."))
    if session.registrations.filter(contact=contact, status__in=ACTIVE).exists():
        raise Refusal(
            _("%(name)s est déjà inscrit·e à cette session.") % {"name": contact.display_name}
        )
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    status = (
        RegistrationStatus.CONFIRMED if confirmed < session.capacity else RegistrationStatus.WAITING
    )
    registration = Registration.objects.create(
        session=session,
        contact=contact,
        status=status,
        source=source,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if status == RegistrationStatus.CONFIRMED:
        title = _("Inscrit·e à %(s)s") % {"s": session.event.title}
        attachments = [_ics(session)]
    else:
        title = _("Sur la liste d’attente de %(s)s") % {"s": session.event.title}
        attachments = []
    _timeline(contact, title, actor, session)
    mail_send(
        template="community/registration",
        key=f"community.registration.{registration.pk}",
        context={
            "session": session,
            "registration": registration,
            "when": _local(session.starts_at),
        },
        to_contact=contact,
        attachments=attachments,
        related=registration,
    )
    audit_log(
        actor=actor,
        action="community.registration.created",
        obj=registration,
        status=status,
        session=session.pk,
    )
    return registration


def _promote(*, actor: Any, session: Session) -> Registration | None:
    """Give the freed seat to the oldest waiting registration (inside the caller's lock)."""
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if confirmed >= session.capacity:
        return None
    waiting = (
        session.registrations.filter(status=RegistrationStatus.WAITING)
        .select_related("contact")
        .order_by("registered_at", "id")
        .first()
    )
    if waiting is None:
        return None
    waiting.status = RegistrationStatus.CONFIRMED
    waiting.promoted_at = timezone.now()
    waiting.save(update_fields=["status", "promoted_at"])
    _timeline(
        waiting.contact,
        _("Place libérée : inscrit·e à %(s)s") % {"s": session.event.title},
        actor,
        session,
    )
    mail_send(
        template="community/promoted",
        key=f"community.promoted.{waiting.pk}",
        context={"session": session, "when": _local(session.starts_at)},
        to_contact=waiting.contact,
        attachments=[_ics(session)],
        related=waiting,
    )
    audit_log(actor=actor, action="community.registration.promoted", obj=waiting)
    return waiting


@transaction.atomic
def registration_cancel(*, actor: Any, registration: Registration) -> Registration | None:
    """Cancel a registration; a freed seat goes to the first on the waiting list, who is
    returned (None when nobody was promoted)."""
    session = (
        Session.objects.select_for_update().select_related("event").get(pk=registration.session_id)
    )
    registration = Registration.objects.select_related("contact").get(pk=registration.pk)
    if not registration.is_active:
        raise Refusal(_("Cette inscription est déjà annulée."))
    if session.starts_at <= timezone.now():
        raise Refusal(_("La session a commencé : l’inscription ne peut plus être annulée."))
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    _timeline(
        registration.contact,
        _("Inscription annulée : %(s)s") % {"s": session.event.title},
        actor,
        session,
    )
    audit_log(actor=actor, action="community.registration.cancelled", obj=registration)
    return _promote(actor=actor, session=session)


@transaction.atomic
def attendance_record(*, actor: Any, session: Session, present: Iterable[int]) -> int:
    """Record who came (ids of confirmed registrations); the others are marked absent. Each
    newly present person gets a timeline line (read by the engagement levels). Returns the
    number present."""
    if session.starts_at > timezone.now():
        raise Refusal(_("La session n’a pas encore commencé : la présence se note ensuite."))
    if session.is_cancelled:
        raise Refusal(_("Cette session est annulée."))
    ids = set(present)
    registrations = list(
        session.registrations.filter(status=RegistrationStatus.CONFIRMED).select_related("contact")
    )
    unknown = ids - {r.pk for r in registrations}
    if unknown:
        raise Refusal(_("Seules les personnes inscrites peuvent être notées présentes."))
    for registration in registrations:
        came = registration.pk in ids
        if came == registration.attended:
            continue
        registration.attended = came
        registration.save(update_fields=["attended"])
        if came:
            timeline_append(
                contact=registration.contact,
                kind=TimelineKind.EVENT,
                title=_("A participé à %(s)s") % {"s": session.event.title},
                actor=actor,
                area=AREA,
                link=session.get_absolute_url(),
                at=session.starts_at,
            )
    audit_log(actor=actor, action="community.attendance.recorded", obj=session, present=len(ids))
    return len(ids)


@transaction.atomic
def feedback_give(
    *, actor: Any, registration: Registration, rating: int, comment: str = ""
) -> None:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.attended:
        raise Refusal(_("Seules les personnes présentes peuvent donner leur avis."))
    if registration.feedback_at is not None:
        raise Refusal(_("Vous avez déjà donné votre avis sur cette session."))
    if not 1 <= rating <= 5:
        raise Refusal(_("La note va de 1 à 5."), field="rating")
    registration.feedback_rating = rating
    registration.feedback_comment = comment.strip()
    registration.feedback_at = timezone.now()
    registration.save(update_fields=["feedback_rating", "feedback_comment", "feedback_at"])
    audit_log(actor=actor, action="community.feedback.given", obj=registration, rating=rating)


# -- invitations and reminders (consent `events`) ---------------------------------------------


def _invitation(session: Session, contact: Contact, key: str, to_email: str = "") -> Any:
    return mail_send(
        template="community/invitation",
        key=key,
        context={"session": session, "when": _local(session.starts_at)},
        to_contact=contact,
        to_email=to_email,
        attachments=[_ics(session)],
        transactional=False,
    )


@transaction.atomic
def invitations_send(*, actor: Any, session: Session) -> int:
    """Invite every contact who consents to `events` now and is not registered yet. Sending
    again invites only those not invited before (one key per session and contact)."""
    if session.is_cancelled or session.starts_at <= timezone.now():
        raise Refusal(_("On n’invite qu’à une session à venir et non annulée."))
    sent = 0
    for contact in queries.invitation_recipients(session).iterator():
        if _invitation(session, contact, f"community.invitation.{session.pk}.{contact.pk}"):
            sent += 1
    audit_log(actor=actor, action="community.invitations.sent", obj=session, sent=sent)
    return sent


def invitation_test_send(session: Session, address: str) -> None:
    sample = queries.invitation_recipients(session).first()
    if sample is not None:
        _invitation(
            session,
            sample,
            f"community.invitation-test.{session.pk}.{timezone.now().timestamp()}",
            address,
        )


@transaction.atomic
def reminders_send(*, actor: Any, session: Session) -> int:
    """Remind the confirmed participants who consent to `events`, with the .ics attached."""
    session = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    if session.is_cancelled or session.starts_at <= timezone.now():
        raise Refusal(_("On ne rappelle qu’une session à venir et non annulée."))
    sent = 0
    for registration in queries.reminder_recipients(session):
        message = mail_send(
            template="community/reminder",
            key=f"community.reminder.{session.pk}.{registration.pk}",
            context={"session": session, "when": _local(session.starts_at)},
            to_contact=registration.contact,
            attachments=[_ics(session)],
            related=registration,
            transactional=False,
        )
        if message:
            sent += 1
    session.reminders_sent_at = timezone.now()
    session.save(update_fields=["reminders_sent_at"])
    audit_log(actor=actor, action="community.reminders.sent", obj=session, sent=sent)
    return sent


# -- engagement ladder ------------------------------------------------------------------------


@transaction.atomic
def level_define(
    *,
    actor: Any,
    name: str,
    rank: int,
    min_actions: int,
    window_months: int,
    kinds: Iterable[str],
    valid_from: dt.date,
    description: str = "",
) -> EngagementLevel:
    """Add a level to the ladder from `valid_from`. A level of the same rank still in force
    that day ends there (its history is kept: levels at earlier dates do not change)."""
    name = name.strip()
    kinds = sorted(set(kinds))
    if not name:
        raise Refusal(_("Donnez un nom au niveau."), field="name")
    if not kinds:
        raise Refusal(_("Choisissez au moins une sorte d’action comptée."), field="kinds")
    if window_months < 1:
        raise Refusal(_("La période compte au moins un mois."), field="window_months")
    date_check(valid_from, label=_("En vigueur à partir du"), field="valid_from")
    current = EngagementLevel.objects.select_for_update().filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=valid_from), rank=rank
    )
    if current.filter(valid_from__gte=valid_from).exists():
        raise Refusal(
            _(
                "Un niveau de ce rang commence déjà à cette date ou après : "
                "choisissez une date plus tardive."
            ),
            field="valid_from",
        )
    for old in current:
        old.valid_until = valid_from
        old.save(update_fields=["valid_until"])
        audit_log(actor=actor, action="community.level.ended", obj=old, until=str(valid_from))
    level = EngagementLevel.objects.create(
        name=name,
        rank=rank,
        description=description.strip(),
        min_actions=min_actions,
        window_months=window_months,
        action_kinds=",".join(kinds),
        valid_from=valid_from,
    )
    audit_log(
        actor=actor,
        action="community.level.defined",
        obj=level,
        rule=f"{min_actions} / {window_months} mois / {level.action_kinds}",
    )
    return level


@transaction.atomic
def level_end(*, actor: Any, level: EngagementLevel, on: dt.date) -> EngagementLevel:
    """Take a level out of the ladder from `on` (kept for the dates before)."""
    level = EngagementLevel.objects.select_for_update().get(pk=level.pk)
    date_check(on, label=_("Fin de validité"), field="on")
    if level.valid_until is not None and level.valid_until <= on:
        raise Refusal(_("Ce niveau n’est déjà plus en vigueur à cette date."))
    if on <= level.valid_from:
        raise Refusal(_("La fin de validité doit suivre son début."), field="on")
    level.valid_until = on
    level.save(update_fields=["valid_until"])
    audit_log(actor=actor, action="community.level.ended", obj=level, until=str(on))
    return level

"""Governance services: roll freezing, convocation, proxies, ballots, attendance, tally,
closing votes, minutes, decisions and actions, evaluation.

Every service is keyword-only, atomic and audited (`governance.<noun>.<verb>`); those about a
member also append to the contact's timeline (area « governance »). Refusals raise
`placette.lib.refusals.Refusal` (its `.messages` are French sentences) and change nothing.

Rules (shared/reference/scic-rules.md; docs/governance.md « Django layer »):
- roll: `membership.projections.electoral_roll(cutoff_date)` copied into RollEntry rows in one
  bulk insert; board meetings: the directors with a mandate in force on the cut-off date;
- convocation delay (R225-69, to verify): statutes settings `notice_days_first_call` (15) and
  `notice_days_second_call` (10); board: `board_notice_days` (0);
- quorum: `tally.default_quorum(legal form, AGO/AGE, call)`; an SAS (statutes decide) follows
  the statutes setting `sas_quorum_as` ("SA" rules or none), frozen on the meeting with the
  roll; board: half of the directors present (tally.BOARD_QUORUM);
- majorities: `tally.ORDINARY` / `tally.EXTRAORDINARY`, weights and empty-college policy of
  the statutes in force on the cut-off date, frozen on the meeting;
- proxies: counted in the giver's college; blank proxies vote yes on resolutions approved by
  the board and no on the others (L225-106, to verify); cap per holder = `Meeting.proxy_cap`
  (copied at creation from the statutes setting `proxy_cap`; 1 for a board); the chair's
  casting vote of a board is copied likewise from `chair_casting_vote`.

All these settings are read from `membership.services.statutes_in_force()`; with no statutes
recorded yet, the defaults of the statutes model apply (the legal defaults above).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Field, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import ConsentPurpose, Contact, TimelineKind
from placette.contacts.services import consent_givers, timeline_append
from placette.governance import deadlines, tally
from placette.governance.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    Ballot,
    BallotChannel,
    Body,
    BodyKind,
    Channel,
    Choice,
    Convocation,
    Decision,
    EvaluationAnswer,
    HandCount,
    Mandate,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    PostalForm,
    Proxy,
    ProxySource,
    Resolution,
    ResolutionKind,
    RollEntry,
    SecretBallot,
    VoteMark,
)
from placette.lib import money
from placette.lib.audit import audit_log
from placette.lib.dates import date_check
from placette.lib.documents import document_store
from placette.lib.mail import mail_render, mail_send
from placette.lib.models import OutgoingMessage
from placette.lib.refusals import Refusal
from placette.lib.text import normalize

AREA = "governance"


def statute(name: str, on: dt.date | None = None) -> Any:
    """A governance setting of the statutes in force on `on` (today by default); the model's
    default (the legal default) when no statutes are recorded yet."""
    from placette.membership.models import Statutes
    from placette.membership.services import statutes_in_force

    try:
        return getattr(statutes_in_force(on), name)
    except Refusal:  # no statutes recorded yet
        return cast("Field[Any, Any]", Statutes._meta.get_field(name)).get_default()


def notice_days(call: int, on: dt.date | None = None) -> int:
    """Minimum days between convocation and meeting (R225-69 for an SA: 15, then 10), from the
    statutes in force on the day of the convocation."""
    return int(statute("notice_days_first_call" if call == 1 else "notice_days_second_call", on))


def _local(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y à %H:%M}"


# --------------------------------------------------------------------------------------------
# Bodies, mandates, meetings, agenda
# --------------------------------------------------------------------------------------------


DEFAULT_BODIES = [
    (
        BodyKind.AG,
        "Assemblée générale",
        "L’assemblée des associés : comptes, statuts, élection du conseil.",
    ),
    (BodyKind.BOARD, "Conseil d’administration", "Le conseil élu par l’assemblée générale."),
]


def body_ensure(*, kind: str, name: str) -> Body:
    body, _created = Body.objects.get_or_create(name=name, defaults={"kind": kind})
    return body


def _check_body(*, kind: str, name: str, body: Body | None = None) -> None:
    problems = []
    if kind not in BodyKind.values:
        problems.append("Choisissez le type de l’instance.")
    if not name.strip():
        problems.append("Donnez un nom à l’instance.")
    elif (
        Body.objects.filter(name__iexact=name.strip())
        .exclude(pk=getattr(body, "pk", None))  # type: ignore[misc]  # pk=None is valid (IS NULL)
        .exists()
    ):
        problems.append(
            f"Une instance s’appelle déjà « {name.strip()} » : choisissez un autre nom."
        )
    if body is not None and kind != body.kind and body.meetings.exists():
        problems.append(
            "Cette instance a déjà des réunions : son type ne peut plus changer (une assemblée "
            "générale et un conseil ne se tiennent pas selon les mêmes règles)."
        )
    if problems:
        raise Refusal(problems)


@transaction.atomic
def body_create(*, actor: Any, kind: str, name: str, description: str = "") -> Body:
    """A body (AG, board, bureau, committee). Names are unique (case-insensitive)."""
    _check_body(kind=kind, name=name)
    body = Body.objects.create(kind=kind, name=name.strip(), description=description)
    audit_log(actor=actor, action="governance.body.created", obj=body, kind=kind)
    return body


@transaction.atomic
def body_update(*, actor: Any, body: Body, kind: str, name: str, description: str = "") -> Body:
    """Rename or describe a body; its kind is fixed once it has meetings."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    _check_body(kind=kind, name=name, body=body)
    body.kind, body.name, body.description = kind, name.strip(), description
    body.save()
    audit_log(actor=actor, action="governance.body.updated", obj=body, kind=kind)
    return body


@transaction.atomic
def bodies_default_ensure(*, actor: Any) -> list[Body]:
    """Create the AG and the board when no body of that kind exists (first use). The data
    migration 0003 does the same on install; this is the path for a database emptied since."""
    created = []
    for kind, name, description in DEFAULT_BODIES:
        if not Body.objects.filter(kind=kind).exists():
            created.append(body_create(actor=actor, kind=kind, name=name, description=description))
    return created


def _period(starts_on: dt.date, ends_on: dt.date | None) -> str:
    end = f" au {ends_on:%d/%m/%Y}" if ends_on else " sans date de fin"
    return f"du {starts_on:%d/%m/%Y}{end}"


def _check_mandate(
    *,
    body: Body,
    contact: Contact,
    starts_on: dt.date,
    ends_on: dt.date | None,
    elected_at: Meeting | None,
    mandate: Mandate | None = None,
) -> None:
    """A mandate ends on or after its start, and one person holds at most one mandate at a time
    on a body (two overlapping mandates would count the same director twice)."""
    if ends_on is not None and ends_on < starts_on:
        raise Refusal(
            _("La fin du mandat (%(ends_on)s) ne peut pas précéder son début (%(starts_on)s).")
            % {"ends_on": format(ends_on, "%d/%m/%Y"), "starts_on": format(starts_on, "%d/%m/%Y")}
        )
    if elected_at is not None and elected_at.body.kind != BodyKind.AG:
        raise Refusal(_("Un mandat est conféré par une assemblée générale : choisissez une AG."))
    overlapping = (
        Mandate.objects.filter(body=body, contact=contact)
        .exclude(pk=getattr(mandate, "pk", None))  # type: ignore[misc]  # pk=None is valid (IS NULL)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    )
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    other = overlapping.order_by("starts_on").first()
    if other is not None:
        raise Refusal(
            _(
                "%(display_name)s a déjà un mandat « %(role)s » à l’instance « %(name)s "
                "» %(period)s : deux mandats de la même personne dans la même instance "
                "ne peuvent pas se chevaucher. Terminez ou modifiez d’abord le mandat "
                "existant."
            )
            % {
                "display_name": contact.display_name,
                "role": other.role,
                "name": body.name,
                "period": _period(other.starts_on, other.ends_on),
            }
        )


@transaction.atomic
def mandate_add(
    *,
    actor: Any,
    body: Body,
    contact: Contact,
    role: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    college: Any = None,
    is_chair: bool = False,
    elected_at: Meeting | None = None,
) -> Mandate:
    """A seat on a body. Refused when it ends before it starts or overlaps another mandate of
    the same person on the same body (the body row is locked so that two concurrent additions
    cannot both pass the check)."""
    Body.objects.select_for_update().get(pk=body.pk)
    _check_mandate(
        body=body, contact=contact, starts_on=starts_on, ends_on=ends_on, elected_at=elected_at
    )
    mandate = Mandate.objects.create(
        body=body,
        contact=contact,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        college=college,
        is_chair=is_chair,
        elected_at=elected_at,
    )
    audit_log(actor=actor, action="governance.mandate.added", obj=mandate, body=body.name)
    timeline_append(
        contact=contact,
        kind=TimelineKind.NOTE,
        title=_("Mandat : %(role)s — %(name)s depuis le %(starts_on)s")
        % {"role": role, "name": body.name, "starts_on": format(starts_on, "%d/%m/%Y")},
        actor=actor,
        area=AREA,
    )
    return mandate


MANDATE_FIELDS = ("role", "is_chair", "college", "starts_on", "ends_on", "elected_at", "end_reason")


@transaction.atomic
def mandate_update(*, actor: Any, mandate: Mandate, data: dict[str, Any]) -> Mandate:
    """Correct a mandate (role, college, dates, electing AG). Same checks as `mandate_add`."""
    Body.objects.select_for_update().get(pk=mandate.body_id)
    mandate = Mandate.objects.select_related("body", "contact").get(pk=mandate.pk)
    unknown = set(data) - set(MANDATE_FIELDS)
    if unknown:
        raise Refusal(_("Champ inconnu : %(join)s.") % {"join": ", ".join(sorted(unknown))})
    values = {f: data.get(f, getattr(mandate, f)) for f in MANDATE_FIELDS}
    _check_mandate(
        body=mandate.body,
        contact=mandate.contact,
        starts_on=values["starts_on"],
        ends_on=values["ends_on"],
        elected_at=values["elected_at"],
        mandate=mandate,
    )
    for field, value in values.items():
        setattr(mandate, field, value if value is not None or field != "end_reason" else "")
    mandate.save()
    audit_log(actor=actor, action="governance.mandate.updated", obj=mandate, fields=sorted(data))
    return mandate


@transaction.atomic
def mandate_end(*, actor: Any, mandate: Mandate, ends_on: dt.date, reason: str) -> Mandate:
    """End a mandate on a date, with a reason (end of term, resignation, revocation…)."""
    if not reason.strip():
        raise Refusal(_("Indiquez le motif de la fin du mandat (fin de mandat, démission…)."))
    mandate = mandate_update(
        actor=actor, mandate=mandate, data={"ends_on": ends_on, "end_reason": reason.strip()}
    )
    audit_log(
        actor=actor, action="governance.mandate.ended", obj=mandate, ends_on=ends_on, reason=reason
    )
    timeline_append(
        contact=mandate.contact,
        kind=TimelineKind.NOTE,
        title=(
            _("Fin de mandat : %(role)s — %(name)s le %(ends_on)s (%(strip)s)")
            % {
                "role": mandate.role,
                "name": mandate.body.name,
                "ends_on": format(ends_on, "%d/%m/%Y"),
                "strip": reason.strip(),
            }
        ),
        actor=actor,
        area=AREA,
    )
    return mandate


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    body: Body,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    cutoff_date: dt.date,
    call: int = 1,
    place: str = "",
    video_link: str = "",
    vote_opens_at: dt.datetime | None = None,
    first_call: Meeting | None = None,
) -> Meeting:
    """A meeting of a body. The proxy cap (1 for a board) and the chair's casting vote are
    copied now from the statutes in force on the cut-off date; the other settings of the
    statutes are copied when the roll is frozen. A second call follows a first-call meeting
    of the same body whose lack of quorum was recorded (`meeting_quorum_fail`)."""
    _check_second_call(body=body, kind=kind, call=call, first_call=first_call)
    if (kind == MeetingKind.BOARD) != (body.kind != BodyKind.AG):
        raise Refusal(
            _(
                "Une assemblée générale se tient pour l’instance « assemblée générale » "
                "et un conseil pour une autre instance."
            )
        )
    date_check(starts_at, label="Date de la réunion", field="starts_at")
    date_check(cutoff_date, label="Arrêté de la liste des votants", field="cutoff_date")
    date_check(vote_opens_at, label="Ouverture du vote", field="vote_opens_at")
    if vote_opens_at is not None and vote_opens_at >= starts_at:
        raise Refusal(
            _("L’ouverture du vote en ligne doit précéder le début de la réunion."),
            field="vote_opens_at",
        )
    if cutoff_date > timezone.localdate(starts_at):
        raise Refusal(_("La date d’arrêté de la liste des votants ne peut pas suivre la réunion."))
    meeting = Meeting.objects.create(
        body=body,
        kind=kind,
        call=call,
        title=title,
        starts_at=starts_at,
        cutoff_date=cutoff_date,
        place=place,
        video_link=video_link,
        vote_opens_at=vote_opens_at,
        first_call=first_call if call == 2 else None,
        proxy_cap=int(statute("proxy_cap", cutoff_date)) if kind != MeetingKind.BOARD else 1,
        casting_vote=bool(statute("chair_casting_vote", cutoff_date)),
    )
    audit_log(actor=actor, action="governance.meeting.created", obj=meeting, kind=kind)
    return meeting


def _check_second_call(*, body: Body, kind: str, call: int, first_call: Meeting | None) -> None:
    if call != 2:
        return
    if first_call is None:
        raise Refusal(
            _(
                "Une seconde convocation suit une première réunion dont le quorum n’a "
                "pas été atteint : choisissez cette réunion de première convocation."
            ),
            field="first_call",
        )
    if first_call.body_id != body.pk or first_call.kind != kind or first_call.call != 1:
        raise Refusal(
            _(
                "« %(title)s » n’est pas une première convocation de la même instance et "
                "du même type : une seconde convocation reprend le même ordre du jour."
            )
            % {"title": first_call.title},
            field="first_call",
        )
    if first_call.quorum_failed_at is None:
        raise Refusal(
            _(
                "« %(title)s » n’a pas été constatée sans quorum : une seconde "
                "convocation n’est possible qu’après une première réunion qui n’a pas pu "
                "délibérer faute de quorum."
            )
            % {"title": first_call.title},
            field="first_call",
        )


@transaction.atomic
def meeting_quorum_fail(*, actor: Any, meeting: Meeting, now: dt.datetime | None = None) -> Meeting:
    """Record that a meeting could not deliberate for lack of quorum (procès-verbal de
    carence): refused before it started or when the quorum is reached; the meeting closes
    with no resolution voted, and a second call becomes possible."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    now = now or timezone.now()
    _check_in_session(meeting)
    if now < meeting.starts_at:
        raise Refusal(
            _("La réunion n’a pas encore commencé : le quorum ne peut pas être constaté.")
        )
    if meeting.resolutions.filter(closed_at__isnull=False).exists():
        raise Refusal(_("Des résolutions ont déjà été votées : la réunion a délibéré."))
    quorum = quorum_status(meeting, now=now)
    if quorum.reached:
        raise Refusal(
            _(
                "Le quorum est atteint (%(counted)s sur %(on_roll)s, %(label)s) : la "
                "réunion peut délibérer."
            )
            % {"counted": quorum.counted, "on_roll": quorum.on_roll, "label": quorum.label}
        )
    meeting.quorum_failed_at = now
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = now
    meeting.minutes = meeting.minutes or minutes_draft(meeting)
    meeting.save(update_fields=["quorum_failed_at", "status", "closed_at", "minutes"])
    audit_log(
        actor=actor,
        action="governance.meeting.quorum_failed",
        obj=meeting,
        counted=quorum.counted,
        on_roll=quorum.on_roll,
        threshold=quorum.threshold,
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.DRAFT:
        frozen = {"starts_at", "call", "kind", "cutoff_date"}
        changed = [f for f in frozen if f in data and data[f] != getattr(meeting, f)]
        if changed:
            raise Refusal(
                _(
                    "La réunion est déjà convoquée : sa date, son type et sa convocation ne "
                    "se modifient plus (convoquez une nouvelle réunion)."
                )
            )
    for field, value in data.items():
        setattr(meeting, field, value)
    date_check(meeting.starts_at, label="Date de la réunion", field="starts_at")
    date_check(meeting.vote_opens_at, label="Ouverture du vote", field="vote_opens_at")
    if meeting.vote_opens_at and meeting.vote_opens_at >= meeting.starts_at:
        raise Refusal(
            _("L’ouverture du vote en ligne doit précéder le début de la réunion."),
            field="vote_opens_at",
        )
    meeting.save()
    audit_log(actor=actor, action="governance.meeting.updated", obj=meeting, fields=list(data))
    return meeting


@transaction.atomic
def agenda_item_add(
    *, actor: Any, meeting: Meeting, title: str, description: str = ""
) -> AgendaItem:
    if meeting.convened_at:
        raise Refusal(_("La convocation est partie : l’ordre du jour ne se modifie plus."))
    order = meeting.agenda.count() + 1
    item = AgendaItem.objects.create(
        meeting=meeting, order=order, title=title, description=description
    )
    audit_log(actor=actor, action="governance.agenda.added", obj=meeting, item=title)
    return item


@transaction.atomic
def resolution_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    text: str = "",
    kind: str = ResolutionKind.ORDINARY,
    board_approved: bool = True,
    agenda_item: AgendaItem | None = None,
    secret: bool = False,
) -> Resolution:
    """Only agenda items can be decided: resolutions are fixed before the convocation."""
    if meeting.convened_at:
        raise Refusal(_("La convocation est partie : aucune résolution ne peut être ajoutée."))
    if meeting.kind == MeetingKind.AGO and kind == ResolutionKind.EXTRAORDINARY:
        raise Refusal(
            _(
                "Une assemblée générale ordinaire ne vote pas de résolution "
                "extraordinaire : choisissez une assemblée extraordinaire ou mixte."
            )
        )
    if meeting.kind == MeetingKind.AGE and kind == ResolutionKind.ORDINARY:
        raise Refusal(
            _("Une assemblée générale extraordinaire ne vote que des résolutions extraordinaires.")
        )
    number = meeting.resolutions.count() + 1
    resolution = Resolution.objects.create(
        meeting=meeting,
        number=number,
        title=title,
        text=text,
        kind=kind,
        board_approved=board_approved,
        agenda_item=agenda_item,
        secret=secret,
    )
    audit_log(actor=actor, action="governance.resolution.added", obj=resolution, secret=secret)
    return resolution


@transaction.atomic
def meeting_document_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    file: Any,
    published_on: dt.date | None = None,
) -> MeetingDocument:
    """Attach a document to a meeting (checked by type and size, see placette.lib.documents).
    The voters on the roll read it from their space once the meeting is convened and from
    `published_on` — by default the legal date (R225-89: 15 days before the meeting, or the
    convocation day when it is later); never later than that date."""
    from placette.governance.documents import MEETING_SCOPE

    legal = deadlines.documents_published_on(meeting)
    published_on = published_on or legal
    if published_on > legal:
        raise Refusal(
            _(
                "Les documents doivent être à la disposition des associés au plus tard "
                "le %(legal)s (15 jours avant la réunion) : choisissez une date "
                "antérieure."
            )
            % {"legal": format(legal, "%d/%m/%Y")},
            field="published_on",
        )
    stored = document_store(
        content=file, name=file.name, scope=MEETING_SCOPE, scope_id=meeting.pk, actor=actor
    )
    document = MeetingDocument.objects.create(
        meeting=meeting, title=title, document=stored, published_on=published_on
    )
    audit_log(
        actor=actor,
        action="governance.document.added",
        obj=meeting,
        title=title,
        document=stored.pk,
        sha256=stored.sha256,
    )
    return document


def documents_published(meeting: Meeting, on: dt.date | None = None) -> QuerySet[MeetingDocument]:
    """The documents the voters may read on `on` (today): the meeting is convened and the
    publication date has come."""
    on = on or timezone.localdate()
    if not meeting.convened_at:
        return MeetingDocument.objects.none()
    return (
        meeting.documents.filter(Q(published_on__isnull=True) | Q(published_on__lte=on))
        .select_related("document")
        .order_by("added_at")
    )


@transaction.atomic
def document_open(*, actor: Any, document: MeetingDocument, contact: Contact) -> None:
    """A voter opened a meeting document from their space: who and when is kept."""
    from placette.governance.models import DocumentOpening

    DocumentOpening.objects.create(document=document, contact=contact)


# --------------------------------------------------------------------------------------------
# The electoral roll
# --------------------------------------------------------------------------------------------


@transaction.atomic
def roll_freeze(*, actor: Any, meeting: Meeting) -> int:
    """Freeze the voters of a meeting from the share ledger at the cut-off date.

    AG: `membership.projections.electoral_roll(cutoff_date)`, copied in one bulk insert; the
    college weights and empty-college policy of the statutes in force on that date are copied
    on the meeting and checked (loi 47-1775 art. 19 octies, bounds from the statutes). Board:
    the directors whose mandate is in force on the cut-off date. Can be redone until the
    convocation leaves. Returns the number of voters.
    """
    from placette.membership.models import Statutes
    from placette.membership.projections import electoral_roll

    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.convened_at:
        raise Refusal(
            _("La convocation est partie : la liste des votants est définitivement arrêtée.")
        )
    if meeting.is_board:
        mandates = _directors_mandates(meeting)
        seen: set[int] = set()
        entries: list[tuple] = []
        for m in mandates:
            if m.contact_id in seen:
                continue
            seen.add(m.contact_id)
            college = m.college.name if m.college else ""
            entries.append(
                (meeting.pk, m.contact_id, None, m.contact.display_name[:250], m.role, college, 0)
            )
        meeting.colleges_enabled = False
        meeting.college_weights = {}
    else:
        statutes = Statutes.objects.in_force(meeting.cutoff_date)
        if statutes is None:
            raise Refusal(
                _(
                    "Aucune version des statuts n’est en vigueur au %(cutoff_date)s : "
                    "enregistrez les statuts dans le sociétariat."
                )
                % {"cutoff_date": format(meeting.cutoff_date, "%d/%m/%Y")}
            )
        meeting.legal_form = statutes.legal_form
        meeting.sas_quorum_as = statutes.sas_quorum_as
        meeting.empty_college_policy = statutes.empty_college_policy
        meeting.colleges_enabled = statutes.colleges_enabled
        weights = statutes.college_weights() if statutes.colleges_enabled else {}
        if statutes.colleges_enabled:
            try:
                tally.check_college_weights(
                    weights,
                    min_colleges=statutes.min_colleges,
                    min_weight=Fraction(statutes.min_college_percent) / 100,
                    max_weight=Fraction(statutes.max_college_percent) / 100,
                )
            except Refusal as exc:
                raise Refusal(
                    ["Les poids des collèges des statuts ne sont pas valides :", *exc.messages]
                ) from exc
        meeting.college_weights = {name: str(w) for name, w in weights.items()}
        entries = [
            (
                meeting.pk,
                e.contact_id,
                e.member_number,
                e.name[:250],
                e.category,
                e.college or "",
                max(e.shares, 0),
            )
            for e in electoral_roll(meeting.cutoff_date)
        ]
    if not entries:
        raise Refusal(
            _(
                "Personne n’a le droit de vote au %(cutoff_date)s : la liste des votants "
                "serait vide."
            )
            % {"cutoff_date": format(meeting.cutoff_date, "%d/%m/%Y")}
        )
    _roll_replace(meeting, entries)
    meeting.roll_frozen_at = timezone.now()
    meeting.save()
    audit_log(
        actor=actor,
        action="governance.roll.frozen",
        obj=meeting,
        voters=len(entries),
        cutoff=meeting.cutoff_date,
    )
    return len(entries)


def _directors_mandates(meeting: Meeting) -> QuerySet[Mandate]:
    return (
        Mandate.objects.filter(body=meeting.body, starts_on__lte=meeting.cutoff_date)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=meeting.cutoff_date))
        .select_related("contact", "college")
        .order_by("contact__name_key", "id")
    )


def roll_freeze_preview(meeting: Meeting) -> dict[str, int]:
    """What `roll_freeze` would do now: the voters it would list, and the online ballots and
    proxies of a previous freeze that it would erase."""
    if meeting.is_board:
        voters = _directors_mandates(meeting).order_by().values("contact_id").distinct().count()
    else:
        from placette.membership.projections import electoral_roll

        voters = len(electoral_roll(meeting.cutoff_date))
    return {
        "voters": voters,
        "ballots": Ballot.objects.filter(resolution__meeting=meeting).count()
        + VoteMark.objects.filter(resolution__meeting=meeting).count(),
        "proxies": Proxy.objects.filter(meeting=meeting).count(),
    }


def _roll_replace(meeting: Meeting, rows: list[tuple]) -> None:
    """Replace the roll of a meeting by `rows` (meeting, contact, number, name, category,
    college, shares). At 100,000 voters the ORM spent most of the freeze instantiating models
    (`bulk_create`) and collecting the cascade of the old roll row by row (`delete()`), so the
    dependants (ballots, proxies) are deleted by meeting and the roll is written with plain
    DELETE and executemany INSERT (docs/benchmarks.md)."""
    Ballot.objects.filter(resolution__meeting=meeting).delete()
    VoteMark.objects.filter(resolution__meeting=meeting).delete()
    SecretBallot.objects.filter(resolution__meeting=meeting).delete()
    PostalForm.objects.filter(meeting=meeting).delete()
    Proxy.objects.filter(meeting=meeting).delete()
    table = connection.ops.quote_name(RollEntry._meta.db_table)
    columns = "meeting_id, contact_id, member_number, name, category, college, shares, attendance"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE meeting_id = %s", [meeting.pk])
        insert = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, '')"
        for start in range(0, len(rows), 5000):
            cursor.executemany(insert, rows[start : start + 5000])


def roll_search(
    meeting: Meeting, q: str, *, exclude_contact: Contact | int | None = None, limit: int = 20
) -> list[RollEntry]:
    """Voters of the roll matching `q` — a member number, or words of the name (accents and
    case ignored) — at most `limit`, with their contact (commune) to tell homonyms apart."""
    q = q.strip()
    entries = meeting.roll.select_related("contact")
    if exclude_contact is not None:
        exclude_id = exclude_contact if isinstance(exclude_contact, int) else exclude_contact.pk
        entries = entries.exclude(contact_id=exclude_id)
    if not q:
        return []
    if q.isdigit():
        entries = entries.filter(member_number=int(q))
    else:
        for word in normalize(q).split():
            entries = entries.filter(contact__name_key__contains=word)
    return list(entries.order_by("name", "member_number")[:limit])


def roll_entry_of(meeting: Meeting, contact: Contact | int | None) -> RollEntry | None:
    if contact is None:
        return None
    contact_id = contact if isinstance(contact, int) else contact.pk
    return RollEntry.objects.filter(meeting=meeting, contact_id=contact_id).first()


def _on_roll(meeting: Meeting, contact: Contact | int | None) -> RollEntry:
    entry = roll_entry_of(meeting, contact)
    if entry is None:
        raise Refusal(
            _(
                "Vous n’êtes pas inscrit·e sur la liste des votants de « %(title)s » "
                "(liste arrêtée au %(cutoff_date)s)."
            )
            % {"title": meeting.title, "cutoff_date": format(meeting.cutoff_date, "%d/%m/%Y")}
        )
    return entry


# --------------------------------------------------------------------------------------------
# Convocation
# --------------------------------------------------------------------------------------------


def _postal_address(contact: Contact) -> str:
    lines = [contact.display_name, contact.address_line1, contact.address_line2]
    lines.append(f"{contact.postcode} {contact.commune_name}".strip())
    return "\n".join(line for line in lines if line)


@transaction.atomic
def meeting_convene(
    *, actor: Any, meeting: Meeting, now: dt.datetime | None = None
) -> dict[str, int]:
    """Convene the voters: one Convocation per voter (evidence), by email to those who gave
    electronic-convocation consent (R225-63) and have an address, by letter to the others.
    A board convenes its directors by email whenever they have an address (no consent needed:
    R225-63 governs the members' AG, the board its own internal rules).

    Refused when the statutory delay is not respected (R225-69 for an SA: 15 days on first
    call, 10 on later calls; statutes settings `notice_days_first_call` /
    `notice_days_second_call`, and `board_notice_days` for a board). The emails are queued
    here through `placette.lib.mail` and leave after commit, once each (`convocations_send`).
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    now = now or timezone.now()
    if meeting.convened_at:
        raise Refusal(
            _("La réunion est déjà convoquée depuis le %(local)s.")
            % {"local": _local(meeting.convened_at)}
        )
    if meeting.roll_frozen_at is None:
        raise Refusal(_("Arrêtez d’abord la liste des votants."))
    if not meeting.is_board and not meeting.resolutions.exists():
        raise Refusal(
            _("L’ordre du jour ne contient aucune résolution : la convocation doit les porter.")
        )
    today = timezone.localdate(now)
    required = (
        notice_days(meeting.call, today)
        if not meeting.is_board
        else int(statute("board_notice_days", today))
    )
    days = (timezone.localdate(meeting.starts_at) - timezone.localdate(now)).days
    if days < required:
        latest = timezone.localdate(meeting.starts_at) - dt.timedelta(days=required)
        raise Refusal(
            _(
                "Convocation trop tardive : il faut convoquer au moins %(required)s "
                "jours avant la réunion (%(value)s convocation), soit au plus tard le "
                "%(latest)s ; il ne reste que %(max)s jours."
            )
            % {
                "required": required,
                "value": "première" if meeting.call == 1 else "seconde",
                "latest": format(latest, "%d/%m/%Y"),
                "max": max(days, 0),
            }
        )
    consenting = _electronic_consents(meeting, now)
    rows = []
    for entry in meeting.roll.select_related("contact").order_by("id").iterator(chunk_size=5000):
        contact = entry.contact
        # Directors are convened by email whatever their AG consent: R225-63 is about the
        # members' AG; the board follows its own internal rules (docs/governance.md).
        email = contact.mail_to
        by_email = bool(email) and (meeting.is_board or contact.pk in consenting)
        rows.append(
            Convocation(
                meeting=meeting,
                contact_id=contact.pk,
                channel=Channel.EMAIL if by_email else Channel.LETTER,
                email=email if by_email else "",
                address=_postal_address(contact),
            )
        )
    Convocation.objects.bulk_create(rows, batch_size=5000)
    meeting.status = MeetingStatus.CONVENED
    meeting.convened_at = now
    meeting.save(update_fields=["status", "convened_at"])
    counts = {
        "email": sum(1 for r in rows if r.channel == Channel.EMAIL),
        "letter": sum(1 for r in rows if r.channel == Channel.LETTER),
    }
    audit_log(actor=actor, action="governance.meeting.convened", obj=meeting, **counts)
    # Queued with the convocations, in this transaction: sent after commit, once each.
    convocations_send(meeting=meeting)
    return counts


def convocation_mail_key(convocation: Convocation, *, reminder: bool = False) -> str:
    kind = "governance.convocation.reminder" if reminder else "governance.convocation"
    return f"{kind}:{convocation.meeting_id}:{convocation.pk}"


def _electronic_consents(meeting: Meeting, now: dt.datetime | None = None) -> set[int]:
    """Contacts on the roll who gave prior written consent to electronic convocation
    (R225-63), as recorded in the consent ledger at `now`."""
    return set(
        consent_givers(ConsentPurpose.AG_CONVOCATION, on=now or timezone.now())
        .filter(roll_entries__meeting=meeting)
        .values_list("pk", flat=True)
    )


def convene_sample(meeting: Meeting) -> Convocation | None:
    """An unsaved convocation of the first voter `meeting_convene` would convene by email (for
    the preview and the test send), None when nobody would be."""
    consenting = _electronic_consents(meeting)
    for entry in meeting.roll.select_related("contact").order_by("name", "id").iterator():
        address = entry.contact.mail_to
        if address and (meeting.is_board or entry.contact_id in consenting):
            return Convocation(
                meeting=meeting, contact=entry.contact, channel=Channel.EMAIL, email=address
            )
    return None


def convene_counts(meeting: Meeting) -> dict[str, int]:
    """How `meeting_convene` would convene the roll now: {"email": n, "letter": n}."""
    consenting = _electronic_consents(meeting)
    counts = {"email": 0, "letter": 0}
    for entry in meeting.roll.select_related("contact").iterator(chunk_size=5000):
        # the same rule as meeting_convene: an address (Contact.mail_to) and consent
        by_email = bool(entry.contact.mail_to) and (
            meeting.is_board or entry.contact_id in consenting
        )
        counts["email" if by_email else "letter"] += 1
    return counts


def reminders_pending(meeting: Meeting) -> QuerySet[Convocation]:
    """The email convocations a reminder would go to: sent, not yet reminded, to members who
    have neither voted online nor given a proxy."""
    acted = RollEntry.objects.filter(meeting=meeting).filter(
        Q(postal_form__isnull=False) | Q(proxy_given__isnull=False)
    )
    return Convocation.objects.filter(
        meeting=meeting, channel=Channel.EMAIL, sent_at__isnull=False, reminded_at__isnull=True
    ).exclude(contact_id__in=acted.values("contact_id"))


def convocation_legal(meeting: Meeting) -> dict[str, Any]:
    """The legal content every convocation carries, letter or email: the company's mentions
    (name, form « à capital variable », seat, RCS/SIREN), the agenda and the full text of each
    resolution, how to vote (paper form enclosed for letters, return address, deadlines), the
    documents made available and how to ask written questions (L225-108, R225-84)."""
    from placette.governance.elections import elections_of
    from placette.membership.models import LegalForm, Statutes

    statutes = Statutes.objects.in_force(meeting.cutoff_date)
    form = statutes.legal_form if statutes else meeting.legal_form
    coop = statutes.coop_name if statutes else "Placette"
    seat = statutes.seat if statutes else ""
    documents = list(meeting.documents.order_by("added_at"))
    return {
        "coop_name": coop,
        "legal_mention": (
            f"{coop}, société coopérative d’intérêt collectif, "
            f"{LegalForm(form).label.split(' (')[0].lower()} à capital variable"
            + (f", siège social : {seat}" if seat else "")
            + (f", {statutes.registration}" if statutes and statutes.registration else "")
        ),
        "seat": seat,
        "return_address": f"{coop}\n{seat}" if seat else coop,
        "resolutions": list(meeting.resolutions.all()),
        "elections": list(elections_of(meeting)),
        "agenda": list(meeting.agenda.all()),
        "documents": documents,
        "documents_on": deadlines.documents_published_on(meeting),
        "paper_last_day": deadlines.paper_form_last_day(meeting),
        "electronic_deadline": deadlines.electronic_deadline(meeting),
        "questions_last_day": deadlines.written_questions_last_day(meeting),
        "vote_open": meeting.vote_opens_at is not None,
        "board_only": meeting.is_board,
    }


def convocation_mail_context(meeting: Meeting, *, reminder: bool) -> dict[str, Any]:
    """What the `governance/convocation` email of `meeting` shows, but the convocation."""
    return {
        "meeting": meeting,
        "reminder": reminder,
        **convocation_legal(meeting),
        "portal_url": settings.SITE_URL + reverse("governance_portal:meeting", args=[meeting.pk]),
    }


def convocation_preview(
    meeting: Meeting, convocation: Convocation, *, reminder: bool
) -> tuple[str, str, str]:
    """(subject, text, html) of the convocation email as `convocation`'s recipient gets it."""
    context = {
        **convocation_mail_context(meeting, reminder=reminder),
        "convocation": convocation,
        "recipient": convocation.contact,
        "to": convocation.email,
    }
    return mail_render("governance/convocation", context)


def convocation_test_send(
    *, actor: Any, meeting: Meeting, convocation: Convocation, reminder: bool, to: str
) -> None:
    """Send to `to` (the staff member) the email `convocation`'s recipient will get, marked as
    a test; nothing is recorded on the convocation."""
    mail_send(
        template="governance/convocation",
        to_email=to,
        context={
            **convocation_mail_context(meeting, reminder=reminder),
            "convocation": convocation,
            "recipient": convocation.contact,
        },
        kind="governance.convocation.test",
        key=f"governance.convocation.test:{meeting.pk}:{secrets.token_hex(8)}",
        headers={"X-Placette-Essai": "1"},
    )
    audit_log(
        actor=actor,
        action="governance.convocation.test_sent",
        obj=meeting,
        to=to,
        reminder=reminder,
    )


def convocations_send(*, meeting: Meeting, reminder: bool = False, limit: int | None = None) -> int:
    """Queue the email convocations (or reminders) not queued yet, one message each through
    `placette.lib.mail` (sent after commit by the mail task, resumable, never twice: the key
    names the convocation). Returns how many were queued now. `Convocation.sent_at` /
    `reminded_at` are stamped when the relay accepted the message (`Convocation.mail_sent`).

    Reminders go to the convened members who have neither voted online nor given a proxy.
    """
    if reminder:
        pending = reminders_pending(meeting).select_related("contact")
    else:
        pending = Convocation.objects.filter(
            meeting=meeting, channel=Channel.EMAIL, sent_at__isnull=True
        ).select_related("contact")
    kind = "governance.convocation.reminder" if reminder else "governance.convocation"
    known = set(
        OutgoingMessage.objects.filter(key__startswith=f"{kind}:{meeting.pk}:").values_list(
            "key", flat=True
        )
    )
    context = convocation_mail_context(meeting, reminder=reminder)
    queued = 0
    for convocation in pending.order_by("id")[:limit] if limit else pending.order_by("id"):
        key = convocation_mail_key(convocation, reminder=reminder)
        if key in known:
            continue
        mail_send(
            template="governance/convocation",
            to_email=convocation.email,
            to_contact=convocation.contact,
            context={**context, "convocation": convocation},
            kind=kind,
            key=key,
            related=convocation,
        )
        queued += 1
    return queued


@transaction.atomic
def reminders_send(*, actor: Any, meeting: Meeting) -> None:
    meeting = Meeting.objects.get(pk=meeting.pk)
    if not meeting.convened_at:
        raise Refusal(_("La réunion n’est pas encore convoquée."))
    if timezone.now() >= meeting.starts_at:
        raise Refusal(_("La réunion a commencé : il est trop tard pour relancer."))
    audit_log(actor=actor, action="governance.convocation.reminders_requested", obj=meeting)
    convocations_send(meeting=meeting, reminder=True)


@transaction.atomic
def letters_mark_posted(*, actor: Any, meeting: Meeting, posted_on: dt.date | None = None) -> int:
    """Record that the printed letters were posted on `posted_on` (today by default): the
    evidence of convocation by post. Refused when that day is in the future, before the
    convocation, or too late for the notice delay (R225-69: 15 days on first call, 10 on
    later calls, statutes settings) — a letter posted 2 days before the meeting convenes
    nobody."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.convened_at:
        raise Refusal(_("La réunion n’est pas encore convoquée : aucun courrier n’est prêt."))
    posted_on = posted_on or timezone.localdate()
    date_check(posted_on, label="Date de dépôt des courriers", field="posted_on")
    if posted_on < timezone.localdate(meeting.convened_at):
        raise Refusal(
            _(
                "Les courriers ne peuvent pas avoir été postés le %(posted_on)s, avant "
                "la convocation du %(localdate)s."
            )
            % {
                "posted_on": format(posted_on, "%d/%m/%Y"),
                "localdate": format(timezone.localdate(meeting.convened_at), "%d/%m/%Y"),
            },
            field="posted_on",
        )
    required = (
        int(statute("board_notice_days", posted_on))
        if meeting.is_board
        else notice_days(meeting.call, posted_on)
    )
    day = timezone.localdate(meeting.starts_at)
    days = (day - posted_on).days
    if days < required:
        raise Refusal(
            _(
                "Courriers postés le %(posted_on)s, %(max)s jour(s) avant la réunion du "
                "%(day)s : il en faut au moins %(required)s (délai de convocation des "
                "statuts). Ces associés ne sont pas régulièrement convoqués : reportez "
                "la réunion ou convoquez-la à nouveau."
            )
            % {
                "posted_on": format(posted_on, "%d/%m/%Y"),
                "max": max(days, 0),
                "day": format(day, "%d/%m/%Y"),
                "required": required,
            },
            field="posted_on",
        )
    pending = list(
        Convocation.objects.filter(
            meeting=meeting, channel=Channel.LETTER, sent_at__isnull=True
        ).select_related("contact")
    )
    stamp = timezone.make_aware(dt.datetime.combine(posted_on, dt.time(12, 0)))
    Convocation.objects.filter(pk__in=[c.pk for c in pending]).update(sent_at=stamp)
    for convocation in pending:
        timeline_append(
            contact=convocation.contact,
            kind=TimelineKind.NOTE,
            title=f"Convocation par courrier postée le {posted_on:%d/%m/%Y} : {meeting.title}"[
                :200
            ],
            actor=actor,
            area=AREA,
            at=stamp,
        )
    audit_log(
        actor=actor,
        action="governance.convocation.letters_posted",
        obj=meeting,
        count=len(pending),
        posted_on=posted_on,
    )
    return len(pending)


# --------------------------------------------------------------------------------------------
# Proxies and online votes (before the meeting)
# --------------------------------------------------------------------------------------------


def _check_window(meeting: Meeting, now: dt.datetime) -> None:
    """Online votes and proxies: from `vote_opens_at` until the electronic deadline (R225-77:
    15:00 the day before the meeting, statutes setting `electronic_deadline_hour`)."""
    if meeting.status == MeetingStatus.CLOSED or meeting.roll_frozen_at is None:
        raise Refusal(_("Le vote à distance n’est pas ouvert pour cette réunion."))
    if meeting.vote_opens_at is None or now < meeting.vote_opens_at:
        opens = f" ; il ouvrira le {_local(meeting.vote_opens_at)}" if meeting.vote_opens_at else ""
        raise Refusal(_("Le vote à distance n’est pas encore ouvert%(opens)s.") % {"opens": opens})
    deadline = deadlines.electronic_deadline(meeting)
    if now >= deadline:
        raise Refusal(
            _(
                "Le vote à distance est clos depuis le %(local)s, ainsi que les pouvoirs "
                "en ligne (la veille de la réunion, délai fixé par les statuts) : rien "
                "n’a été enregistré. Vous pouvez encore venir à la réunion ou y faire "
                "porter un pouvoir."
            )
            % {"local": _local(deadline)}
        )


def _holder_checks(meeting: Meeting, giver_entry: RollEntry, holder_entry: RollEntry) -> None:
    if holder_entry.pk == giver_entry.pk:
        raise Refusal(_("Vous ne pouvez pas vous donner un pouvoir à vous-même."))
    if Proxy.objects.filter(giver=holder_entry).exists():
        raise Refusal(
            _(
                "%(name)s a elle-même ou lui-même donné son pouvoir : un pouvoir ne se "
                "transmet pas en chaîne. Choisissez un autre mandataire."
            )
            % {"name": holder_entry.name}
        )
    held = Proxy.objects.filter(holder=holder_entry).exclude(giver=giver_entry).count()
    if held >= meeting.proxy_cap:
        raise Refusal(
            _(
                "%(name)s détient déjà %(held)s pouvoir(s), le maximum fixé par les "
                "statuts (%(proxy_cap)s) : choisissez un autre mandataire."
            )
            % {"name": holder_entry.name, "held": held, "proxy_cap": meeting.proxy_cap}
        )


def _proxy_write(
    *,
    actor: Any,
    meeting: Meeting,
    giver_entry: RollEntry,
    holder: Contact | int | None,
    holder_name: str = "",
    holder_relation: str = "",
    source: str = ProxySource.ONLINE,
    document: Any = None,
    now: dt.datetime,
) -> Proxy:
    """The checks and the write shared by online and paper proxies."""
    holder_entry = None
    holder_name = " ".join(holder_name.split())
    if holder is not None and holder_name:
        raise Refusal(_("Un pouvoir va à un associé ou au conjoint, pas aux deux."))
    if holder is not None:
        holder_entry = roll_entry_of(meeting, holder)
        if holder_entry is None:
            raise Refusal(
                _(
                    "La personne choisie n’est pas sur la liste des votants : elle ne peut "
                    "pas recevoir de pouvoir (seul le conjoint ou le partenaire de PACS d’un "
                    "associé peut être mandataire sans être associé, dans une SA)."
                )
            )
        _holder_checks(meeting, giver_entry, holder_entry)
    elif holder_name:
        if holder_relation not in ("spouse", "pacs"):
            raise Refusal(
                _(
                    "%(holder_name)s n’est pas sur la liste des votants : un pouvoir ne peut "
                    "aller qu’à un associé ou, dans une SA, au conjoint ou au partenaire de "
                    "PACS de l’associé (L225-106). Indiquez le lien ou choisissez un associé."
                )
                % {"holder_name": holder_name}
            )
        if meeting.is_board or meeting.legal_form != "SA":
            raise Refusal(
                _(
                    "Le pouvoir au conjoint ou au partenaire de PACS non associé n’est prévu "
                    "que dans une assemblée de SA (L225-106) : choisissez un associé sur la "
                    "liste."
                )
            )
    elif meeting.is_board and not statute("board_blank_proxies", meeting.cutoff_date):
        raise Refusal(
            _(
                "Les statuts n’admettent pas de pouvoir en blanc au conseil "
                "d’administration : désignez un autre administrateur."
            )
        )
    if Proxy.objects.filter(holder=giver_entry).exists():
        raise Refusal(
            _(
                "%(name)s détient des pouvoirs d’autres associés : impossible de donner "
                "le sien (pas de pouvoir en chaîne)."
            )
            % {"name": giver_entry.name}
        )
    if giver_entry.ballots.exists() or giver_entry.marks.exists():
        raise Refusal(
            _("%(name)s a déjà voté à distance : retirez d’abord ses votes pour donner un pouvoir.")
            % {"name": giver_entry.name}
        )
    Proxy.objects.filter(giver=giver_entry).delete()
    proxy = Proxy.objects.create(
        meeting=meeting,
        giver=giver_entry,
        holder=holder_entry,
        holder_name=holder_name,
        holder_relation=holder_relation if holder_name else "",
        source=source,
        document=document,
        given_at=now,
    )
    RollEntry.objects.filter(pk=giver_entry.pk).update(
        attendance=Attendance.REPRESENTED, attendance_at=now
    )
    audit_log(
        actor=actor,
        action="governance.proxy.given",
        obj=meeting,
        giver=giver_entry.contact_id,
        holder=holder_entry.contact_id if holder_entry else None,
        outside_holder=bool(holder_name),
        source=source,
        document=document.pk if document is not None else None,
    )
    to = proxy.holder_label
    link = reverse("governance:meeting", args=[meeting.pk])
    how: dict[str, str] = {
        ProxySource.PAPER: " (formulaire papier)",
        ProxySource.MEETING: " (remis en séance)",
    }
    timeline_append(
        contact=giver_entry.contact,
        kind=TimelineKind.VOTE,
        title=f"Pouvoir donné à {to}{how.get(source, '')} : {meeting.title}"[:200],
        actor=actor,
        area=AREA,
        link=link,
    )
    if holder_entry:
        timeline_append(
            contact=holder_entry.contact,
            kind=TimelineKind.VOTE,
            title=f"Pouvoir reçu de {giver_entry.name} : {meeting.title}"[:200],
            actor=actor,
            area=AREA,
            link=link,
        )
    return proxy


@transaction.atomic
def proxy_give(
    *,
    actor: Any,
    meeting: Meeting,
    giver: Contact | int,
    holder: Contact | int | None,
    now: dt.datetime | None = None,
) -> Proxy:
    """Give a proxy online to a named member on the roll, or a blank proxy to the chair
    (holder None).

    Refused: after the electronic deadline, by or to someone not on the roll, to oneself, in
    a chain (the holder gave a proxy, or the giver already holds some), beyond the cap per
    holder (`meeting.proxy_cap`, statutes setting), after voting online, blank at a board
    unless the statutes allow it. A new proxy replaces the previous one of the same giver.
    """
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_window(meeting, now)
    giver_entry = _on_roll(meeting, giver)
    return _proxy_write(
        actor=actor, meeting=meeting, giver_entry=giver_entry, holder=holder, now=now
    )


@transaction.atomic
def proxy_paper_record(
    *,
    actor: Any,
    meeting: Meeting,
    giver: RollEntry,
    holder: Contact | int | None = None,
    holder_name: str = "",
    holder_relation: str = "",
    received_at: dt.datetime | None = None,
    file: Any = None,
) -> Proxy:
    """The staff records a paper proxy: received by post (before the meeting) or handed in at
    the meeting (source « remis en séance » once it has started), with the scanned form kept
    as a document. To a member on the roll, blank (to the chair) or — in an SA — to the
    giver's spouse or PACS partner, who needs not be on the roll (L225-106)."""
    now = timezone.now()
    received_at = received_at or now
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_in_session(meeting)
    if giver.meeting_id != meeting.pk:
        raise Refusal(_("Cette personne n’est pas sur la liste des votants de cette réunion."))
    if received_at > now:
        raise Refusal(_("La date de réception d’un pouvoir ne peut pas être dans le futur."))
    convened_at = cast("dt.datetime", meeting.convened_at)  # checked by _check_in_session
    if timezone.localdate(received_at) < timezone.localdate(convened_at):
        raise Refusal(
            _("Un pouvoir reçu avant la convocation (%(local)s) ne vaut pas pour cette réunion.")
            % {"local": _local(convened_at)}
        )
    source = ProxySource.MEETING if received_at >= meeting.starts_at else ProxySource.PAPER
    document = _scan_store(actor, meeting, file, "pouvoir") if file is not None else None
    return _proxy_write(
        actor=actor,
        meeting=meeting,
        giver_entry=giver,
        holder=holder,
        holder_name=holder_name,
        holder_relation=holder_relation,
        source=source,
        document=document,
        now=received_at,
    )


@transaction.atomic
def proxy_holder_checked_in(*, actor: Any, proxy: Proxy, present: bool = True) -> Proxy:
    """A spouse or PACS partner holding a proxy (not on the roll) arrived at the meeting: the
    proxy counts in the quorum and the holder can vote for the giver."""
    _check_in_session(proxy.meeting)
    if not proxy.holder_name:
        raise Refusal(_("Ce mandataire est sur la liste des votants : notez sa présence."))
    proxy.holder_present = present
    proxy.save(update_fields=["holder_present"])
    audit_log(
        actor=actor, action="governance.proxy.holder_checked_in", obj=proxy.meeting, present=present
    )
    return proxy


def _scan_store(actor: Any, meeting: Meeting, file: Any, label: str) -> Any:
    """The scanned paper form, kept as a kernel Document readable by the staff only."""
    return document_store(
        content=file,
        name=getattr(file, "name", "") or f"{label}-{meeting.pk}.pdf",
        scope="governance.form",
        scope_id=meeting.pk,
        actor=actor,
    )


@transaction.atomic
def proxy_withdraw(
    *, actor: Any, meeting: Meeting, giver: Contact | int, now: dt.datetime | None = None
) -> None:
    now = now or timezone.now()
    _check_window(meeting, now)
    entry = _on_roll(meeting, giver)
    deleted, _count = Proxy.objects.filter(giver=entry).delete()
    if not deleted:
        raise Refusal(_("Vous n’avez pas donné de pouvoir pour cette réunion."))
    RollEntry.objects.filter(pk=entry.pk).update(attendance="", attendance_at=None)
    audit_log(actor=actor, action="governance.proxy.withdrawn", obj=meeting, giver=entry.contact_id)
    timeline_append(
        contact=entry.contact,
        kind=TimelineKind.VOTE,
        title=_("Pouvoir retiré : %(title)s") % {"title": meeting.title},
        actor=actor,
        area=AREA,
    )


def _upsert_ballots(
    entry: RollEntry, choices: dict[Resolution, str], channel: str, at: dt.datetime
) -> None:
    # One INSERT … ON CONFLICT (resolution, voter) DO UPDATE: concurrent submissions of the same
    # member end in one ballot per resolution (the UniqueConstraint decides, not Python).
    Ballot.objects.bulk_create(
        [
            Ballot(
                resolution=r,
                voter=entry,
                college=entry.college,
                choice=c,
                channel=channel,
                cast_at=at,
            )
            for r, c in choices.items()
        ],
        update_conflicts=True,
        unique_fields=["resolution", "voter"],
        update_fields=["choice", "channel", "cast_at"],
    )


def ballot_fingerprint(resolution_id: int, college: str, choice: str, code: str) -> str:
    """The published fingerprint of a secret ballot: SHA-256 of the resolution, the college,
    the choice and the voter's receipt code (known only to the voter)."""
    return hashlib.sha256(f"{resolution_id}|{college}|{choice}|{code}".encode()).hexdigest()


@dataclass(frozen=True)
class Receipt:
    """What a voter keeps of a secret ballot: the code and the fingerprint to look up in the
    published list (`secret_ballots_published`)."""

    resolution_number: int
    code: str
    fingerprint: str


def secret_ballot_cast(
    entry: RollEntry, resolution: Resolution, choice: str, channel: str
) -> Receipt:
    """Record that `entry` voted (no double vote: a database constraint) and, apart, the
    choice without voter, time or sequence. Neither the choice nor the receipt is logged."""
    if VoteMark.objects.filter(resolution=resolution, voter=entry).exists():
        raise Refusal(
            _(
                "%(name)s a déjà voté à la résolution n° %(number)s, à bulletin secret : "
                "un bulletin secret ne se modifie pas et ne se donne qu’une fois."
            )
            % {"name": entry.name, "number": resolution.number}
        )
    VoteMark.objects.create(resolution=resolution, voter=entry, channel=channel)
    code = secrets.token_hex(12)
    fingerprint = ballot_fingerprint(resolution.pk, entry.college, choice, code)
    SecretBallot.objects.create(
        resolution=resolution, college=entry.college, choice=choice, fingerprint=fingerprint
    )
    return Receipt(resolution.number, code, fingerprint)


def _cast(
    entry: RollEntry, choices: dict[Resolution, str], channel: str, at: dt.datetime
) -> list[Receipt]:
    """Named ballots for the public resolutions, secret ones for the others."""
    named = {r: c for r, c in choices.items() if not r.secret}
    if named:
        _upsert_ballots(entry, named, channel, at)
    return [secret_ballot_cast(entry, r, c, channel) for r, c in choices.items() if r.secret]


def _check_choices(meeting: Meeting, choices: dict[Resolution, str]) -> None:
    if not choices:
        raise Refusal(_("Aucun vote à enregistrer."))
    for resolution, choice in choices.items():
        if resolution.meeting_id != meeting.pk:
            raise Refusal(_("Cette résolution n’est pas à l’ordre du jour de cette réunion."))
        if choice not in Choice.values:
            raise Refusal(
                _("Vote inconnu « %(choice)s » : choisissez pour, contre ou abstention.")
                % {"choice": choice}
            )
        if resolution.closed_at:
            raise Refusal(
                _("Le vote de la résolution n° %(number)s est clos.")
                % {"number": resolution.number}
            )


def _numbers(choices: dict[Resolution, str]) -> str:
    return ", ".join(f"n° {r.number}" for r in sorted(choices, key=lambda r: r.number))


@transaction.atomic
def ballot_cast(
    *,
    actor: Any,
    meeting: Meeting,
    voter: Contact | int,
    choices: dict[Resolution, str],
    now: dt.datetime | None = None,
    receipts: list[Receipt] | None = None,
) -> int:
    """Vote online before the meeting (electronic postal voting form). Counts only if
    received during the window, before the electronic deadline (R225-77: 15:00 the day
    before). A named vote can be changed until then; a secret one cannot (the voter gets a
    receipt, appended to `receipts`). A board votes before its meeting only if the statutes
    allow it. Neither the timeline nor the audit log says what was voted."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_board and not statute("board_remote_votes", meeting.cutoff_date):
        raise Refusal(
            _(
                "Les statuts ne prévoient pas de vote avant la séance du conseil "
                "d’administration : les administrateurs votent en séance ou donnent "
                "pouvoir à un autre administrateur."
            )
        )
    _check_window(meeting, now)
    entry = _on_roll(meeting, voter)
    if Proxy.objects.filter(giver=entry).exists():
        raise Refusal(_("Vous avez donné un pouvoir : retirez-le d’abord pour voter vous-même."))
    _check_choices(meeting, choices)
    made = _cast(entry, choices, BallotChannel.ONLINE, now)
    if receipts is not None:
        receipts.extend(made)
    PostalForm.objects.update_or_create(
        voter=entry,
        defaults={"meeting": meeting, "channel": BallotChannel.ONLINE, "received_at": now},
    )
    if entry.attendance in ("", Attendance.POSTAL):
        RollEntry.objects.filter(pk=entry.pk).update(
            attendance=Attendance.POSTAL, attendance_at=now
        )
    audit_log(
        actor=actor,
        action="governance.ballot.cast",
        obj=meeting,
        voter=entry.contact_id,
        resolutions=sorted(r.number for r in choices),
    )
    timeline_append(
        contact=entry.contact,
        kind=TimelineKind.VOTE,
        title=f"Vote à distance — {meeting.title} (résolutions {_numbers(choices)})"[:200],
        actor=actor,
        area=AREA,
    )
    return len(choices)


@transaction.atomic
def postal_form_record(
    *,
    actor: Any,
    meeting: Meeting,
    voter: RollEntry,
    choices: dict[Resolution, str],
    received_on: dt.date,
    file: Any = None,
) -> PostalForm:
    """The staff records a paper postal voting form received by post, with the scanned form
    kept as a document. Refused when received after the statutory deadline (R225-77: at least
    3 days before the meeting, statutes setting `paper_form_days`), in the future, before the
    convocation, from a voter who gave a proxy or already sent a form."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_in_session(meeting)
    if voter.meeting_id != meeting.pk:
        raise Refusal(_("Cette personne n’est pas sur la liste des votants de cette réunion."))
    date_check(received_on, label="Date de réception du formulaire", field="received_on")
    last = deadlines.paper_form_last_day(meeting)
    if received_on > last:
        raise Refusal(
            _(
                "Formulaire reçu le %(received_on)s : un formulaire papier de vote par "
                "correspondance doit parvenir au plus tard le %(last)s (délai des "
                "statuts avant la réunion). Il ne peut pas être compté ; rien n’a été "
                "enregistré."
            )
            % {"received_on": format(received_on, "%d/%m/%Y"), "last": format(last, "%d/%m/%Y")},
            field="received_on",
        )
    convened = timezone.localdate(meeting.convened_at)  # type: ignore[arg-type]
    if received_on < convened:
        raise Refusal(
            _(
                "Un formulaire reçu le %(received_on)s, avant la convocation du "
                "%(convened)s, ne vaut pas pour cette réunion."
            )
            % {
                "received_on": format(received_on, "%d/%m/%Y"),
                "convened": format(convened, "%d/%m/%Y"),
            },
            field="received_on",
        )
    if Proxy.objects.filter(giver=voter).exists():
        raise Refusal(
            _("%(name)s a donné un pouvoir : un formulaire de vote ne s’y ajoute pas.")
            % {"name": voter.name}
        )
    if PostalForm.objects.filter(voter=voter).exists():
        raise Refusal(
            _(
                "%(name)s a déjà un formulaire de vote par correspondance enregistré (en "
                "ligne ou papier) : un seul formulaire compte."
            )
            % {"name": voter.name}
        )
    _check_choices(meeting, choices)
    received_at = timezone.make_aware(dt.datetime.combine(received_on, dt.time(12, 0)))
    document = _scan_store(actor, meeting, file, "formulaire") if file is not None else None
    _cast(voter, choices, BallotChannel.PAPER, received_at)
    form = PostalForm.objects.create(
        meeting=meeting,
        voter=voter,
        channel=BallotChannel.PAPER,
        received_at=received_at,
        document=document,
    )
    RollEntry.objects.filter(pk=voter.pk).update(
        attendance=Attendance.POSTAL, attendance_at=received_at
    )
    audit_log(
        actor=actor,
        action="governance.postal_form.recorded",
        obj=meeting,
        voter=voter.contact_id,
        received_on=received_on,
        resolutions=sorted(r.number for r in choices),
        document=document.pk if document is not None else None,
    )
    timeline_append(
        contact=voter.contact,
        kind=TimelineKind.VOTE,
        title=f"Formulaire de vote par correspondance reçu — {meeting.title}"[:200],
        actor=actor,
        area=AREA,
        link=reverse("governance:meeting", args=[meeting.pk]),
    )
    return form


# --------------------------------------------------------------------------------------------
# During the meeting: attendance, named ballots, show of hands, quorum, tally
# --------------------------------------------------------------------------------------------


def _check_in_session(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise Refusal(_("La réunion est close : plus rien ne peut y être enregistré."))
    if not meeting.convened_at:
        raise Refusal(_("La réunion n’a pas été convoquée."))


@transaction.atomic
def attendance_set(*, actor: Any, meeting: Meeting, entry: RollEntry, mode: str) -> RollEntry:
    """Record a voter present, remote, or absent (""); represented/postal come from proxies
    and postal voting forms."""
    _check_in_session(meeting)
    if entry.meeting_id != meeting.pk:
        raise Refusal(_("Cette personne n’est pas sur la liste des votants de cette réunion."))
    if mode not in ("", Attendance.PRESENT, Attendance.REMOTE):
        raise Refusal(_("Choisissez présent·e, à distance ou absent·e."))
    if mode == "":
        if hasattr(entry, "proxy_given"):
            mode = Attendance.REPRESENTED
        elif PostalForm.objects.filter(voter=entry).exists():
            mode = Attendance.POSTAL
    entry.attendance = mode
    entry.attendance_at = timezone.now()
    entry.save(update_fields=["attendance", "attendance_at"])
    audit_log(
        actor=actor,
        action="governance.attendance.set",
        obj=meeting,
        voter=entry.contact_id,
        mode=mode,
    )
    return entry


@transaction.atomic
def ballot_record(
    *, actor: Any, resolution: Resolution, voter: RollEntry, choice: str
) -> Receipt | None:
    """A ballot given in the meeting (by the voter, or by the holder of their proxy). On a
    secret resolution only that the voter voted is kept (a second vote is refused) and the
    voter's receipt is returned. The choice is never written in the audit log or timeline."""
    meeting = resolution.meeting
    _check_in_session(meeting)
    if voter.meeting_id != meeting.pk:
        raise Refusal(_("Cette personne n’est pas sur la liste des votants de cette réunion."))
    _check_choices(meeting, {resolution: choice})
    proxy = Proxy.objects.filter(giver=voter).first()
    if proxy is not None and proxy.is_blank:
        raise Refusal(
            _("%(name)s a donné un pouvoir en blanc : son vote est celui de la présidence.")
            % {"name": voter.name}
        )
    if proxy is None and voter.attendance not in (
        Attendance.PRESENT,
        Attendance.REMOTE,
        Attendance.POSTAL,
    ):
        raise Refusal(
            _("%(name)s n’est pas noté·e présent·e : enregistrez d’abord sa présence.")
            % {"name": voter.name}
        )
    channel = BallotChannel.PROXY if proxy else BallotChannel.MEETING
    made = _cast(voter, {resolution: choice}, channel, timezone.now())
    audit_log(
        actor=actor,
        action="governance.ballot.recorded",
        obj=resolution,
        voter=voter.contact_id,
        secret=resolution.secret,
    )
    timeline_append(
        contact=voter.contact,
        kind=TimelineKind.VOTE,
        title=f"Vote en séance — {meeting.title}, résolution n° {resolution.number}"[:200],
        actor=actor,
        area=AREA,
    )
    return made[0] if made else None


def secret_ballots_published(resolution: Resolution) -> QuerySet[SecretBallot]:
    """The published list of a secret resolution's ballots (fingerprint, college, choice),
    sorted by fingerprint: each voter finds theirs; anyone recounts from it."""
    return SecretBallot.objects.filter(resolution=resolution).order_by("fingerprint")


def secret_recount(resolution: Resolution) -> dict[str, dict[str, int]]:
    """The count of a secret resolution recomputed from the stored ballots one by one (not
    by the database's GROUP BY), to check the published result."""
    meeting = resolution.meeting
    counts: dict[str, dict[str, int]] = {}
    for college, choice in secret_ballots_published(resolution).values_list("college", "choice"):
        key = _college_key(meeting, college)
        counts.setdefault(key, {"yes": 0, "no": 0, "abstain": 0})[choice] += 1
    return counts


def college_names(meeting: Meeting) -> list[str]:
    return (
        list(meeting.college_weights) if meeting.colleges_enabled else [tally.SINGLE_COLLEGE_NAME]
    )


def _college_key(meeting: Meeting, college: str) -> str:
    return college if meeting.colleges_enabled else tally.SINGLE_COLLEGE_NAME


@transaction.atomic
def hands_record(
    *, actor: Any, resolution: Resolution, counts: dict[str, tuple[int, int, int]]
) -> None:
    """Per-college counts of a show of hands (college name → (yes, no, abstain)); they add to
    the named ballots. Each count may not exceed the voters present or represented by a named
    proxy in that college who have no named ballot on this resolution."""
    meeting = resolution.meeting
    _check_in_session(meeting)
    if resolution.closed_at:
        raise Refusal(
            _("Le vote de la résolution n° %(number)s est clos.") % {"number": resolution.number}
        )
    names = college_names(meeting)
    available = _hands_available(resolution)
    problems = []
    for name, (yes, no, abstain) in counts.items():
        if name not in names:
            problems.append(f"Collège inconnu « {name} ».")
            continue
        if min(yes, no, abstain) < 0:
            problems.append(f"Collège « {name} » : un nombre de voix ne peut pas être négatif.")
        elif yes + no + abstain > available.get(name, 0):
            problems.append(
                f"Collège « {name} » : {yes + no + abstain} mains levées pour "
                f"{available.get(name, 0)} votant(s) présent(s) ou représenté(s) sans bulletin."
            )
    if problems:
        raise Refusal(problems)
    for name, (yes, no, abstain) in counts.items():
        HandCount.objects.update_or_create(
            resolution=resolution,
            college="" if not meeting.colleges_enabled else name,
            defaults={"yes": yes, "no": no, "abstain": abstain},
        )
    audit_log(
        actor=actor,
        action="governance.hands.recorded",
        obj=resolution,
        counts={k: list(v) for k, v in counts.items()},
    )


def _hands_available(resolution: Resolution) -> dict[str, int]:
    """Voters per college who can raise a hand: present/remote, or represented by a named
    proxy whose holder is present or remote, and with no named ballot on this resolution (one
    aggregate query)."""
    meeting = resolution.meeting
    rows = (
        RollEntry.objects.filter(meeting=meeting)
        .filter(
            Q(attendance__in=[Attendance.PRESENT, Attendance.REMOTE])
            | Q(proxy_given__holder__attendance__in=[Attendance.PRESENT, Attendance.REMOTE])
            | Q(proxy_given__holder_name__gt="", proxy_given__holder_present=True)
        )
        .exclude(ballots__resolution=resolution)
        .exclude(marks__resolution=resolution)
        .values("college")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[str, int] = {}
    for row in rows:
        key = _college_key(meeting, row["college"])
        out[key] = out.get(key, 0) + row["n"]
    return out


@dataclass(frozen=True)
class QuorumStatus:
    on_roll: int
    counted: int
    threshold: int
    reached: bool
    required: Fraction
    label: str
    by_mode: dict[str, int]
    held: bool = True

    @property
    def missing(self) -> int:
        return max(self.threshold - self.counted, 0)


def quorum_rule(meeting: Meeting, resolution_kind: str | None = None) -> tally.QuorumRule:
    """The quorum of the meeting's kind and call; in a mixed AG, ordinary resolutions use the
    AGO quorum and extraordinary ones the AGE quorum (the stricter, shown when none is given)."""
    if meeting.is_board:
        return tally.BOARD_QUORUM
    kind: tally.MeetingKind
    form: tally.LegalForm
    if meeting.kind == MeetingKind.AGO:
        kind = "AGO"
    elif meeting.kind == MeetingKind.AGE:
        kind = "AGE"
    else:
        kind = "AGO" if resolution_kind == ResolutionKind.ORDINARY else "AGE"
    if meeting.legal_form in ("SA", "SARL"):
        form = cast("tally.LegalForm", meeting.legal_form)
    elif meeting.sas_quorum_as == "SA":
        form = "SA"  # an SAS whose statutes copy the SA quorum (statutes setting)
    else:
        return tally.NO_QUORUM
    rule = tally.default_quorum(form, kind, meeting.call)
    return rule or tally.NO_QUORUM


def quorum_status(
    meeting: Meeting, resolution_kind: str | None = None, *, now: dt.datetime | None = None
) -> QuorumStatus:
    """Live quorum, one aggregate query: AG — present, remote, represented and postal votes
    received before the meeting (L225-107); board — directors present (L225-37, to verify).

    A proxy is a mandate to vote *at* the meeting: it counts only if its holder is present or
    remote; a blank proxy (to the chair) counts once the meeting is held (has started). A proxy
    whose holder stays away is reported as `represented_lost` and counts for nothing.
    """
    held = (now or timezone.now()) >= meeting.starts_at
    in_room = [Attendance.PRESENT, Attendance.REMOTE]
    represented = Q(attendance=Attendance.REPRESENTED)
    holder_here = Q(proxy_given__holder__attendance__in=in_room) | Q(
        proxy_given__holder_name__gt="", proxy_given__holder_present=True
    )
    blank = Q(
        proxy_given__isnull=False, proxy_given__holder__isnull=True, proxy_given__holder_name=""
    )
    agg = RollEntry.objects.filter(meeting=meeting).aggregate(
        total=Count("id"),
        present=Count("id", filter=Q(attendance=Attendance.PRESENT)),
        remote=Count("id", filter=Q(attendance=Attendance.REMOTE)),
        represented=Count(
            "id", filter=represented & (holder_here | blank) if held else represented & holder_here
        ),
        represented_all=Count("id", filter=represented),
        postal=Count("id", filter=Q(attendance=Attendance.POSTAL)),
    )
    by_mode = {k: agg[k] for k in ("present", "remote", "represented", "postal")}
    by_mode["represented_lost"] = agg["represented_all"] - agg["represented"]
    # Remote attendance counts toward the quorum when the statutes allow it (setting
    # `remote_counts_for_quorum` of the statutes in force on the cut-off date).
    remote = by_mode["remote"] if statute("remote_counts_for_quorum", meeting.cutoff_date) else 0
    counted = by_mode["present"] + remote
    if not meeting.is_board:
        counted += by_mode["represented"] + by_mode["postal"]
    rule = quorum_rule(meeting, resolution_kind)
    on_roll = agg["total"]
    if on_roll == 0:
        return QuorumStatus(
            0, 0, 0, False, rule.required, _quorum_label(rule, meeting.is_board), by_mode, held
        )
    return QuorumStatus(
        on_roll=on_roll,
        counted=counted,
        threshold=rule.threshold(on_roll),
        reached=rule.reached(counted, on_roll),
        required=rule.required,
        label=_quorum_label(rule, meeting.is_board),
        by_mode=by_mode,
        held=held,
    )


def _quorum_label(rule: tally.QuorumRule, board: bool = False) -> str:
    if rule.required == 0:
        return "pas de quorum"
    share = f"{rule.required.numerator}/{rule.required.denominator}"
    who = "des administrateurs, présents ou à distance" if board else "des votants"
    return f"{'au moins' if rule.inclusive else 'plus de'} {share} {who}"


def majority_rule(resolution: Resolution) -> tally.MajorityRule:
    """Ordinary: more than half of the votes cast; extraordinary: two thirds of the votes cast,
    or, in a SARL (L223-30, the legal form frozen on the meeting), two thirds of those present
    or represented (an abstention weighs like a no)."""
    if resolution.kind != ResolutionKind.EXTRAORDINARY:
        return tally.ORDINARY
    if resolution.meeting.legal_form == "SARL":
        return tally.EXTRAORDINARY_PRESENT_OR_REPRESENTED
    return tally.EXTRAORDINARY


def resolution_counts(resolution: Resolution) -> dict[str, dict[str, int]]:
    """Counts per college and choice: named ballots (GROUP BY college, choice in the database),
    show-of-hands counts, and blank proxies (yes if approved by the board, else no)."""
    meeting = resolution.meeting
    counts = {name: {"yes": 0, "no": 0, "abstain": 0} for name in college_names(meeting)}

    def add(college: str, choice: str, n: int) -> None:
        key = _college_key(meeting, college)
        counts.setdefault(key, {"yes": 0, "no": 0, "abstain": 0})[choice] += n

    row: Mapping[str, Any]
    for row in (
        Ballot.objects.filter(resolution=resolution)
        .values("college", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        add(row["college"], row["choice"], row["n"])
    for row in (
        SecretBallot.objects.filter(resolution=resolution)
        .values("college", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        add(row["college"], row["choice"], row["n"])
    for hand in HandCount.objects.filter(resolution=resolution):
        add(hand.college, "yes", hand.yes)
        add(hand.college, "no", hand.no)
        add(hand.college, "abstain", hand.abstain)
    blank_choice = "yes" if resolution.board_approved else "no"
    for row in (
        Proxy.objects.filter(meeting=meeting, holder__isnull=True, holder_name="")
        .exclude(giver__ballots__resolution=resolution)
        .exclude(giver__marks__resolution=resolution)
        .values("giver__college")
        .annotate(n=Count("id"))
        .order_by()
    ):
        add(row["giver__college"], blank_choice, row["n"])
    return counts


@dataclass(frozen=True)
class ResolutionResult:
    counts: dict[str, dict[str, int]]
    outcome: tally.Outcome | None
    adopted: bool
    board: bool
    rule_label: str
    policy_label: str


POLICY_LABELS = {
    "redistribute": "poids d’un collège sans votant réparti entre les collèges qui ont voté",
    "zero": "un collège sans votant compte pour zéro",
}


def resolution_result(resolution: Resolution) -> ResolutionResult:
    meeting = resolution.meeting
    counts = resolution_counts(resolution)
    if meeting.is_board:
        c = counts[tally.SINGLE_COLLEGE_NAME]
        adopted = tally.board_outcome(
            c["yes"],
            c["no"],
            c["abstain"],
            chair_vote=cast("tally.ChairVote | None", resolution.chair_vote or None),
            casting_vote=meeting.casting_vote,
        )
        label = "majorité des administrateurs présents ou représentés" + (
            ", voix prépondérante du président" if meeting.casting_vote else ""
        )
        return ResolutionResult(counts, None, adopted, True, label, "")
    if meeting.colleges_enabled:
        weights = meeting.weights
        colleges = [
            tally.CollegeVotes(name, weights[name], c["yes"], c["no"], c["abstain"])
            for name, c in counts.items()
            if name in weights
        ]
    else:
        c = counts[tally.SINGLE_COLLEGE_NAME]
        colleges = [tally.single_college(c["yes"], c["no"], c["abstain"])]
    rule = majority_rule(resolution)
    outcome = rule.outcome(
        colleges, empty_colleges=cast("tally.EmptyCollegePolicy", meeting.empty_college_policy)
    )
    policy = POLICY_LABELS.get(meeting.empty_college_policy, "") if meeting.colleges_enabled else ""
    return ResolutionResult(counts, outcome, outcome.adopted, False, rule.label, policy)


@transaction.atomic
def resolution_close(*, actor: Any, resolution: Resolution) -> Resolution:
    """Close the vote on a resolution: refused without quorum (of the resolution's kind); the
    result (counts per college, effective weights, rule and policy) is frozen on the resolution
    and the decision enters the register."""
    resolution = (
        Resolution.objects.select_for_update().select_related("meeting").get(pk=resolution.pk)
    )
    meeting = resolution.meeting
    _check_in_session(meeting)
    if resolution.closed_at:
        raise Refusal(
            _("Le vote de la résolution n° %(number)s est déjà clos.")
            % {"number": resolution.number}
        )
    if timezone.now() < meeting.starts_at:
        raise Refusal(_("La réunion n’a pas encore commencé : le vote ne peut pas être clos."))
    quorum = quorum_status(meeting, resolution.kind)
    if not quorum.reached:
        raise Refusal(
            _(
                "Le quorum n’est pas atteint (%(counted)s sur %(on_roll)s ; il en faut "
                "%(threshold)s, %(label)s) : le vote ne peut pas être clos. Il manque "
                "%(missing)s votant(s) ; à défaut, convoquez une seconde assemblée."
            )
            % {
                "counted": quorum.counted,
                "on_roll": quorum.on_roll,
                "threshold": quorum.threshold,
                "label": quorum.label,
                "missing": quorum.missing,
            }
        )
    result = resolution_result(resolution)
    snapshot: dict[str, Any] = {
        "counts": result.counts,
        "rule": result.rule_label,
        "policy": result.policy_label,
        "quorum": {"counted": quorum.counted, "on_roll": quorum.on_roll, "label": quorum.label},
    }
    if result.outcome is not None:
        snapshot["yes_share"] = (
            str(result.outcome.yes_share) if result.outcome.yes_share is not None else None
        )
        snapshot["by_college"] = {
            k: (str(v) if v is not None else None) for k, v in result.outcome.by_college.items()
        }
        snapshot["effective_weights"] = {
            k: str(v) for k, v in result.outcome.effective_weights.items()
        }
        snapshot["weights"] = meeting.college_weights
    else:
        snapshot["chair_vote"] = resolution.chair_vote
    resolution.result = snapshot
    resolution.adopted = result.adopted
    resolution.closed_at = timezone.now()
    resolution.save(update_fields=["result", "adopted", "closed_at"])
    yes_share = result.outcome.yes_share if result.outcome else None
    summary = ("Adoptée" if result.adopted else "Rejetée") + (
        f" — {money.fraction(yes_share) if yes_share is not None else '—'} de voix pour"
        if result.outcome
        else ""
    )
    decision = Decision.objects.create(
        meeting=meeting,
        resolution=resolution,
        decided_on=timezone.localdate(meeting.starts_at),
        title=f"{meeting.title} — résolution n° {resolution.number} : {resolution.title}",
        text=resolution.text,
        adopted=result.adopted,
        summary=summary[:300],
    )
    _index_decision(decision)
    audit_log(
        actor=actor,
        action="governance.resolution.closed",
        obj=resolution,
        adopted=result.adopted,
        summary=summary,
    )
    return resolution


def _index_decision(decision: Decision) -> None:
    decision.search_text = normalize(f"{decision.title} {decision.text} {decision.meeting.title}")
    decision.save(update_fields=["search_text"])


@transaction.atomic
def chair_vote_set(*, actor: Any, resolution: Resolution, vote: str) -> None:
    if vote not in ("", "yes", "no"):
        raise Refusal(_("Vote du président inconnu."))
    resolution.chair_vote = vote
    resolution.save(update_fields=["chair_vote"])
    audit_log(actor=actor, action="governance.resolution.chair_vote", obj=resolution, vote=vote)


# --------------------------------------------------------------------------------------------
# After: minutes, closing, decisions and actions, evaluation
# --------------------------------------------------------------------------------------------


def minutes_draft(meeting: Meeting) -> str:
    """The PV drafted from the template `governance/minutes_draft.md` with the frozen results."""
    from placette.governance.presenters import meeting_results

    legal = convocation_legal(meeting)
    return render_to_string(
        "governance/minutes_draft.md",
        {
            "meeting": meeting,
            "quorum": quorum_status(meeting),
            "results": meeting_results(meeting),
            "agenda": legal["agenda"],
            "documents": legal["documents"],
            "legal_mention": legal["legal_mention"],
            "scrutineers": list(meeting.scrutineers.order_by("name_key")),
            "elections": legal["elections"],
        },
    )


def minutes_text(meeting: Meeting) -> str:
    """The PV to show or print: the saved text once the meeting is closed; before, always the
    draft generated from the state (marked « PROJET », no vote said adopted before it is
    closed), whatever was saved."""
    if meeting.status == MeetingStatus.CLOSED and meeting.minutes:
        return meeting.minutes
    return minutes_draft(meeting)


@transaction.atomic
def minutes_save(*, actor: Any, meeting: Meeting, text: str) -> Meeting:
    meeting.minutes = text
    meeting.minutes_updated_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_updated_at"])
    audit_log(actor=actor, action="governance.minutes.saved", obj=meeting, length=len(text))
    return meeting


@transaction.atomic
def meeting_close(*, actor: Any, meeting: Meeting) -> Meeting:
    open_ones = [r.number for r in meeting.resolutions.filter(closed_at__isnull=True)]
    if open_ones:
        raise Refusal(
            "Clôturez d’abord le vote des résolutions n° " + ", ".join(map(str, open_ones)) + "."
        )
    pending = list(meeting.elections.filter(closed_at__isnull=True).values_list("title", flat=True))
    if pending:
        raise Refusal(
            _("Proclamez d’abord le résultat de l’élection « %(title)s ».") % {"title": pending[0]}
        )
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = timezone.now()
    if not meeting.minutes:
        meeting.minutes = minutes_draft(meeting)
    meeting.save(update_fields=["status", "closed_at", "minutes"])
    audit_log(actor=actor, action="governance.meeting.closed", obj=meeting)
    return meeting


@transaction.atomic
def decision_record(
    *, actor: Any, meeting: Meeting, title: str, text: str = "", adopted: bool = True
) -> Decision:
    """A decision recorded without a resolution vote (e.g. a board decision by consensus)."""
    decision = Decision.objects.create(
        meeting=meeting,
        decided_on=timezone.localdate(meeting.starts_at),
        title=title,
        text=text,
        adopted=adopted,
        summary="Adoptée" if adopted else "Rejetée",
    )
    _index_decision(decision)
    audit_log(actor=actor, action="governance.decision.recorded", obj=decision)
    return decision


@transaction.atomic
def action_add(
    *,
    actor: Any,
    decision: Decision,
    title: str,
    owner: Contact | None = None,
    due_on: dt.date | None = None,
) -> Action:
    action = Action.objects.create(decision=decision, title=title, owner=owner, due_on=due_on)
    audit_log(actor=actor, action="governance.action.added", obj=decision, title=title)
    return action


@transaction.atomic
def action_update(*, actor: Any, action: Action, status: str) -> Action:
    if status not in ActionStatus.values:
        raise Refusal(_("État inconnu."))
    action.status = status
    action.save(update_fields=["status"])
    audit_log(
        actor=actor,
        action="governance.action.updated",
        obj=action.decision,
        title=action.title,
        status=status,
    )
    return action


@transaction.atomic
def evaluation_answer(
    *,
    actor: Any,
    meeting: Meeting,
    contact: Contact,
    information: int,
    debate: int,
    clarity: int,
    comment: str = "",
) -> EvaluationAnswer:
    entry = _on_roll(meeting, contact)
    if not entry.attendance:
        raise Refusal(_("Le questionnaire s’adresse aux participants de la réunion."))
    if timezone.now() < meeting.starts_at:
        raise Refusal(_("Le questionnaire ouvre après la réunion."))
    if EvaluationAnswer.objects.filter(meeting=meeting, contact=contact).exists():
        raise Refusal(_("Vous avez déjà répondu à ce questionnaire : merci !"))
    for score in (information, debate, clarity):
        if not 1 <= score <= 5:
            raise Refusal(_("Chaque note va de 1 à 5."))
    answer = EvaluationAnswer.objects.create(
        meeting=meeting,
        contact=contact,
        information=information,
        debate=debate,
        clarity=clarity,
        comment=comment,
    )
    audit_log(actor=actor, action="governance.evaluation.answered", obj=meeting)
    return answer

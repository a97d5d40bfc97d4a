"""Governance in session (issue 11): registration, check-in, live electronic votes, amendments,
the projector's current item.

Reuses `services.py` for everything it already decides: attendance (`attendance_set`, read by
`quorum_status`), the tally of a resolution (`resolution_result`, `resolution_close`, which
count the live ballots with the online ballots, the show of hands and the blank proxies), and
`tally.py` for amendments. Live votes on a resolution are `Ballot` rows: their
UniqueConstraint (resolution, voter) refuses a second vote, also when two submissions race.

No vote choice is ever written on a timeline or in the audit log: only that someone voted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import Contact, TimelineKind
from placette.contacts.services import timeline_append
from placette.governance import services, tally
from placette.governance.models import (
    Attendance,
    Ballot,
    BallotChannel,
    Choice,
    Meeting,
    MeetingStatus,
    Proxy,
    Resolution,
    RollEntry,
    VoteMark,
)
from placette.governance.models_live import (
    Amendment,
    AmendmentBallot,
    LiveSession,
    LiveVote,
    Registration,
    RegistrationAnswer,
)
from placette.lib import money
from placette.lib.audit import audit_log
from placette.lib.qr import qr_svg
from placette.lib.refusals import Refusal
from placette.lib.text import normalize

AREA = "governance"
CHECKIN_SALT = "governance.checkin"
# The chair chooses the time limit of a live vote, in minutes.
VOTE_MINUTES_MIN, VOTE_MINUTES_MAX, VOTE_MINUTES_DEFAULT = 1, 60, 3
# Members may join remotely, and the desk may check in, from this long before the start.
DOORS_OPEN = dt.timedelta(hours=2)
IN_ROOM = (Attendance.PRESENT, Attendance.REMOTE)


def _local(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y à %H:%M}"


# --------------------------------------------------------------------------------------------
# Registration (members answer the invitation)
# --------------------------------------------------------------------------------------------


@transaction.atomic
def registration_answer(
    *, actor: Any, meeting: Meeting, contact: Contact, answer: str, now: dt.datetime | None = None
) -> Registration:
    """Record (or change) a member's answer until the meeting starts. The answer is an
    intention: a proxy or a postal vote is still given on its own page."""
    now = now or timezone.now()
    if answer not in RegistrationAnswer.values:
        raise Refusal(
            _(
                "Réponse inconnue : choisissez de venir, de participer à distance, de donner "
                "procuration ou de voter par correspondance."
            ),
            field="answer",
        )
    if meeting.status == MeetingStatus.CLOSED or not meeting.convened_at:
        raise Refusal(
            _("Cette réunion n’attend pas de réponse : elle n’est pas convoquée ou elle est close.")
        )
    if now >= meeting.starts_at:
        raise Refusal(
            _("La réunion a commencé le %(at)s : il n’est plus temps de répondre à l’invitation.")
            % {"at": _local(meeting.starts_at)}
        )
    entry = services._on_roll(meeting, contact)
    registration, _created = Registration.objects.update_or_create(
        entry=entry, defaults={"meeting": meeting, "answer": answer, "answered_at": now}
    )
    audit_log(
        actor=actor,
        action="governance.registration.answered",
        obj=meeting,
        voter=entry.contact_id,
        answer=answer,
    )
    return registration


def registration_counts(meeting: Meeting) -> dict[str, int]:
    """Expected attendance: one aggregate query over the roll (answers and no answer)."""
    agg = RollEntry.objects.filter(meeting=meeting).aggregate(
        total=Count("id"),
        **{
            value: Count("id", filter=Q(registration__answer=value))
            for value in RegistrationAnswer.values
        },
    )
    answered = sum(agg[v] for v in RegistrationAnswer.values)
    return {**agg, "answered": answered, "unanswered": agg["total"] - answered}


# --------------------------------------------------------------------------------------------
# Check-in: QR code (a signed token per voter) or search at the desk
# --------------------------------------------------------------------------------------------


def checkin_token(entry: RollEntry) -> str:
    return signing.Signer(salt=CHECKIN_SALT).sign(f"{entry.meeting_id}.{entry.pk}")


def checkin_url(entry: RollEntry) -> str:
    return settings.SITE_URL + reverse("governance:live_checkin_code", args=[checkin_token(entry)])


def checkin_qr_svg(entry: RollEntry) -> str:
    """The QR code printed on the convocation and shown in the member's space."""
    return qr_svg(checkin_url(entry), title=_("Code d’accueil de %(name)s") % {"name": entry.name})


def checkin_entry(token: str) -> RollEntry | None:
    """The voter a check-in code stands for, or None if it was not signed by us."""
    try:
        value = signing.Signer(salt=CHECKIN_SALT).unsign(token)
        meeting_id, entry_id = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError):
        return None
    return (
        RollEntry.objects.select_related("meeting", "contact", "proxy_given__holder")
        .filter(pk=entry_id, meeting_id=meeting_id)
        .first()
    )


def desk_search(meeting: Meeting, q: str) -> QuerySet[RollEntry]:
    """The desk's search: a member number, or words of the name or the commune. Rows carry
    what tells homonyms apart (number, commune, college)."""
    entries = RollEntry.objects.filter(meeting=meeting).select_related(
        "contact", "proxy_given__holder", "registration"
    )
    q = q.strip()
    if not q:
        return entries.none()
    if q.isdigit():
        return entries.filter(member_number=int(q))
    for word in normalize(q).split():
        entries = entries.filter(
            Q(name__icontains=word)
            | Q(contact__name_key__icontains=word)
            | Q(contact__commune_name__icontains=word)
        )
    return entries.order_by("name", "member_number")


def _check_doors(meeting: Meeting, now: dt.datetime) -> None:
    services._check_in_session(meeting)
    if now < meeting.starts_at - DOORS_OPEN:
        raise Refusal(
            _("L’accueil ouvre le %(at)s, deux heures avant la réunion.")
            % {"at": _local(meeting.starts_at - DOORS_OPEN)}
        )


def _check_no_proxy_given(entry: RollEntry) -> None:
    proxy = Proxy.objects.filter(giver=entry).select_related("holder").first()
    if proxy is not None:
        to = proxy.holder.name if proxy.holder else proxy.holder_label
        raise Refusal(
            _(
                "%(name)s a donné pouvoir à %(to)s : son pouvoir doit être retiré avant qu’elle ou "
                "il vote en personne."
            )
            % {"name": entry.name, "to": to}
        )


@transaction.atomic
def checkin_record(
    *, actor: Any, entry: RollEntry, mode: str = Attendance.PRESENT, now: dt.datetime | None = None
) -> RollEntry:
    """Note a voter present (desk, QR code) or remote (the member joins from their space):
    the attendance the quorum reads (`services.attendance_set`)."""
    now = now or timezone.now()
    meeting = entry.meeting
    _check_doors(meeting, now)
    if entry.attendance == mode:
        raise Refusal(
            _("%(name)s est déjà noté·e %(mode)s depuis %(at)s.")
            % {
                "name": entry.name,
                "mode": Attendance(mode).label,
                "at": f"{timezone.localtime(entry.attendance_at or now):%H:%M}",
            }
        )
    _check_no_proxy_given(entry)
    return services.attendance_set(actor=actor, meeting=meeting, entry=entry, mode=mode)


def remote_join(*, actor: Any, meeting: Meeting, contact: Contact) -> RollEntry:
    entry = services._on_roll(meeting, contact)
    if entry.attendance == Attendance.PRESENT:
        raise Refusal(_("Vous êtes noté·e présent·e dans la salle : vous votez déjà en séance."))
    return checkin_record(actor=actor, entry=entry, mode=Attendance.REMOTE)


# --------------------------------------------------------------------------------------------
# Amendments
# --------------------------------------------------------------------------------------------


def _resolution_locked(resolution: Resolution) -> Resolution:
    return Resolution.objects.select_for_update().select_related("meeting").get(pk=resolution.pk)


@transaction.atomic
def amendment_propose(
    *,
    actor: Any,
    resolution: Resolution,
    text: str,
    proposed_by: RollEntry | None = None,
    now: dt.datetime | None = None,
) -> Amendment:
    """An amendment proposed in session; refused on a closed resolution or once the vote on
    the resolution has been opened (amendments are voted before)."""
    now = now or timezone.now()
    resolution = _resolution_locked(resolution)
    meeting = resolution.meeting
    services._check_in_session(meeting)
    text = (text or "").strip()
    if not text:
        raise Refusal(_("Saisissez le texte de l’amendement."), field="text")
    if resolution.closed_at:
        raise Refusal(
            _("Le vote de la résolution n° %(n)s est clos : elle ne peut plus être amendée.")
            % {"n": resolution.number},
        )
    if LiveVote.objects.filter(resolution=resolution, amendment__isnull=True).exists():
        raise Refusal(
            _("Le vote de la résolution n° %(n)s est ouvert : un amendement se propose avant.")
            % {"n": resolution.number}
        )
    if now < meeting.starts_at:
        raise Refusal(_("Les amendements se proposent en séance, une fois la réunion commencée."))
    if proposed_by is not None and proposed_by.meeting_id != meeting.pk:
        raise Refusal(_("L’auteur de l’amendement n’est pas sur la liste des votants."))
    number = (
        resolution.amendments.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    amendment = Amendment.objects.create(
        resolution=resolution, number=number, text=text, proposed_by=proposed_by, proposed_at=now
    )
    audit_log(actor=actor, action="governance.amendment.proposed", obj=resolution, number=number)
    return amendment


def amendment_counts(amendment: Amendment) -> dict[str, dict[str, int]]:
    """Counts per college of an amendment: named ballots (GROUP BY in the database) and blank
    proxies, which vote against a draft the board did not approve (L225-106, to verify)."""
    meeting = amendment.resolution.meeting
    counts = {name: {"yes": 0, "no": 0, "abstain": 0} for name in services.college_names(meeting)}

    def add(college: str, choice: str, n: int) -> None:
        key = services._college_key(meeting, college)
        counts.setdefault(key, {"yes": 0, "no": 0, "abstain": 0})[choice] += n

    row: Mapping[str, Any]
    for row in (
        AmendmentBallot.objects.filter(amendment=amendment)
        .values("college", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        add(row["college"], row["choice"], row["n"])
    if LiveVote.objects.filter(amendment=amendment).exists():
        for row in (
            Proxy.objects.filter(meeting=meeting, holder__isnull=True, holder_name="")
            .values("giver__college")
            .annotate(n=Count("id"))
            .order_by()
        ):
            add(row["giver__college"], Choice.NO, row["n"])
    return counts


def _outcome(meeting: Meeting, counts: dict[str, dict[str, int]], rule: tally.MajorityRule):
    """The exact weighted outcome (tally.py) of counts per college, as `resolution_result`."""
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
    return rule.outcome(
        colleges, empty_colleges=cast("tally.EmptyCollegePolicy", meeting.empty_college_policy)
    )


def amendment_result(amendment: Amendment) -> tuple[dict[str, dict[str, int]], tally.Outcome]:
    meeting = amendment.resolution.meeting
    counts = amendment_counts(amendment)
    return counts, _outcome(meeting, counts, services.majority_rule(amendment.resolution))


def _frozen(counts: dict[str, dict[str, int]], outcome: tally.Outcome, meeting: Meeting) -> dict:
    return {
        "counts": counts,
        "yes_share": str(outcome.yes_share) if outcome.yes_share is not None else None,
        "by_college": {
            k: (str(v) if v is not None else None) for k, v in outcome.by_college.items()
        },
        "effective_weights": {k: str(v) for k, v in outcome.effective_weights.items()},
        "weights": meeting.college_weights,
    }


def _amendment_close(actor: Any, amendment: Amendment) -> Amendment:
    resolution = amendment.resolution
    meeting = resolution.meeting
    if meeting.is_board:
        raise Refusal(_("Les amendements en séance sont ceux d’une assemblée générale."))
    quorum = services.quorum_status(meeting, resolution.kind)
    if not quorum.reached:
        raise Refusal(
            _(
                "Le quorum n’est pas atteint (%(counted)s sur %(on_roll)s ; il en faut "
                "%(threshold)s) : le vote de l’amendement ne peut pas être clos."
            )
            % {"counted": quorum.counted, "on_roll": quorum.on_roll, "threshold": quorum.threshold}
        )
    counts, outcome = amendment_result(amendment)
    amendment.result = _frozen(counts, outcome, meeting)
    amendment.result["rule"] = services.majority_rule(resolution).label
    amendment.adopted = outcome.adopted
    amendment.closed_at = timezone.now()
    amendment.save(update_fields=["result", "adopted", "closed_at"])
    if outcome.adopted:
        # The resolution is then voted as amended: its text (and so the decision register) says so.
        Resolution.objects.filter(pk=resolution.pk).update(
            text=(
                resolution.text
                + ("\n\n" if resolution.text else "")
                + _("Amendement n° %(n)s adopté en séance : %(text)s")
                % {"n": amendment.number, "text": amendment.text}
            )
        )
    audit_log(
        actor=actor,
        action="governance.amendment.closed",
        obj=resolution,
        number=amendment.number,
        adopted=outcome.adopted,
    )
    return amendment


# --------------------------------------------------------------------------------------------
# Live votes: the chair opens, members vote from their phone, the chair closes
# --------------------------------------------------------------------------------------------


def live_vote_of(resolution: Resolution, amendment: Amendment | None = None) -> LiveVote | None:
    if amendment is not None:
        return LiveVote.objects.filter(amendment=amendment).first()
    return LiveVote.objects.filter(resolution=resolution, amendment__isnull=True).first()


def _item_label(resolution: Resolution, amendment: Amendment | None) -> str:
    if amendment is not None:
        return str(amendment)
    return _("la résolution n° %(n)s") % {"n": resolution.number}


def _check_item(resolution: Resolution, amendment: Amendment | None) -> None:
    if amendment is not None and amendment.resolution_id != resolution.pk:
        raise Refusal(_("Cet amendement ne porte pas sur cette résolution."))


@transaction.atomic
def live_vote_open(
    *,
    actor: Any,
    resolution: Resolution,
    amendment: Amendment | None = None,
    minutes: int = VOTE_MINUTES_DEFAULT,
    now: dt.datetime | None = None,
) -> LiveVote:
    """The chair opens the electronic vote on a resolution (or one of its amendments) for
    `minutes`. One vote at a time per meeting; a resolution's amendments first."""
    now = now or timezone.now()
    _check_item(resolution, amendment)
    resolution = _resolution_locked(resolution)
    meeting = Meeting.objects.select_for_update().get(pk=resolution.meeting_id)
    services._check_in_session(meeting)
    label = _item_label(resolution, amendment)
    if now < meeting.starts_at:
        raise Refusal(
            _("La réunion commence le %(at)s : le vote en séance ne peut pas être ouvert avant.")
            % {"at": _local(meeting.starts_at)}
        )
    if not isinstance(minutes, int) or not VOTE_MINUTES_MIN <= minutes <= VOTE_MINUTES_MAX:
        raise Refusal(
            _("La durée du vote va de %(lo)s à %(hi)s minutes.")
            % {"lo": VOTE_MINUTES_MIN, "hi": VOTE_MINUTES_MAX},
            field="minutes",
        )
    if resolution.closed_at:
        raise Refusal(_("Le vote de la résolution n° %(n)s est clos.") % {"n": resolution.number})
    if amendment is not None and amendment.closed_at:
        raise Refusal(_("Le vote de %(item)s est clos.") % {"item": label})
    if live_vote_of(resolution, amendment) is not None:
        raise Refusal(_("Le vote de %(item)s a déjà été ouvert.") % {"item": label})
    if amendment is None:
        pending = list(
            resolution.amendments.filter(closed_at__isnull=True).values_list("number", flat=True)
        )
        if pending:
            raise Refusal(
                _("Votez d’abord les amendements à cette résolution (n° %(numbers)s).")
                % {"numbers": ", ".join(str(n) for n in pending)}
            )
    elif live_vote_of(resolution) is not None:
        raise Refusal(_("Le vote de la résolution est ouvert : il est trop tard pour l’amender."))
    running = [
        v
        for v in LiveVote.objects.filter(meeting=meeting, stopped_at__isnull=True)
        if v.is_open(now)
    ]
    if running:
        raise Refusal(
            _("Un vote est déjà en cours (%(item)s) : clôturez-le avant d’en ouvrir un autre.")
            % {"item": str(running[0])}
        )
    vote = LiveVote.objects.create(
        meeting=meeting,
        resolution=resolution,
        amendment=amendment,
        opened_at=now,
        closes_at=now + dt.timedelta(minutes=minutes),
    )
    LiveSession.objects.update_or_create(
        meeting=meeting, defaults={"resolution": resolution, "amendment": amendment}
    )
    audit_log(
        actor=actor,
        action="governance.live.opened",
        obj=resolution,
        amendment=amendment.number if amendment else None,
        minutes=minutes,
    )
    return vote


@transaction.atomic
def live_vote_close(
    *, actor: Any, resolution: Resolution, amendment: Amendment | None = None
) -> Resolution | Amendment:
    """The chair closes the vote: no more ballots, the result is frozen (a resolution through
    `services.resolution_close`: quorum, register; an amendment here). All or nothing."""
    _check_item(resolution, amendment)
    # Stop the vote first: the row lock of this UPDATE makes a ballot being cast (which reads
    # the vote FOR SHARE, `_vote_locked`) finish before, or see the vote closed after.
    LiveVote.objects.filter(
        resolution=resolution, amendment=amendment, stopped_at__isnull=True
    ).update(stopped_at=timezone.now())
    resolution = _resolution_locked(resolution)
    if amendment is None:
        return services.resolution_close(actor=actor, resolution=resolution)
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    services._check_in_session(resolution.meeting)
    if amendment.closed_at:
        raise Refusal(_("Le vote de %(item)s est déjà clos.") % {"item": str(amendment)})
    amendment.resolution = resolution
    return _amendment_close(actor, amendment)


@transaction.atomic
def live_show(
    *,
    actor: Any,
    meeting: Meeting,
    resolution: Resolution | None,
    amendment: Amendment | None = None,
) -> LiveSession:
    """Choose what the projector shows (a resolution, one of its amendments, or nothing)."""
    if resolution is not None and resolution.meeting_id != meeting.pk:
        raise Refusal(_("Cette résolution n’est pas à l’ordre du jour de cette réunion."))
    if resolution is not None:
        _check_item(resolution, amendment)
    session, _created = LiveSession.objects.update_or_create(
        meeting=meeting, defaults={"resolution": resolution, "amendment": amendment}
    )
    return session


def voting_rights(meeting: Meeting, entry: RollEntry) -> list[RollEntry]:
    """For whom a voter present or remote votes: themselves (unless they gave a proxy) and each
    member whose named proxy they hold. Empty when they are not present or remote."""
    if entry.attendance not in IN_ROOM:
        return []
    rights = [] if hasattr(entry, "proxy_given") else [entry]
    givers = RollEntry.objects.filter(meeting=meeting, proxy_given__holder=entry).order_by("name")
    return rights + list(givers)


def live_ballot_cast(
    *,
    actor: Any,
    resolution: Resolution,
    amendment: Amendment | None = None,
    voter: Contact,
    for_entry: RollEntry,
    choice: str,
    now: dt.datetime | None = None,
) -> services.Receipt | None:
    """A member present or remote votes in session, for themselves or for a member whose proxy
    they hold. One ballot per voter and item: a second one is refused (the database's unique
    constraint decides, so two concurrent submissions end in one ballot). On a secret
    resolution, returns the voter's receipt (shown once, stored nowhere)."""
    now = now or timezone.now()
    _check_item(resolution, amendment)
    label = _item_label(resolution, amendment)
    if choice not in Choice.values:
        raise Refusal(_("Vote inconnu : choisissez pour, contre ou abstention."), field="choice")
    with transaction.atomic():
        return _ballot_insert(actor, resolution, amendment, voter, for_entry, choice, now, label)


def _vote_locked(resolution: Resolution, amendment: Amendment | None) -> LiveVote | None:
    """The live vote, read under a shared lock on PostgreSQL: voters do not wait for one
    another, but a ballot waits for the chair's closing to commit, then sees the vote closed
    (so no ballot lands after the result was frozen). SQLite writes one at a time anyway."""
    vote = live_vote_of(resolution, amendment)
    if vote is None or connection.vendor != "postgresql":
        return vote
    table = LiveVote._meta.db_table
    return next(
        iter(LiveVote.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [vote.pk]))
    )


def _ballot_insert(
    actor: Any,
    resolution: Resolution,
    amendment: Amendment | None,
    voter: Contact,
    for_entry: RollEntry,
    choice: str,
    now: dt.datetime,
    label: str,
) -> services.Receipt | None:
    meeting = resolution.meeting
    receipt = None
    vote = _vote_locked(resolution, amendment)
    if vote is None or vote.opened_at > now:
        raise Refusal(_("Le vote de %(item)s n’est pas ouvert.") % {"item": label})
    if vote.stopped_at is not None or now >= vote.closes_at:
        raise Refusal(
            _("Le vote de %(item)s est clos depuis %(at)s : votre vote n’a pas été enregistré.")
            % {
                "item": label,
                "at": f"{timezone.localtime(vote.stopped_at or vote.closes_at):%H:%M:%S}",
            }
        )
    me = services.roll_entry_of(meeting, voter)
    if me is None:
        raise Refusal(_("Vous n’êtes pas sur la liste des votants de cette réunion."))
    if me.attendance not in IN_ROOM:
        raise Refusal(
            _(
                "Vous n’êtes pas noté·e présent·e ni à distance : présentez-vous à l’accueil ou "
                "rejoignez la séance à distance pour voter."
            )
        )
    if for_entry.meeting_id != meeting.pk:
        raise Refusal(_("Cette personne n’est pas sur la liste des votants de cette réunion."))
    if for_entry.pk == me.pk:
        if Proxy.objects.filter(giver=me).exists():
            raise Refusal(_("Vous avez donné pouvoir : c’est votre mandataire qui vote pour vous."))
        channel = BallotChannel.MEETING
    else:
        if not Proxy.objects.filter(giver=for_entry, holder=me).exists():
            raise Refusal(
                _(
                    "Vous ne détenez pas le pouvoir de %(name)s : vous ne pouvez pas voter "
                    "pour elle ou lui."
                )
                % {"name": for_entry.name}
            )
        channel = BallotChannel.PROXY
    model: Any = AmendmentBallot if amendment is not None else Ballot
    fields: dict[str, Any] = (
        {"amendment": amendment} if amendment is not None else {"resolution": resolution}
    )
    try:
        with transaction.atomic():
            if amendment is None and resolution.secret:
                # A secret ballot: that the member voted, apart from what (services.py).
                receipt = services.secret_ballot_cast(for_entry, resolution, choice, channel)
            else:
                model.objects.create(
                    **fields,
                    voter=for_entry,
                    college=for_entry.college,
                    choice=choice,
                    channel=channel,
                    cast_at=now,
                )
            audit_log(
                actor=actor,
                action="governance.live.voted",
                obj=amendment or resolution,
                voter=for_entry.contact_id,
                by=me.contact_id,
                proxy=channel == BallotChannel.PROXY,
            )
            title = (
                _("A voté en séance — %(meeting)s, %(item)s")
                if channel == BallotChannel.MEETING
                else _("A voté en séance par pouvoir (%(holder)s) — %(meeting)s, %(item)s")
            ) % {"meeting": meeting.title, "item": label, "holder": me.name}
            timeline_append(
                contact=for_entry.contact,
                kind=TimelineKind.VOTE,
                title=title[:200],
                actor=actor,
                area=AREA,
            )
    except IntegrityError:
        raise Refusal(
            _("%(name)s a déjà voté sur %(item)s : un second vote n’est pas possible.")
            % {"name": for_entry.name if for_entry.pk != me.pk else _("Vous"), "item": label}
        ) from None
    return receipt


# --------------------------------------------------------------------------------------------
# Reads for the chair's console, the members' phones and the projector
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurrentItem:
    resolution: Resolution | None
    amendment: Amendment | None
    vote: LiveVote | None

    @property
    def open(self) -> bool:
        return self.vote is not None and self.vote.is_open()

    @property
    def seconds_left(self) -> int:
        if not self.open or self.vote is None:
            return 0
        return max(int((self.vote.closes_at - timezone.now()).total_seconds()), 0)


def current_item(meeting: Meeting) -> CurrentItem:
    session = (
        LiveSession.objects.filter(meeting=meeting)
        .select_related("resolution__meeting", "amendment__resolution__meeting")
        .first()
    )
    if session is None or session.resolution is None:
        return CurrentItem(None, None, None)
    vote = live_vote_of(session.resolution, session.amendment)
    return CurrentItem(session.resolution, session.amendment, vote)


def _share(value: Fraction | None) -> str:
    return "—" if value is None else money.fraction(value)


def amendment_view(amendment: Amendment) -> dict[str, Any]:
    """The same keys as `presenters.resolution_view`, for one amendment."""
    meeting = amendment.resolution.meeting
    if amendment.closed_at:
        frozen = amendment.result
        counts = frozen["counts"]
        adopted = bool(amendment.adopted)
        yes_share = Fraction(frozen["yes_share"]) if frozen.get("yes_share") else None
        by_college = {
            k: Fraction(v) if v else None for k, v in frozen.get("by_college", {}).items()
        }
        effective = {k: Fraction(v) for k, v in frozen.get("effective_weights", {}).items()}
        rule = frozen.get("rule", "")
    else:
        counts, outcome = amendment_result(amendment)
        adopted, yes_share = outcome.adopted, outcome.yes_share
        by_college, effective = dict(outcome.by_college), dict(outcome.effective_weights)
        rule = services.majority_rule(amendment.resolution).label
    weights = meeting.weights
    rows = [
        {
            "college": name,
            "weight": money.fraction(weights[name]) if name in weights else money.fraction(1),
            "yes": c["yes"],
            "no": c["no"],
            "abstain": c["abstain"],
            "share": _share(by_college.get(name)),
            "effective": _share(effective.get(name)),
        }
        for name, c in counts.items()
    ]
    return {
        "amendment": amendment,
        "rows": rows,
        "totals": {k: sum(c[k] for c in counts.values()) for k in ("yes", "no", "abstain")},
        "adopted": adopted,
        "closed": amendment.closed_at is not None,
        "yes_share": _share(yes_share),
        "rule": rule,
        "policy": services.POLICY_LABELS.get(meeting.empty_college_policy, "")
        if meeting.colleges_enabled
        else "",
        "board": False,
    }


def voted_for(item: CurrentItem, entries: list[RollEntry]) -> set[int]:
    """Which of these voters already have a ballot on the current item (one query)."""
    if item.resolution is None or not entries:
        return set()
    ids = [e.pk for e in entries]
    if item.amendment is not None:
        rows = AmendmentBallot.objects.filter(amendment=item.amendment, voter_id__in=ids)
        return set(rows.values_list("voter_id", flat=True))
    if item.resolution.secret:
        marks = VoteMark.objects.filter(resolution=item.resolution, voter_id__in=ids)
        return set(marks.values_list("voter_id", flat=True))
    ballots = Ballot.objects.filter(resolution=item.resolution, voter_id__in=ids)
    return set(ballots.values_list("voter_id", flat=True))

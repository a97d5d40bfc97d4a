"""Elections of directors (issue 11): services and reads. See `models_elections.py`.

An election is a set of candidacies, each with its own ordinary resolution (« Élection de … »)
that every voting channel already knows: online and paper postal forms, proxies (named or
blank), live votes, show of hands, secret or named ballots. The elected are computed by the pure
`tally.election_outcome` from the frozen result of each candidate's resolution, and their
mandates are created on the body with their term end.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import TimelineKind
from placette.contacts.services import timeline_append
from placette.governance import services, tally
from placette.governance.models import (
    Body,
    BodyKind,
    Mandate,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Resolution,
    ResolutionKind,
    RollEntry,
)
from placette.governance.models_elections import Candidacy, Election
from placette.lib.audit import audit_log
from placette.lib.refusals import Refusal

AREA = "governance"
MAX_TERM_YEARS = 6  # SA: a director's term is at most six years (L225-18, to verify)


def _check_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise Refusal(_("La réunion est close : plus rien ne peut y être enregistré."))


@transaction.atomic
def election_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    body: Body,
    seats: int,
    college: Any = None,
    term_years: int = MAX_TERM_YEARS,
    secret: bool = True,
) -> Election:
    """An election on the agenda of a general assembly, before the convocation."""
    _check_open(meeting)
    if meeting.is_board or meeting.kind == MeetingKind.AGE:
        raise Refusal(
            _(
                "Les administrateurs sont élus par une assemblée générale ordinaire ou mixte : "
                "choisissez une telle assemblée."
            )
        )
    if meeting.convened_at:
        raise Refusal(_("La convocation est partie : aucune élection ne peut être ajoutée."))
    if body.kind == BodyKind.AG:
        raise Refusal(_("Choisissez l’instance dont on élit les membres (le conseil, un comité…)."))
    if not 1 <= seats <= 50:
        raise Refusal(_("Indiquez entre 1 et 50 sièges à pourvoir."))
    if not 1 <= term_years <= MAX_TERM_YEARS:
        raise Refusal(
            _("Un mandat dure de 1 à %(max)s ans (article L225-18 du Code de commerce).")
            % {"max": MAX_TERM_YEARS}
        )
    election = Election.objects.create(
        meeting=meeting,
        title=title.strip(),
        body=body,
        seats=seats,
        college=college,
        term_years=term_years,
        secret=secret,
    )
    audit_log(
        actor=actor, action="governance.election.added", obj=election, seats=seats, secret=secret
    )
    return election


@transaction.atomic
def candidacy_declare(
    *, actor: Any, election: Election, entry: RollEntry, statement: str = ""
) -> Candidacy:
    """A candidate declared ahead (before the convocation: their resolution is on the
    convocation and agreed by the board) or in session (not agreed: a blank proxy votes
    against). Refused: someone not on the roll frozen at the cut-off date, not a member of the
    college the seats are reserved to, a second candidacy, once a candidate's vote is closed."""
    election = (
        Election.objects.select_for_update(of=("self",))
        .select_related("meeting", "college")
        .get(pk=election.pk)
    )
    meeting = election.meeting
    _check_open(meeting)
    if election.closed_at:
        raise Refusal(_("Le résultat de cette élection est proclamé."))
    if meeting.roll_frozen_at is None:
        raise Refusal(
            _("Arrêtez d’abord la liste des votants : une candidature se vérifie sur cette liste.")
        )
    if entry.meeting_id != meeting.pk:
        raise Refusal(
            _(
                "%(name)s n’est pas sur la liste des votants arrêtée au %(date)s : seul un "
                "associé à cette date peut être candidat."
            )
            % {"name": entry.name, "date": f"{meeting.cutoff_date:%d/%m/%Y}"}
        )
    if election.college is not None and entry.college != election.college.name:
        raise Refusal(
            _(
                "%(name)s vote dans le collège « %(college)s » : les sièges de cette élection "
                "sont réservés au collège « %(reserved)s »."
            )
            % {
                "name": entry.name,
                "college": entry.college or _("aucun"),
                "reserved": election.college.name,
            }
        )
    if election.candidacies.filter(contact_id=entry.contact_id).exists():
        raise Refusal(_("%(name)s est déjà candidat·e à cette élection.") % {"name": entry.name})
    closed = election.candidacies.filter(resolution__closed_at__isnull=False).exists()
    if closed:
        raise Refusal(
            _("Le vote de cette élection a commencé à être clos : plus aucune candidature.")
        )
    in_session = meeting.convened_at is not None
    number = (meeting.resolutions.aggregate(n=Max("number"))["n"] or 0) + 1
    resolution = Resolution.objects.create(
        meeting=meeting,
        number=number,
        title=_("%(election)s — élection de %(name)s")
        % {"election": election.title, "name": entry.name},
        text=_(
            "L’assemblée générale élit %(name)s membre de l’instance « %(body)s » pour "
            "%(years)s ans."
        )
        % {"name": entry.name, "body": election.body.name, "years": election.term_years},
        kind=ResolutionKind.ORDINARY,
        board_approved=not in_session,
        secret=election.secret,
    )
    candidacy = Candidacy.objects.create(
        election=election,
        entry=entry,
        contact_id=entry.contact_id,
        statement=statement.strip(),
        in_session=in_session,
        resolution=resolution,
    )
    audit_log(
        actor=actor,
        action="governance.election.candidacy",
        obj=candidacy,
        election=election.pk,
        resolution=number,
        in_session=in_session,
    )
    timeline_append(
        contact=entry.contact,
        kind=TimelineKind.NOTE,
        title=_("Candidature : %(election)s — %(meeting)s")
        % {"election": election.title, "meeting": meeting.title},
        actor=actor,
        area=AREA,
    )
    return candidacy


def elections_of_all() -> QuerySet[Election]:
    """Elections with their meeting, body, college and candidacies (a constant number of
    queries)."""
    return Election.objects.select_related("meeting", "body", "college").prefetch_related(
        Prefetch(
            "candidacies",
            queryset=Candidacy.objects.select_related("resolution", "entry", "mandate"),
        )
    )


def elections_of(meeting: Meeting) -> QuerySet[Election]:
    """The meeting's elections with their candidacies and resolutions."""
    return elections_of_all().filter(meeting=meeting)


def _candidate(candidacy: Candidacy) -> tally.Candidate:
    result = candidacy.resolution.result or {}
    share = result.get("yes_share")
    return tally.Candidate(
        key=candidacy.pk,
        adopted=bool(candidacy.resolution.adopted),
        yes_share=Fraction(share) if share is not None else None,
        seniority=candidacy.entry.member_number or 10**9,
    )


def _term_end(starts_on: dt.date, years: int) -> dt.date:
    try:
        return starts_on.replace(year=starts_on.year + years)
    except ValueError:  # 29 February
        return starts_on.replace(year=starts_on.year + years, day=28)


def _seat(*, actor: Any, election: Election, candidacy: Candidacy, starts_on: dt.date) -> Mandate:
    """The mandate of an elected candidate; a re-elected director's running mandate ends the day
    before the new one starts (renewal)."""
    running = (
        Mandate.objects.filter(body=election.body, contact_id=candidacy.contact_id)
        .filter(starts_on__lt=starts_on)
        .exclude(ends_on__lt=starts_on)
        .first()
    )
    if running is not None:
        services.mandate_end(
            actor=actor,
            mandate=running,
            ends_on=starts_on - dt.timedelta(days=1),
            reason=_("renouvelé par %(meeting)s") % {"meeting": election.meeting.title},
        )
    return services.mandate_add(
        actor=actor,
        body=election.body,
        contact=candidacy.contact,
        role=_("Administrateur·rice"),
        starts_on=starts_on,
        ends_on=_term_end(starts_on, election.term_years),
        college=election.college,
        elected_at=election.meeting,
    )


@transaction.atomic
def election_close(*, actor: Any, election: Election) -> Election:
    """Proclaim the result once every candidate's vote is closed: the elected (highest weighted
    share of yes among the adopted, the oldest member first at equal share) get their mandate,
    from the meeting day for `term_years` years."""
    election = (
        Election.objects.select_for_update(of=("self",))
        .select_related("meeting", "body", "college")
        .get(pk=election.pk)
    )
    _check_open(election.meeting)
    if election.closed_at:
        raise Refusal(_("Le résultat de cette élection est déjà proclamé."))
    candidacies = list(election.candidacies.select_related("resolution", "entry", "contact"))
    if not candidacies:
        raise Refusal(_("Cette élection n’a aucun·e candidat·e."))
    open_numbers = [str(c.resolution.number) for c in candidacies if not c.resolution.closed_at]
    if open_numbers:
        raise Refusal(
            _("Clôturez d’abord le vote des résolutions n° %(numbers)s.")
            % {"numbers": ", ".join(open_numbers)}
        )
    outcome = tally.election_outcome([_candidate(c) for c in candidacies], seats=election.seats)
    starts_on = timezone.localdate(election.meeting.starts_at)
    by_key = {c.pk: c for c in candidacies}
    rank = {key: i + 1 for i, key in enumerate(outcome.ranking)}
    for candidacy in candidacies:
        candidacy.rank = rank.get(candidacy.pk)
        candidacy.elected = candidacy.pk in outcome.elected
        if candidacy.elected:
            candidacy.mandate = _seat(
                actor=actor, election=election, candidacy=candidacy, starts_on=starts_on
            )
        candidacy.save(update_fields=["rank", "elected", "mandate"])
    election.result = {
        "seats": election.seats,
        "elected": [by_key[key].entry.name for key in outcome.elected],
        "tie_broken": [c.entry.name for c in candidacies if c.pk in outcome.tie_broken],
        "candidates": {
            c.entry.name: {
                "resolution": c.resolution.number,
                "yes_share": (c.resolution.result or {}).get("yes_share"),
                "adopted": bool(c.resolution.adopted),
            }
            for c in candidacies
        },
    }
    election.closed_at = timezone.now()
    election.save(update_fields=["result", "closed_at"])
    audit_log(
        actor=actor,
        action="governance.election.closed",
        obj=election,
        elected=election.result["elected"],
    )
    return election

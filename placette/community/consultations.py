"""Co-construction consultations: writes (proposals, votes, phases) and the results read
with governance's pure tally (`placette.governance.tally`, Fraction throughout).

Rules (tested in tests/test_consultations.py):
- phases only move forward: proposals → vote → closed (with its synthesis);
- only members admitted today propose and vote; a proposal only during the proposal phase,
  a vote only during the vote phase, once per proposal (voting twice is refused);
- « une personne, une voix »: a plain headcount; « pondéré par collège »: each vote counts in
  the college of the voter's category in the statutes in force when it was cast (kept on the
  vote), the colleges weighted by the statutes in force at the close (or today while open),
  with the statutes' policy for a college where nobody voted;
- a proposal is supported when its yes share (abstentions are not votes cast) is more than
  half.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.community.models import (
    Consultation,
    ConsultationPhase,
    Proposal,
    ProposalVote,
    VoteChoice,
    VoteMode,
)
from placette.contacts.models import Contact, TimelineKind
from placette.contacts.services import timeline_append
from placette.governance import tally
from placette.lib.audit import audit_log
from placette.lib.refusals import Refusal

AREA = "community"
SUPPORT = tally.MajorityRule(Fraction(1, 2), inclusive=False)


def _member_college(contact: Contact, on: dt.date) -> tuple[bool, str]:
    """(is a member on `on`, name of the college their category maps to then, or "")."""
    from placette.membership.models import Member, Statutes

    member = Member.objects.active_on(on).filter(contact=contact).first()
    if member is None:
        return False, ""
    statutes = Statutes.objects.in_force(on)
    if statutes is None or not statutes.colleges_enabled:
        return True, ""
    rule = statutes.rules.filter(category_id=member.category_id).select_related("college").first()
    return True, rule.college.name if rule and rule.college else ""


@transaction.atomic
def consultation_create(*, actor: Any, title: str, question: str, vote_mode: str) -> Consultation:
    if not title.strip():
        raise Refusal(_("Donnez un sujet à la consultation."), field="title")
    consultation = Consultation.objects.create(
        title=title.strip(), question=question.strip(), vote_mode=vote_mode
    )
    audit_log(actor=actor, action="community.consultation.created", obj=consultation)
    return consultation


@transaction.atomic
def consultation_open_vote(*, actor: Any, consultation: Consultation) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.phase != ConsultationPhase.PROPOSALS:
        raise Refusal(_("Le vote n’est ouvert qu’à la fin de la phase des propositions."))
    if not consultation.proposals.exists():
        raise Refusal(_("Aucune proposition : il n’y a rien à mettre au vote."))
    consultation.phase = ConsultationPhase.VOTE
    consultation.vote_opened_at = timezone.now()
    consultation.save(update_fields=["phase", "vote_opened_at"])
    audit_log(actor=actor, action="community.consultation.vote_opened", obj=consultation)
    return consultation


@transaction.atomic
def consultation_close(*, actor: Any, consultation: Consultation, synthesis: str) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.phase != ConsultationPhase.VOTE:
        raise Refusal(_("On ne clôt une consultation qu’après sa phase de vote."))
    if not synthesis.strip():
        raise Refusal(_("Rédigez la synthèse avant de clôturer."), field="synthesis")
    consultation.phase = ConsultationPhase.CLOSED
    consultation.synthesis = synthesis.strip()
    consultation.closed_at = timezone.now()
    consultation.save(update_fields=["phase", "synthesis", "closed_at"])
    audit_log(actor=actor, action="community.consultation.closed", obj=consultation)
    return consultation


@transaction.atomic
def proposal_submit(
    *, actor: Any, consultation: Consultation, contact: Contact, title: str, body: str = ""
) -> Proposal:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.phase != ConsultationPhase.PROPOSALS:
        raise Refusal(_("La phase des propositions est close : on ne peut plus en déposer."))
    if not _member_college(contact, timezone.localdate())[0]:
        raise Refusal(_("Seuls les sociétaires peuvent proposer."))
    if not title.strip():
        raise Refusal(_("Donnez un titre à votre proposition."), field="title")
    proposal = Proposal.objects.create(
        consultation=consultation, author=contact, title=title.strip(), body=body.strip()
    )
    timeline_append(
        contact=contact,
        kind=TimelineKind.OTHER,
        title=_("Proposition « %(t)s » à la consultation %(c)s")
        % {"t": proposal.title, "c": consultation.title},
        actor=actor,
        area=AREA,
        link=consultation.get_absolute_url(),
    )
    audit_log(actor=actor, action="community.proposal.submitted", obj=proposal)
    return proposal


@transaction.atomic
def vote_cast(*, actor: Any, proposal: Proposal, contact: Contact, choice: str) -> ProposalVote:
    consultation = Consultation.objects.select_for_update().get(pk=proposal.consultation_id)
    if consultation.phase != ConsultationPhase.VOTE:
        raise Refusal(_("Le vote n’est pas ouvert sur cette consultation."))
    if choice not in VoteChoice.values:
        raise Refusal(_("Choisissez pour, contre ou abstention."), field="choice")
    member, college = _member_college(contact, timezone.localdate())
    if not member:
        raise Refusal(_("Seuls les sociétaires votent."))
    if consultation.vote_mode == VoteMode.COLLEGES and not college:
        raise Refusal(
            _("Votre catégorie n’est rattachée à aucun collège de vote : contactez l’équipe.")
        )
    if ProposalVote.objects.filter(proposal=proposal, contact=contact).exists():
        raise Refusal(_("Vous avez déjà voté sur cette proposition."))
    try:
        with transaction.atomic():
            vote = ProposalVote.objects.create(
                proposal=proposal, contact=contact, choice=choice, college=college
            )
    except IntegrityError as exc:  # a concurrent second vote
        raise Refusal(_("Vous avez déjà voté sur cette proposition.")) from exc
    timeline_append(
        contact=contact,
        kind=TimelineKind.VOTE,
        title=_("Vote à la consultation %(c)s") % {"c": consultation.title},
        actor=actor,
        area=AREA,
        link=consultation.get_absolute_url(),
    )
    audit_log(actor=actor, action="community.vote.cast", obj=vote, college=college)
    return vote


# -- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalResult:
    proposal: Proposal
    counts: dict[str, dict[str, int]]
    outcome: tally.Outcome | None
    note: str = ""


def consultation_results(consultation: Consultation) -> list[ProposalResult]:
    """Each proposal's votes per college and its tally (four queries whatever the votes)."""
    from placette.membership.models import Statutes

    proposals = list(consultation.proposals.select_related("author"))
    counts: dict[int, dict[str, dict[str, int]]] = {p.pk: {} for p in proposals}
    rows = (
        ProposalVote.objects.filter(proposal__consultation=consultation)
        .values("proposal_id", "college", "choice")
        .annotate(n=Count("id"))
        .order_by()
    )
    weighted = consultation.vote_mode == VoteMode.COLLEGES
    for row in rows:
        college = row["college"] if weighted else tally.SINGLE_COLLEGE_NAME
        by_choice = counts[row["proposal_id"]].setdefault(
            college, dict.fromkeys(VoteChoice.values, 0)
        )
        by_choice[row["choice"]] += row["n"]
    weights: dict[str, Fraction] = {}
    policy = "redistribute"
    if weighted:
        on = timezone.localdate(consultation.closed_at) if consultation.closed_at else None
        statutes = Statutes.objects.in_force(on)
        if statutes is not None and statutes.colleges_enabled:
            weights = statutes.college_weights()
            policy = statutes.empty_college_policy
    results = []
    for proposal in proposals:
        by_college = counts[proposal.pk]
        if weighted and not weights:
            results.append(
                ProposalResult(
                    proposal, by_college, None, _("Les statuts en vigueur n’ont pas de collèges.")
                )
            )
            continue
        if weighted:
            colleges = [
                tally.CollegeVotes(
                    name,
                    weight,
                    by_college.get(name, {}).get("yes", 0),
                    by_college.get(name, {}).get("no", 0),
                    by_college.get(name, {}).get("abstain", 0),
                )
                for name, weight in weights.items()
            ]
        else:
            c = by_college.get(tally.SINGLE_COLLEGE_NAME, {})
            colleges = [tally.single_college(c.get("yes", 0), c.get("no", 0), c.get("abstain", 0))]
        outcome = SUPPORT.outcome(colleges, empty_colleges=cast("tally.EmptyCollegePolicy", policy))
        results.append(ProposalResult(proposal, by_college, outcome))
    return results

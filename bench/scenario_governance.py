"""Governance at 100,000 members: freezing the electoral roll of an AG, the live quorum, and
the tally of 100,000 ballots (GROUP BY college, choice in the database, then tally.py), each
beside the raw SQL.

The members come from the share ledger built by bench/scenario_membership.py (its `build()`;
scenarios share the bench database and governance runs first, so it is called here when the
members are missing). Ballots are bulk-inserted (one per voter, random choice): the online
voting service is measured by the test suite, not here.
"""

import datetime as dt
import random

from django.db import connection
from django.utils import timezone

from placette.governance import services
from placette.governance.models import (
    Ballot,
    Body,
    BodyKind,
    Meeting,
    MeetingKind,
    Proxy,
    RollEntry,
)
from placette.membership.models import Member

AREA = "Gouvernance (AG de 100 000 sociétaires)"
MEMBERS = 100_000
ON = dt.date(2024, 12, 31)


def _members() -> None:
    if Member.objects.active_on(ON).count() < MEMBERS * 9 // 10:
        from bench.scenario_membership import build

        build()


def run(report) -> None:
    _members()
    body = Body.objects.get_or_create(name="Assemblée générale", defaults={"kind": BodyKind.AG})[0]
    Meeting.objects.filter(title="AG bench").delete()
    meeting = services.meeting_create(
        actor=None,
        body=body,
        kind=MeetingKind.AGO,
        title="AG bench",
        starts_at=timezone.now() + dt.timedelta(days=30),
        cutoff_date=ON,
        vote_opens_at=timezone.now() - dt.timedelta(days=1),
    )
    resolution = services.resolution_add(
        actor=None, meeting=meeting, title="Approbation des comptes"
    )

    def raw_freeze():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM governance_rollentry WHERE meeting_id = %s", [meeting.pk])
            cursor.execute(
                "INSERT INTO governance_rollentry (meeting_id, contact_id, member_number, name, "
                "category, college, shares, attendance) "
                "SELECT %s, m.contact_id, m.number, c.display_name, cat.name, "
                "COALESCE(col.name, ''), COALESCE((SELECT SUM(mv.shares) FROM "
                "membership_movement mv WHERE mv.holder_id = m.contact_id "
                "AND mv.date <= %s), 0), '' "
                "FROM membership_member m JOIN contacts_contact c ON c.id = m.contact_id "
                "JOIN membership_category cat ON cat.id = m.category_id "
                "LEFT JOIN membership_categoryrule r ON r.category_id = m.category_id "
                "AND r.statutes_id = "
                "(SELECT id FROM membership_statutes WHERE effective_from <= %s "
                "ORDER BY effective_from DESC, id DESC LIMIT 1) "
                "LEFT JOIN membership_college col ON col.id = r.college_id "
                "WHERE m.admitted_on <= %s AND NOT (m.left_on IS NOT NULL AND m.left_on <= %s)",
                [meeting.pk, ON, ON, ON, ON],
            )

    report.timed(
        "arrêter la liste des votants (electoral_roll + 1 insertion groupée)",
        lambda: services.roll_freeze(actor=None, meeting=meeting),
        raw_freeze,
        repeat=1,
    )
    services.roll_freeze(actor=None, meeting=meeting)
    voters = RollEntry.objects.filter(meeting=meeting).count()
    report.fact("votants inscrits", f"{voters:,}".replace(",", " "))

    rng = random.Random(4)
    ids = list(RollEntry.objects.filter(meeting=meeting).values_list("id", "college"))
    present = [i for i, _ in ids if rng.random() < 0.3]
    for start in range(0, len(present), 5000):
        RollEntry.objects.filter(pk__in=present[start : start + 5000]).update(attendance="present")

    # 3 % of the absent give a proxy: half to a member present, half blank (to the chair).
    here = set(present)
    absent = [i for i, _ in ids if i not in here][: len(ids) * 3 // 100]
    Proxy.objects.filter(meeting=meeting).delete()
    Proxy.objects.bulk_create(
        [
            Proxy(meeting=meeting, giver_id=g, holder_id=present[n] if n % 2 else None)
            for n, g in enumerate(absent)
        ],
        batch_size=5000,
    )
    for start in range(0, len(absent), 5000):
        RollEntry.objects.filter(pk__in=absent[start : start + 5000]).update(
            attendance="represented"
        )

    def raw_quorum():
        # the same rule as quorum_status: a proxy counts if its holder is present or remote,
        # a blank one (holder NULL) once the meeting is held
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*), SUM(CASE WHEN r.attendance IN ('present', 'remote', 'postal') "
                "THEN 1 WHEN r.attendance = 'represented' AND (h.attendance IN ('present', "
                "'remote') OR (p.id IS NOT NULL AND p.holder_id IS NULL)) THEN 1 ELSE 0 END) "
                "FROM governance_rollentry r "
                "LEFT JOIN governance_proxy p ON p.giver_id = r.id "
                "LEFT JOIN governance_rollentry h ON h.id = p.holder_id "
                "WHERE r.meeting_id = %s",
                [meeting.pk],
            )
            cursor.fetchone()

    report.timed(
        "quorum en direct (1 agrégat, pouvoirs comptés si le mandataire est là)",
        lambda: services.quorum_status(meeting, now=meeting.starts_at),
        raw_quorum,
    )

    Ballot.objects.filter(resolution=resolution).delete()
    choices = ["yes", "yes", "no", "abstain"]
    Ballot.objects.bulk_create(
        [
            Ballot(
                resolution=resolution,
                voter_id=i,
                college=college,
                choice=rng.choice(choices),
                channel="online",
            )
            for i, college in ids
        ],
        batch_size=5000,
    )

    def raw_tally():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT college, choice, COUNT(*) FROM governance_ballot WHERE resolution_id = %s "
                "GROUP BY college, choice",
                [resolution.pk],
            )
            cursor.fetchall()

    result = services.resolution_result(resolution)
    report.timed(
        f"dépouillement de {len(ids):,} bulletins (GROUP BY + tally pondéré)".replace(",", " "),
        lambda: services.resolution_result(resolution),
        raw_tally,
    )
    report.notes.append(
        f"résultat pondéré : {services.fraction_text(result.outcome.yes_share)}, "
        f"{'adoptée' if result.adopted else 'rejetée'} ; "
        f"quorum {services.quorum_status(meeting).counted} "
        f"sur {voters}"
    )

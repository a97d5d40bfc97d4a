"""Issue 11, elections of directors: candidacies with their statement, one resolution per
candidate voted through every channel (online, paper postal form, proxy, live), the elected
computed with the college weights (hand-computed below), their mandates; bad input."""

import datetime as dt
from fractions import Fraction

from django.urls import reverse
from django.utils import timezone

from placette.contacts.models import TimelineEntry
from placette.governance import elections, live, services, tally
from placette.governance.models import Attendance, Body, BodyKind, Mandate, RollEntry
from placette.governance.tests.helpers import make_ag, make_member, make_statutes, start
from placette.lib.models import AuditEntry
from placette.lib.refusals import Refusal
from placette.membership.models import College
from placette.test import BaseTestCase


def board() -> Body:
    return Body.objects.get_or_create(
        name="Conseil d’administration", defaults={"kind": BodyKind.BOARD}
    )[0]


class ElectionTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_member("Alice", "a")
        cls.arthur = make_member("Arthur", "a", email="")
        cls.bruno = make_member("Bruno", "b")
        cls.berthe = make_member("Berthe", "b")
        cls.carla = make_member("Carla", "c")
        cls.cyril = make_member("Cyril", "c")
        cls.denis = make_member("Denis", "d")
        cls.diane = make_member("Diane", "d")

    def assert_refused(self, call, fragment):
        with self.assertRaises(Refusal) as ctx:
            call()
        text = " ".join(ctx.exception.messages)
        self.assertIn(fragment, text)
        return text

    def entry(self, meeting, contact):
        return RollEntry.objects.get(meeting=meeting, contact=contact)

    def election(self, *, secret=True, seats=2, candidates=("carla", "bruno", "denis")):
        meeting = make_ag(resolutions=0)
        election = elections.election_add(
            actor=self.staff,
            meeting=meeting,
            title="Renouvellement du conseil",
            body=board(),
            seats=seats,
            secret=secret,
            term_years=3,
        )
        for name in candidates:
            elections.candidacy_declare(
                actor=self.staff,
                election=election,
                entry=self.entry(meeting, getattr(self, name)),
                statement=f"Profession de foi de {name}.",
            )
        return meeting, election


class ElectionScenarioTests(ElectionTestCase):
    """Colleges A 2/5, B 1/4, C 1/4, D 1/10; two seats; candidates Carla (R1), Bruno (R2),
    Denis (R3). Alice and Diane vote online, Arthur (no e-mail) on a paper postal form, Cyril
    gives a proxy to Berthe, who votes for both live; Bruno and Carla vote live, present; Denis
    remote.

    | voter  | college | channel        | R1 Carla | R2 Bruno | R3 Denis |
    | Alice  | A       | online         | yes      | no       | yes      |
    | Arthur | A       | paper form     | yes      | yes      | no       |
    | Berthe | B       | live           | no       | yes      | yes      |
    | Bruno  | B       | live           | abstain  | yes      | no       |
    | Cyril  | C       | proxy (Berthe) | yes      | no       | no       |
    | Carla  | C       | live           | yes      | yes      | abstain  |
    | Denis  | D       | live, remote   | no       | no       | yes      |
    | Diane  | D       | online         | no       | no       | yes      |

    R1: A 2/2 = 1, B 0/1 = 0, C 2/2 = 1, D 0/2 = 0 → 2/5 + 1/4 = 13/20, adopted.
    R2: A 1/2, B 2/2 = 1, C 1/2, D 0 → 1/5 + 1/4 + 1/8 = 23/40, adopted.
    R3: A 1/2, B 1/2, C 0/1 = 0, D 2/2 = 1 → 1/5 + 1/8 + 1/10 = 17/40, rejected — while a
    headcount (4 yes, 3 no) would have elected Denis.
    Elected: Carla (13/20 = 26/40) first, Bruno (23/40) second.
    """

    VOTES = {
        "alice": ("yes", "no", "yes"),
        "arthur": ("yes", "yes", "no"),
        "berthe": ("no", "yes", "yes"),
        "bruno": ("abstain", "yes", "no"),
        "cyril": ("yes", "no", "no"),
        "carla": ("yes", "yes", "abstain"),
        "denis": ("no", "no", "yes"),
        "diane": ("no", "no", "yes"),
    }

    def run_scenario(self, *, secret):
        meeting, election = self.election(secret=secret)
        resolutions = [c.resolution for c in election.candidacies.order_by("resolution__number")]
        choices = lambda name: dict(zip(resolutions, self.VOTES[name], strict=True))  # noqa: E731
        services.proxy_give(actor=None, meeting=meeting, giver=self.cyril, holder=self.berthe)
        services.meeting_convene(actor=self.staff, meeting=meeting)
        meeting.refresh_from_db()
        for name in ("alice", "diane"):
            services.ballot_cast(
                actor=None, meeting=meeting, voter=getattr(self, name), choices=choices(name)
            )
        services.postal_form_record(
            actor=self.staff,
            meeting=meeting,
            voter=self.entry(meeting, self.arthur),
            choices=choices("arthur"),
            received_on=timezone.localdate(),
        )
        meeting = start(meeting)
        for name in ("berthe", "bruno", "carla"):
            live.checkin_record(actor=self.staff, entry=self.entry(meeting, getattr(self, name)))
        live.checkin_record(
            actor=self.staff, entry=self.entry(meeting, self.denis), mode=Attendance.REMOTE
        )
        for i, resolution in enumerate(resolutions):
            live.live_vote_open(actor=self.staff, resolution=resolution)
            for name, holder in [
                ("berthe", "berthe"),
                ("cyril", "berthe"),
                ("bruno", "bruno"),
                ("carla", "carla"),
                ("denis", "denis"),
            ]:
                live.live_ballot_cast(
                    actor=None,
                    resolution=resolution,
                    voter=getattr(self, holder),
                    for_entry=self.entry(meeting, getattr(self, name)),
                    choice=self.VOTES[name][i],
                )
            live.live_vote_close(actor=self.staff, resolution=resolution)
        election = elections.election_close(actor=self.staff, election=election)
        return meeting, election, resolutions

    def check_result(self, meeting, election, resolutions):
        for resolution in resolutions:
            resolution.refresh_from_db()
        shares = [Fraction(r.result["yes_share"]) for r in resolutions]
        self.assertEqual(shares, [Fraction(13, 20), Fraction(23, 40), Fraction(17, 40)])
        self.assertEqual([r.adopted for r in resolutions], [True, True, False])
        self.assertEqual(resolutions[2].result["counts"]["Soutiens"]["yes"], 2)
        self.assertEqual(
            resolutions[0].result["counts"]["Bénéficiaires professionnels et collectivités"],
            {"yes": 2, "no": 0, "abstain": 0},  # Cyril's proxy counts in his college, C
        )
        self.assertEqual(election.result["elected"], ["Carla TEST", "Bruno TEST"])
        candidacies = {c.contact_id: c for c in election.candidacies.all()}
        self.assertEqual((candidacies[self.carla.pk].rank, candidacies[self.bruno.pk].rank), (1, 2))
        self.assertFalse(candidacies[self.denis.pk].elected)
        mandates = Mandate.objects.filter(body=board(), elected_at=meeting).order_by("contact_id")
        self.assertEqual({m.contact_id for m in mandates}, {self.carla.pk, self.bruno.pk})
        day = timezone.localdate(meeting.starts_at)
        for mandate in mandates:
            self.assertEqual(
                (mandate.starts_on, mandate.ends_on), (day, day.replace(year=day.year + 3))
            )

    def test_a_secret_election_counted_by_college_elects_carla_and_bruno_not_denis(self):
        meeting, election, resolutions = self.run_scenario(secret=True)
        self.check_result(meeting, election, resolutions)
        texts = " ".join(
            f"{title} {body}" for title, body in TimelineEntry.objects.values_list("title", "body")
        )
        self.assertIn("A voté en séance", texts)
        self.assertNotRegex(texts, r"\b(pour|contre|abstention)\b")
        for audit in AuditEntry.objects.filter(action__startswith="governance."):
            self.assertFalse({"choice", "choices"} & set(audit.details), audit.action)
            self.assertFalse({"yes", "no", "abstain"} & set(map(str, audit.details.values())))

    def test_a_named_election_gives_the_same_result(self):
        meeting, election, resolutions = self.run_scenario(secret=False)
        self.check_result(meeting, election, resolutions)

    def test_the_pv_and_the_convocation_print_the_election_and_the_elected(self):
        meeting, election, _ = self.run_scenario(secret=True)
        text = services.minutes_text(meeting)
        self.assertIn("Renouvellement du conseil", text)
        self.assertIn("2 siège(s) à pourvoir", text)
        self.assertIn("Élu·es : Carla TEST, Bruno TEST", text)
        self.assertIn("Profession de foi de carla.", text)
        legal = services.convocation_legal(meeting)
        self.assertEqual([e.pk for e in legal["elections"]], [election.pk])


class ElectionRuleTests(ElectionTestCase):
    def test_a_re_elected_director_s_running_mandate_ends_the_day_before_the_new_one(self):
        old = services.mandate_add(
            actor=None,
            body=board(),
            contact=self.carla,
            role="Administratrice",
            starts_on=dt.date(2020, 6, 1),
        )
        meeting, election = self.election(seats=1, candidates=("carla",))
        services.meeting_convene(actor=self.staff, meeting=meeting)
        meeting = start(meeting)
        resolution = election.candidacies.get().resolution
        live.checkin_record(actor=self.staff, entry=self.entry(meeting, self.carla))
        live.checkin_record(actor=self.staff, entry=self.entry(meeting, self.alice))
        services.ballot_record(
            actor=self.staff,
            resolution=resolution,
            voter=self.entry(meeting, self.alice),
            choice="yes",
        )
        services.resolution_close(actor=self.staff, resolution=resolution)
        elections.election_close(actor=self.staff, election=election)
        old.refresh_from_db()
        day = timezone.localdate(meeting.starts_at)
        self.assertEqual(old.ends_on, day - dt.timedelta(days=1))
        self.assertTrue(Mandate.objects.filter(contact=self.carla, starts_on=day).exists())

    def test_a_candidate_outside_the_reserved_college_is_refused_and_nothing_is_recorded(self):
        meeting = make_ag(resolutions=0)
        election = elections.election_add(
            actor=None,
            meeting=meeting,
            title="Siège des salariés",
            body=board(),
            seats=1,
            college=College.objects.get(code="gov-a"),
        )
        self.assert_refused(
            lambda: elections.candidacy_declare(
                actor=None, election=election, entry=self.entry(meeting, self.bruno)
            ),
            "réservés au collège « Bénévoles et salariés »",
        )
        self.assertEqual(meeting.resolutions.count(), 0)
        elections.candidacy_declare(
            actor=None, election=election, entry=self.entry(meeting, self.alice)
        )
        self.assertEqual(meeting.resolutions.count(), 1)

    def test_a_second_candidacy_and_a_candidate_from_another_roll_are_refused(self):
        meeting, election = self.election(candidates=("carla",))
        self.assert_refused(
            lambda: elections.candidacy_declare(
                actor=None, election=election, entry=self.entry(meeting, self.carla)
            ),
            "déjà candidat·e",
        )
        other = make_ag(resolutions=0)
        self.assert_refused(
            lambda: elections.candidacy_declare(
                actor=None, election=election, entry=self.entry(other, self.alice)
            ),
            "n’est pas sur la liste des votants arrêtée",
        )
        self.assertEqual(election.candidacies.count(), 1)

    def test_an_election_is_refused_after_the_convocation_or_in_an_extraordinary_assembly(self):
        meeting = make_ag(resolutions=1)
        services.meeting_convene(actor=self.staff, meeting=meeting)
        meeting.refresh_from_db()
        self.assert_refused(
            lambda: elections.election_add(
                actor=None, meeting=meeting, title="x", body=board(), seats=1
            ),
            "La convocation est partie",
        )
        age = make_ag(kind="AGE")
        self.assert_refused(
            lambda: elections.election_add(
                actor=None, meeting=age, title="x", body=board(), seats=1
            ),
            "assemblée générale ordinaire ou mixte",
        )
        self.assert_refused(
            lambda: elections.election_add(
                actor=None, meeting=make_ag(), title="x", body=board(), seats=1, term_years=7
            ),
            "de 1 à 6 ans",
        )

    def test_a_candidacy_in_session_is_not_agreed_by_the_board(self):
        meeting, election = self.election(candidates=("carla",))
        services.meeting_convene(actor=self.staff, meeting=meeting)
        meeting = start(meeting)
        candidacy = elections.candidacy_declare(
            actor=None, election=election, entry=self.entry(meeting, self.alice)
        )
        self.assertTrue(candidacy.in_session)
        self.assertFalse(candidacy.resolution.board_approved)
        self.assertTrue(election.candidacies.get(contact=self.carla).resolution.board_approved)

    def test_the_result_waits_for_every_candidate_s_vote_and_the_meeting_for_the_result(self):
        meeting, election = self.election(candidates=("carla", "bruno"))
        services.meeting_convene(actor=self.staff, meeting=meeting)
        meeting = start(meeting)
        self.assert_refused(
            lambda: elections.election_close(actor=None, election=election),
            "Clôturez d’abord le vote des résolutions n° 1, 2",
        )
        self.assertIsNone(election.closed_at)


class ElectionOutcomeTests(BaseTestCase):
    def test_a_tie_at_the_last_seat_goes_to_the_oldest_member(self):
        c = tally.Candidate
        outcome = tally.election_outcome(
            [
                c(1, True, Fraction(3, 5), 40),
                c(2, True, Fraction(11, 20), 30),
                c(3, True, Fraction(11, 20), 12),
                c(4, False, Fraction(1, 2), 1),
            ],
            seats=2,
        )
        self.assertEqual(outcome.elected, (1, 3))
        self.assertEqual(outcome.ranking, (1, 3, 2))
        self.assertEqual(outcome.tie_broken, (3, 2))

    def test_seats_stay_vacant_when_fewer_candidates_are_adopted(self):
        c = tally.Candidate
        outcome = tally.election_outcome(
            [c(1, False, Fraction(1, 2), 1), c(2, True, Fraction(2, 3), 2)], seats=3
        )
        self.assertEqual((outcome.elected, outcome.tie_broken), ((2,), ()))

    def test_an_election_without_a_seat_is_refused(self):
        with self.assertRaises(ValueError):
            tally.election_outcome([], seats=0)


class ElectionViewTests(ElectionTestCase):
    def test_the_election_pages_are_staff_only(self):
        meeting, election = self.election(candidates=("carla",))
        for url in (
            reverse("governance:election", args=[election.pk]),
            reverse("governance:election_close", args=[election.pk]),
        ):
            self.assert_staff_only(url)
            self.assert_staff_only(url, method="post")
        self.assert_staff_only(reverse("governance:election_add", args=[meeting.pk]), "post")
        self.assertEqual(election.candidacies.count(), 1)

    def test_staff_add_an_election_record_a_candidacy_by_member_number_and_proclaim(self):
        meeting = make_ag(resolutions=0)
        self.login(self.staff)
        response = self.client.post(
            reverse("governance:election_add", args=[meeting.pk]),
            {
                "elec-title": "Élection du conseil",
                "elec-body": board().pk,
                "elec-seats": 1,
                "elec-term_years": 6,
                "elec-secret": "on",
            },
        )
        election = meeting.elections.get()
        self.assertRedirects(response, reverse("governance:election", args=[election.pk]))
        url = reverse("governance:election", args=[election.pk])
        entry = self.entry(meeting, self.carla)
        self.client.post(
            url, {"cand-member_number": entry.member_number, "cand-statement": "Je m’engage."}
        )
        response = self.client.post(url, {"cand-member_number": 99999, "cand-statement": ""})
        self.assertContains(response, "Aucun votant n° 99999")
        page = self.client.get(url)
        self.assertContains(page, "Je m’engage.")
        self.assertContains(page, "1 siège à pourvoir")
        with self.assertNumQueries(7):  # session, user, election, candidacies; session save
            self.client.get(url)
        close = reverse("governance:election_close", args=[election.pk])
        self.assertContains(self.client.get(close), "Clôturez d’abord le vote des résolutions n° 1")
        services.meeting_convene(actor=self.staff, meeting=meeting)
        meeting = start(meeting)
        resolution = election.candidacies.get().resolution
        live.checkin_record(actor=self.staff, entry=entry)
        live.checkin_record(actor=self.staff, entry=self.entry(meeting, self.alice))
        services.ballot_record(actor=self.staff, resolution=resolution, voter=entry, choice="yes")
        services.resolution_close(actor=self.staff, resolution=resolution)
        self.client.post(close, {"confirm": "1"})
        election.refresh_from_db()
        self.assertEqual(election.result["elected"], ["Carla TEST"])
        self.assertContains(self.client.get(url), "élu·e (rang 1)")
        self.assertContains(
            self.client.get(reverse("governance:meeting", args=[meeting.pk])), "résultat proclamé"
        )

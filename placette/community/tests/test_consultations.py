from fractions import Fraction

from django.urls import reverse

from placette.community import consultations as consult
from placette.community.models import ConsultationPhase, Proposal, ProposalVote
from placette.contacts.models import TimelineEntry
from placette.governance.tests.helpers import make_member, make_statutes
from placette.lib.refusals import Refusal
from placette.test import BaseTestCase


class ConsultationTests(BaseTestCase):
    def setUp(self):
        make_statutes()
        self.voter_a = make_member("Alba", "a")  # college weighing 40 %
        self.voters_d = [make_member(f"Dora{i}", "d") for i in range(3)]  # 10 %

    def run_vote(self, mode):
        item = consult.consultation_create(
            actor=self.staff, title="Critères d’investissement", question="?", vote_mode=mode
        )
        proposal = consult.proposal_submit(
            actor=None, consultation=item, contact=self.voter_a, title="Priorité aux villages"
        )
        consult.consultation_open_vote(actor=self.staff, consultation=item)
        consult.vote_cast(actor=None, proposal=proposal, contact=self.voter_a, choice="yes")
        for voter in self.voters_d:
            consult.vote_cast(actor=None, proposal=proposal, contact=voter, choice="no")
        return item, proposal

    def test_one_person_one_vote_counts_heads(self):
        item, _ = self.run_vote("headcount")
        (result,) = consult.consultation_results(item)
        self.assertEqual(result.outcome.yes_share, Fraction(1, 4))
        self.assertFalse(result.outcome.adopted)

    def test_a_vote_weighted_by_college_uses_the_governance_tally_with_fractions(self):
        item, _proposal = self.run_vote("colleges")
        self.assertEqual(
            set(ProposalVote.objects.values_list("college", flat=True)),
            {"Bénévoles et salariés", "Soutiens"},
        )
        with self.assertNumQueries(4):
            (result,) = consult.consultation_results(item)
        # (40 % × 1 + 10 % × 0) / 50 % of the colleges that voted = 4/5
        self.assertEqual(result.outcome.yes_share, Fraction(4, 5))
        self.assertTrue(result.outcome.adopted)
        self.assertTrue(
            TimelineEntry.objects.filter(
                contact=self.voter_a, kind="vote", area="community"
            ).exists()
        )

    def test_voting_twice_is_refused_and_changes_nothing(self):
        _item, proposal = self.run_vote("headcount")
        with self.assertRaises(Refusal) as caught:
            consult.vote_cast(actor=None, proposal=proposal, contact=self.voter_a, choice="no")
        self.assertIn("déjà voté", caught.exception.messages[0])
        self.assertEqual(ProposalVote.objects.get(contact=self.voter_a).choice, "yes")

    def test_proposing_in_a_closed_phase_or_as_a_non_member_is_refused(self):
        item, _ = self.run_vote("headcount")
        with self.assertRaises(Refusal):
            consult.proposal_submit(
                actor=None, consultation=item, contact=self.voter_a, title="Tard"
            )
        consult.consultation_close(actor=self.staff, consultation=item, synthesis="Adopté : v2.")
        item.refresh_from_db()
        self.assertEqual(item.phase, ConsultationPhase.CLOSED)
        with self.assertRaises(Refusal):
            consult.vote_cast(
                actor=None, proposal=item.proposals.get(), contact=self.voters_d[0], choice="yes"
            )
        other = consult.consultation_create(
            actor=None, title="X", question="?", vote_mode="headcount"
        )
        with self.assertRaises(Refusal):
            consult.proposal_submit(
                actor=None,
                consultation=other,
                contact=self.staff.contact,
                title="Je ne suis pas sociétaire",
            )
        self.assertEqual(Proposal.objects.count(), 1)

    def test_closing_needs_a_synthesis_and_the_vote_phase(self):
        item = consult.consultation_create(
            actor=None, title="X", question="?", vote_mode="headcount"
        )
        with self.assertRaises(Refusal):
            consult.consultation_open_vote(actor=None, consultation=item)  # no proposal
        with self.assertRaises(Refusal):
            consult.consultation_close(actor=None, consultation=item, synthesis="s")


class ConsultationViewTests(BaseTestCase):
    def setUp(self):
        make_statutes()
        make_member("Marc", "b", contact=self.member.contact)
        self.item = consult.consultation_create(
            actor=None,
            title="Critères d’investissement",
            question="Quels critères ?",
            vote_mode="colleges",
        )

    def test_consultation_pages_are_for_the_team_and_member_pages_need_an_account(self):
        for name, method in [
            ("community:consultations", "get"),
            ("community:consultation", "get"),
            ("community:consultation_open_vote", "post"),
            ("community:consultation_close", "post"),
        ]:
            args = [] if name == "community:consultations" else [self.item.pk]
            self.assert_staff_only(reverse(name, args=args), method=method)
        response = self.client.get(reverse("community_portal:consultation", args=[self.item.pk]))
        self.assertEqual(response.status_code, 302)
        self.item.refresh_from_db()
        self.assertEqual(self.item.phase, ConsultationPhase.PROPOSALS)

    def test_a_member_proposes_then_votes_from_the_member_space_and_the_team_closes(self):
        self.login(self.member)
        url = reverse("community_portal:consultation", args=[self.item.pk])
        self.client.post(url, {"title": "Un lieu par canton", "body": ""})
        proposal = Proposal.objects.get()
        self.login(self.staff)
        open_url = reverse("community:consultation_open_vote", args=[self.item.pk])
        self.assertContains(self.client.post(open_url), "propositions mises au vote")
        self.client.post(open_url, {"confirm": "1"})
        self.login(self.member)
        self.client.post(reverse("community_portal:vote", args=[proposal.pk]), {"choice": "yes"})
        again = self.client.post(
            reverse("community_portal:vote", args=[proposal.pk]), {"choice": "no"}, follow=True
        )
        self.assertContains(again, "déjà voté")
        self.login(self.staff)
        self.assertContains(self.client.get(self.item.get_absolute_url()), "100")
        self.client.post(
            reverse("community:consultation_close", args=[self.item.pk]),
            {"synthesis": "Critères v2 adoptés.", "confirm": "1"},
        )
        self.login(self.member)
        self.assertContains(self.client.get(url), "Critères v2 adoptés.")

    def test_the_consultations_list_keeps_a_constant_query_count(self):
        self.login(self.staff)
        self.assert_constant_queries(
            reverse("community:consultations"),
            lambda n: [
                consult.consultation_create(
                    actor=None, title=f"C{i}", question="?", vote_mode="headcount"
                )
                for i in range(n)
            ],
        )

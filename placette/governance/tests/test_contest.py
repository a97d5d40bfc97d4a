"""Issue 11, a member who contests the AG's result: from their space they check the roll frozen
at the cut-off date, the quorum, each resolution's frozen result by college against a recount
of the stored ballots, their own named vote and their secret ballot with their receipt."""

from django.urls import reverse

from placette.governance import services
from placette.governance.models import Ballot
from placette.governance.tests.helpers import make_ag, make_member, make_statutes, start
from placette.test import BaseTestCase


class ContestTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_member("Alice", "a")
        cls.bruno = make_member("Bruno", "b")
        make_member("Marc", "b", contact=cls.member.contact)

    def held_meeting(self, *, close=True):
        meeting = make_ag(resolutions=1)
        named = meeting.resolutions.get()
        secret = services.resolution_add(
            actor=None, meeting=meeting, title="Élection secrète", secret=True
        )
        receipts: list[services.Receipt] = []
        services.ballot_cast(
            actor=None,
            meeting=meeting,
            voter=self.member.contact,
            choices={named: "yes", secret: "no"},
            receipts=receipts,
        )
        services.ballot_cast(
            actor=None, meeting=meeting, voter=self.alice, choices={named: "no", secret: "yes"}
        )
        services.meeting_convene(actor=None, meeting=meeting)
        meeting = start(meeting)
        if close:
            for resolution in (named, secret):
                services.resolution_close(actor=None, resolution=resolution)
            services.meeting_close(actor=None, meeting=meeting)
        return meeting, named, secret, receipts[0]

    def test_a_voter_checks_the_roll_the_quorum_each_result_by_college_and_their_receipt(self):
        meeting, _named, secret, receipt = self.held_meeting()
        self.login(self.member)
        url = reverse("governance_portal:results", args=[meeting.pk])
        self.assertContains(
            self.client.get(reverse("governance_portal:meeting", args=[meeting.pk])), url
        )
        page = self.client.get(url)
        self.assertContains(page, f"Liste arrêtée au {meeting.cutoff_date:%d/%m/%Y}")
        self.assertContains(page, "3 votant(s)")
        self.assertContains(page, "collège « Bénéficiaires individuels »")
        self.assertContains(page, "2 sur 3 (présents 0, à distance 0, représentés 0")
        self.assertContains(page, "Quorum atteint.")
        self.assertContains(page, "Quorum à la clôture du vote : 2 sur 3.", count=2)
        self.assertContains(page, "identique au résultat proclamé", count=2)
        self.assertContains(page, "Votre vote enregistré : pour")
        self.assertContains(page, "Bulletin secret : vous avez voté.")
        self.assertContains(page, "Bénévoles et salariés")  # Alice's college, in the table
        self.assertNotContains(page, "différent du résultat proclamé")
        fingerprints = reverse("governance_portal:fingerprints", args=[secret.pk])
        found = self.client.get(fingerprints, {"empreinte": receipt.fingerprint})
        self.assertContains(found, "Votre bulletin est dans l’urne et compté.")
        forged = self.client.get(fingerprints, {"empreinte": "0" * 64})
        self.assertContains(forged, "Aucun bulletin ne porte cette empreinte.")

    def test_a_ballot_removed_after_the_close_shows_as_a_different_recount(self):
        meeting, named, _secret, _receipt = self.held_meeting()
        Ballot.objects.filter(resolution=named, voter__contact=self.alice).delete()
        self.login(self.member)
        page = self.client.get(reverse("governance_portal:results", args=[meeting.pk]))
        self.assertContains(page, "différent du résultat proclamé", count=1)

    def test_before_any_vote_is_closed_nothing_is_said_adopted(self):
        meeting, *_ = self.held_meeting(close=False)
        self.login(self.member)
        page = self.client.get(reverse("governance_portal:results", args=[meeting.pk]))
        self.assertContains(page, "Aucun vote n’est encore clos.")
        self.assertNotContains(page, "adoptée")

    def test_the_results_page_is_for_the_voters_on_the_roll_only(self):
        meeting, *_ = self.held_meeting()
        url = reverse("governance_portal:results", args=[meeting.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("account_login")))
        self.login(self.other_member)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.member)
        with self.assertNumQueries(23):  # 4 a closed resolution (its recount), 15 else
            self.assertEqual(self.client.get(url).status_code, 200)

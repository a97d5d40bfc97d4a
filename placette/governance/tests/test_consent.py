"""Electronic convocation (R225-63) as governance reads it from the consent ledger of
contacts: the convocation follows the choice in force, the member sees and changes it in
/espace/gouvernance/ (the rules of the ledger itself are tested in contacts)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from placette.contacts.models import ConsentPurpose, ConsentRecord, ConsentSource
from placette.contacts.services import consent_purpose
from placette.governance import services
from placette.governance.models import Channel
from placette.governance.tests.helpers import make_ag, make_member, make_statutes
from placette.test import BaseTestCase, give_consent


class ConvocationConsentTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_member("Alice", "a")
        make_member("Marc", "b", contact=cls.member.contact)

    def _convene(self):
        meeting = make_ag()
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=meeting)
        return meeting

    def test_the_convocation_follows_the_latest_choice(self):
        give_consent(self.alice, at=timezone.now() - dt.timedelta(days=3))
        give_consent(self.alice, given=False, at=timezone.now() - dt.timedelta(days=1))
        meeting = self._convene()
        self.assertEqual(meeting.convocations.get(contact=self.alice).channel, Channel.LETTER)

    def test_a_consent_on_any_purpose_other_than_the_convocation_does_not_convene_by_email(self):
        give_consent(self.alice, "investor-newsletter")
        meeting = self._convene()
        self.assertEqual(meeting.convocations.get(contact=self.alice).channel, Channel.LETTER)

    def test_a_consent_recorded_by_the_team_convenes_by_email(self):
        give_consent(self.alice, actor=self.staff)
        meeting = self._convene()
        convocation = meeting.convocations.get(contact=self.alice)
        self.assertEqual(
            (convocation.channel, convocation.email), (Channel.EMAIL, "alice@exemple.fr")
        )

    def test_a_member_switches_to_email_and_back_to_post_in_the_members_space(self):
        me = self.member.contact
        purpose = consent_purpose(ConsentPurpose.AG_CONVOCATION)
        self.login(self.member)
        home = reverse("governance_portal:home")
        page = self.client.get(home)
        self.assertContains(page, "par courrier postal")
        self.assertContains(page, purpose.consent_text)
        url = reverse("contacts_portal:consents")
        data = {"purpose": purpose.code, "version": purpose.version, "next": home}
        response = self.client.post(url, {**data, "given": "1"})
        self.assertRedirects(response, home)
        page = self.client.get(home)
        self.assertContains(page, "Vous êtes convoqué·e par e-mail")
        self.assertContains(page, purpose.withdrawal_text)
        self.client.post(url, {**data, "given": "0"})
        self.assertContains(self.client.get(home), "par courrier postal")
        history = ConsentRecord.objects.filter(contact=me).order_by("at", "id")
        self.assertEqual([h.given for h in history], [True, False])
        self.assertEqual({h.recorded_by for h in history}, {self.member})
        self.assertEqual({h.source for h in history}, {ConsentSource.PORTAL})
        self.assertEqual([h.text for h in history], [purpose.consent_text, purpose.withdrawal_text])

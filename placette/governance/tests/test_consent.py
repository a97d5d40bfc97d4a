"""Electronic-convocation consent (R225-63): one source of truth, idempotent, with its history
(who, when, from where, which words), switched by the member in /espace/gouvernance/."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from placette.contacts.models import TimelineEntry
from placette.governance import services
from placette.governance.models import (
    CONSENT_TEXT,
    WITHDRAWAL_TEXT,
    Channel,
    ConvocationConsent,
    ConvocationConsentChange,
)
from placette.governance.tests.helpers import make_ag, make_member, make_statutes
from placette.lib.refusals import Refusal
from placette.test import BaseTestCase, make_contact


class ConsentTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_member("Alice", "a")
        make_member("Marc", "b", contact=cls.member.contact)

    def test_setting_the_same_choice_twice_changes_nothing(self):
        services.consent_set(actor=None, contact=self.alice, electronic=True, source="bulletin")
        first = ConvocationConsent.objects.get(contact=self.alice).changed_at
        timeline = TimelineEntry.objects.filter(contact=self.alice).count()
        services.consent_set(actor=None, contact=self.alice, electronic=True, source="bulletin")
        self.assertEqual(ConvocationConsentChange.objects.filter(contact=self.alice).count(), 1)
        self.assertEqual(ConvocationConsent.objects.get(contact=self.alice).changed_at, first)
        self.assertEqual(TimelineEntry.objects.filter(contact=self.alice).count(), timeline)

    def test_every_change_is_kept_with_who_when_source_and_text(self):
        t0 = timezone.now() - dt.timedelta(days=30)
        services.consent_set(
            actor=None,
            contact=self.alice,
            electronic=True,
            source="bulletin de souscription",
            text="J’accepte la convocation électronique (bulletin v2).",
            email="alice.pro@exemple.fr",
            at=t0,
        )
        services.consent_set(
            actor=self.staff, contact=self.alice, electronic=False, source="courrier reçu"
        )
        services.consent_set(actor=None, contact=self.alice, electronic=True, source="espace")
        history = list(
            ConvocationConsentChange.objects.filter(contact=self.alice).order_by("at", "id")
        )
        self.assertEqual([h.electronic for h in history], [True, False, True])
        self.assertEqual(history[0].at, t0)
        self.assertEqual(history[0].email, "alice.pro@exemple.fr")
        self.assertEqual(history[0].text, "J’accepte la convocation électronique (bulletin v2).")
        self.assertEqual((history[1].changed_by, history[1].text), (self.staff, WITHDRAWAL_TEXT))
        self.assertEqual(history[2].text, CONSENT_TEXT)
        current = ConvocationConsent.objects.get(contact=self.alice)
        self.assertEqual((current.electronic, current.source), (True, "espace"))

    def test_consent_without_any_address_is_refused_and_nothing_is_saved(self):
        nomail = make_contact(first_name="Sans", last_name="Mail", email="")
        with self.assertRaisesMessage(Refusal, "adresse e-mail est nécessaire"):
            services.consent_set(actor=None, contact=nomail, electronic=True)
        self.assertFalse(ConvocationConsent.objects.filter(contact=nomail).exists())
        self.assertFalse(ConvocationConsentChange.objects.filter(contact=nomail).exists())

    def test_a_member_switches_to_email_and_back_to_post_in_the_members_space(self):
        me = self.member.contact
        self.login(self.member)
        home = reverse("governance_portal:home")
        self.assertContains(self.client.get(home), "par courrier postal")
        self.client.post(reverse("governance_portal:consent"), {"electronic": "on"})
        self.assertTrue(ConvocationConsent.objects.get(contact=me).electronic)
        self.assertContains(self.client.get(home), "Vous êtes convoqué·e par e-mail")
        self.client.post(reverse("governance_portal:consent"), {})
        consent = ConvocationConsent.objects.get(contact=me)
        self.assertFalse(consent.electronic)
        history = ConvocationConsentChange.objects.filter(contact=me).order_by("at", "id")
        self.assertEqual([h.electronic for h in history], [True, False])
        self.assertEqual({h.changed_by for h in history}, {self.member})
        self.assertEqual({h.source for h in history}, {"espace sociétaire"})

    def test_the_staff_page_shows_the_history(self):
        services.consent_set(actor=None, contact=self.alice, electronic=True, source="bulletin")
        self.login(self.staff)
        response = self.client.get(reverse("governance:consent", args=[self.alice.pk]))
        self.assertContains(response, "Historique")
        self.assertContains(response, "bulletin")
        self.assertContains(response, CONSENT_TEXT)

    def test_the_convocation_follows_the_latest_choice(self):
        services.consent_set(actor=None, contact=self.alice, electronic=True)
        services.consent_set(actor=None, contact=self.alice, electronic=False)
        meeting = make_ag()
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=meeting)
        self.assertEqual(meeting.convocations.get(contact=self.alice).channel, Channel.LETTER)

"""Consents on the contact page (/gestion/contacts/<n°>/consentements/) and in the member's
space (/espace/consentements/): who may see and change them, and what is recorded."""

import csv
import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from placette.contacts.models import ConsentPurpose, ConsentRecord, ConsentSource
from placette.contacts.services import consent_of, consent_purpose
from placette.test import BaseTestCase, give_consent, make_contact

AG = ConsentPurpose.AG_CONVOCATION


class StaffConsentPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.alice = make_contact(first_name="Alice", last_name="Arnaud", email="alice@ex.fr")
        cls.url = reverse("contacts:consents", args=[cls.alice.pk])

    def test_the_consent_pages_are_for_the_team_only(self):
        self.assert_staff_only(self.url)
        self.assert_staff_only(self.url, method="post", data={"purpose": "1"})
        self.assert_staff_only(reverse("contacts:consents_export", args=[self.alice.pk]))
        self.assertFalse(ConsentRecord.objects.exists())

    def test_the_contact_page_shows_the_state_of_each_purpose(self):
        give_consent(self.alice, "events")
        self.login(self.staff)
        page = self.client.get(reverse("contacts:detail", args=[self.alice.pk]))
        self.assertContains(page, "Consentements")
        self.assertContains(page, "Invitations aux événements")
        self.assertContains(page, "accord donné")
        self.assertContains(page, "aucun accord")
        self.assertContains(page, self.url)

    def test_the_team_records_a_paper_consent_with_the_purposes_words_by_default(self):
        purpose = consent_purpose("coop-news")
        self.login(self.staff)
        response = self.client.post(
            self.url,
            {
                "purpose": purpose.pk,
                "given": "1",
                "on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
                "detail": "bulletin papier classé au dossier",
            },
            follow=True,
        )
        self.assertContains(response, "Accord enregistré : Actualités de la coopérative.")
        record = ConsentRecord.objects.get()
        self.assertEqual((record.source, record.recorded_by), (ConsentSource.STAFF, self.staff))
        self.assertEqual((record.text, record.version), (purpose.consent_text, purpose.version))
        self.assertEqual(
            timezone.localtime(record.at).date(), timezone.localdate() - dt.timedelta(days=3)
        )
        self.assertEqual(record.source_detail, "bulletin papier classé au dossier")
        self.assertContains(response, purpose.consent_text)
        self.assertContains(response, "bulletin papier classé au dossier")

    def test_the_team_records_a_withdrawal_with_the_words_written_on_the_letter(self):
        give_consent(self.alice, at=timezone.now() - dt.timedelta(days=10))
        purpose = consent_purpose(AG)
        self.login(self.staff)
        response = self.client.post(
            self.url,
            {
                "purpose": purpose.pk,
                "given": "0",
                "on": timezone.localdate().isoformat(),
                "text": "Je veux recevoir les convocations par la poste.",
                "version": "lettre manuscrite",
            },
            follow=True,
        )
        self.assertContains(response, "Retrait enregistré")
        self.assertFalse(consent_of(self.alice, AG))
        latest = ConsentRecord.objects.order_by("-id").first()
        self.assertEqual(latest.text, "Je veux recevoir les convocations par la poste.")
        self.assertEqual(latest.version, "lettre manuscrite")

    def test_a_date_in_the_future_is_refused_and_nothing_is_recorded(self):
        self.login(self.staff)
        response = self.client.post(
            self.url,
            {
                "purpose": consent_purpose(AG).pk,
                "given": "1",
                "on": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
            },
        )
        self.assertContains(response, "futur", status_code=400)
        self.assertFalse(ConsentRecord.objects.exists())

    def test_a_consent_for_a_contact_without_email_shows_the_rule_and_records_nothing(self):
        nomail = make_contact(first_name="Sans", last_name="Mail")
        self.login(self.staff)
        response = self.client.post(
            reverse("contacts:consents", args=[nomail.pk]),
            {"purpose": consent_purpose(AG).pk, "given": "1", "on": timezone.localdate()},
        )
        self.assertContains(response, "adresse e-mail est nécessaire", status_code=400)
        self.assertFalse(ConsentRecord.objects.exists())

    def test_the_proof_export_lists_every_record_with_its_words_and_origin(self):
        give_consent(
            self.alice,
            "investor-newsletter",
            source=ConsentSource.WEB_FORM,
            ip="198.51.100.4",
            user_agent="Firefox",
            at=timezone.now() - dt.timedelta(days=1),
        )
        give_consent(self.alice, "investor-newsletter", given=False, actor=self.staff)
        self.login(self.staff)
        response = self.client.get(reverse("contacts:consents_export", args=[self.alice.pk]))
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content), delimiter=";"))
        self.assertEqual(rows[0][:4], ["date", "finalité", "acte", "origine"])
        self.assertEqual(len(rows), 3)
        self.assertEqual([r[2] for r in rows[1:]], ["retrait", "accord"])
        self.assertIn("198.51.100.4", rows[2])
        self.assertIn("Firefox", rows[2])
        self.assertIn(consent_purpose("investor-newsletter").consent_text, rows[2])

    def test_the_history_page_keeps_a_constant_number_of_queries(self):
        self.login(self.staff)
        give_consent(self.alice, "events")
        self.client.get(self.url)  # warm the session and content types
        with CaptureQueriesContext(connection) as first:
            self.client.get(self.url)
        for n in range(12):
            give_consent(self.alice, "events", given=bool(n % 2), text=f"Texte {n}")
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(self.url)


class PortalConsentTests(BaseTestCase):
    url = reverse("contacts_portal:consents")

    def _post(self, purpose, given, **extra):
        data = {"purpose": purpose.code, "given": "1" if given else "0"}
        data["version"] = purpose.version
        return self.client.post(self.url, {**data, **extra}, follow=True)

    def test_the_consents_page_needs_a_signed_in_user(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("account_login")))
        purpose = consent_purpose("events")
        self.client.post(self.url, {"purpose": purpose.code, "given": "1"})
        self.assertFalse(ConsentRecord.objects.exists())

    def test_a_member_sees_each_purpose_and_the_words_a_change_means(self):
        self.login(self.member)
        page = self.client.get(self.url)
        for purpose in ConsentPurpose.objects.all():
            self.assertContains(page, purpose.label)
            self.assertContains(page, purpose.consent_text)
        home = self.client.get(reverse("portal:home"))
        self.assertContains(home, "Mes consentements")

    def test_a_member_gives_then_withdraws_a_consent_with_the_words_shown_as_proof(self):
        purpose = consent_purpose("coop-news")
        self.login(self.member)
        response = self._post(purpose, True, HTTP_USER_AGENT="Test/2")
        self.assertContains(response, "Votre accord est enregistré : Actualités de la coopérative.")
        self.assertContains(response, purpose.withdrawal_text)
        response = self._post(purpose, False)
        self.assertContains(response, "Votre retrait est enregistré")
        records = list(ConsentRecord.objects.order_by("id"))
        self.assertEqual([r.given for r in records], [True, False])
        self.assertEqual([r.text for r in records], [purpose.consent_text, purpose.withdrawal_text])
        self.assertEqual({r.source for r in records}, {ConsentSource.PORTAL})
        self.assertEqual({r.contact for r in records}, {self.member.contact})
        self.assertEqual({r.recorded_by for r in records}, {self.member})
        self.assertEqual({r.ip for r in records}, {"127.0.0.1"})

    def test_a_member_changes_only_their_own_consents(self):
        self.login(self.member)
        self._post(consent_purpose("events"), True, contact=self.other_member.contact.pk)
        self.assertFalse(consent_of(self.other_member.contact, "events"))
        self.assertTrue(consent_of(self.member.contact, "events"))

    def test_a_text_changed_since_the_page_was_shown_is_refused(self):
        purpose = consent_purpose("events")
        self.login(self.member)
        response = self._post(purpose, True, version="ancienne")
        self.assertContains(response, "Le texte a changé")
        self.assertFalse(ConsentRecord.objects.exists())

    def test_a_purpose_the_member_may_not_change_is_refused(self):
        ConsentPurpose.objects.filter(code="events").update(member_can_change=False)
        self.login(self.member)
        response = self._post(consent_purpose("events"), True)
        self.assertContains(response, "ne se modifie pas depuis votre espace")
        self.assertNotContains(response, "Invitations aux événements")
        self.assertFalse(ConsentRecord.objects.exists())

    def test_the_return_address_must_be_on_this_site(self):
        self.login(self.member)
        purpose = consent_purpose("events")
        data = {"purpose": purpose.code, "given": "1", "version": purpose.version}
        response = self.client.post(self.url, {**data, "next": "https://ailleurs.example/"})
        self.assertEqual(response["Location"], self.url)
        response = self.client.post(
            self.url, {**data, "given": "0", "next": reverse("governance_portal:home")}
        )
        self.assertEqual(response["Location"], reverse("governance_portal:home"))

    def test_a_user_without_a_contact_gets_the_page_saying_what_to_do(self):
        self.member.contact = None
        self.member.save()
        self.login(self.member)
        response = self.client.get(self.url)
        self.assertContains(response, "relié à aucune fiche", status_code=404)

"""Data-protection rights: a person's export, erasure keeping what the law keeps, retention of
prospects, the member's own export, and who may see those pages."""

import datetime as dt
import io
import json
import zipfile

from django.urls import reverse
from django.utils import timezone

from placette.contacts.models import ConsentRecord, Contact, TimelineEntry
from placette.contacts.services import consent_of, contact_note_add
from placette.lib.models import Job
from placette.lib.refusals import Refusal
from placette.mailing import privacy
from placette.mailing.models import Delivery, Signup, Suppression, SuppressionReason
from placette.mailing.suppression import suppressed_reason
from placette.mailing.tests.helpers import NEWSLETTER, campaign, segment, subscriber
from placette.mailing.todos import todos
from placette.membership.models import Category, Member
from placette.test import BaseTestCase, give_consent, make_contact


def _unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def _age(contact: Contact, years: int = 4) -> None:
    old = timezone.now() - dt.timedelta(days=365 * years)
    Contact.objects.filter(pk=contact.pk).update(created_at=old, updated_at=old)
    TimelineEntry.objects.filter(contact=contact).update(at=old)


def _old_subscriber(n: int) -> Contact:
    contact = subscriber(n, consent=False)
    give_consent(contact, NEWSLETTER, at=timezone.now() - dt.timedelta(days=365 * 4))
    _age(contact)
    return contact


class PrivacyTests(BaseTestCase):
    def test_the_export_holds_the_card_the_consent_proofs_and_every_areas_rows(self):
        person = subscriber(1, first_name="Léa", last_name="=HYPERLIEN()")
        Delivery.objects.create(
            campaign=campaign(segment()),
            contact=person,
            email=person.email,
            email_normalized=person.email,
            first_name="Léa",
        )
        name, content = privacy.person_export_zip(actor=self.staff, contact=person)
        self.assertEqual(name, f"donnees-{person.pk}.zip")
        files = _unzip(content)
        data = json.loads(files["donnees.json"])
        keys = {s["key"]: s for s in data["sections"]}
        self.assertEqual(keys["contacts.contact"]["rows"][0]["email"], "abonne1@exemple.fr")
        consent = keys["contacts.consentrecord.contact"]["rows"][0]
        self.assertTrue(consent["given"] and consent["text"] and consent["at"])
        self.assertIn("mailing.delivery.contact", keys)
        self.assertNotIn("token", keys["mailing.delivery.contact"]["rows"][0])
        self.assertIn("'=HYPERLIEN()", files["contacts_contact.csv"])  # formula neutralised
        self.assertIn("contacts_consentrecord_contact.csv", files)

    def test_erasure_anonymises_a_prospect_suppresses_the_address_and_keeps_the_consent_ledger(
        self,
    ):
        person = subscriber(2, first_name="Jean", phone="0600000000")
        contact_note_add(actor=self.staff, contact=person, kind="note", title="Aime le jazz")
        Signup.objects.create(email=person.email, first_name="Jean")
        records = ConsentRecord.objects.filter(contact=person).count()
        holds = privacy.person_erase(actor=self.staff, contact=person)
        person.refresh_from_db()
        self.assertEqual(holds, [])
        self.assertEqual((person.first_name, person.email, person.phone), ("", "", ""))
        self.assertTrue(person.display_name.startswith("EFFACÉE"))
        self.assertEqual(person.postcode, "")
        self.assertFalse(
            TimelineEntry.objects.filter(contact=person, title__contains="jazz").exists()
        )
        self.assertEqual(ConsentRecord.objects.filter(contact=person).count(), records + 1)
        self.assertTrue(suppressed_reason("abonne2@exemple.fr"))
        self.assertEqual(
            Suppression.objects.active().get(email_normalized="abonne2@exemple.fr").reason,
            SuppressionReason.ERASURE,
        )
        self.assertFalse(consent_of(person, NEWSLETTER))  # a withdrawal added to the ledger
        self.assertEqual(
            ConsentRecord.objects.filter(contact=person).latest("pk").email, "abonne2@exemple.fr"
        )
        self.assertFalse(Signup.objects.filter(email_normalized="abonne2@exemple.fr").exists())
        from placette.lib.models import AuditEntry

        self.assertTrue(AuditEntry.objects.filter(action="mailing.person.erased").exists())

    def test_erasure_keeps_the_name_and_address_of_a_member_for_the_share_register(self):
        person = subscriber(3, first_name="Paule")
        category, _ = Category.objects.get_or_create(
            code="test-priv", defaults={"name": "Test priv"}
        )
        Member.objects.create(contact=person, category=category)
        holds = privacy.person_erase(actor=self.staff, contact=person)
        person.refresh_from_db()
        self.assertTrue(holds)
        self.assertEqual((person.first_name, person.postcode, person.email), ("Paule", "26150", ""))

    def test_erasure_closes_a_members_account_and_refuses_a_team_account(self):
        privacy.person_erase(actor=self.staff, contact=self.other_member.contact)
        self.other_member.refresh_from_db()
        self.assertFalse(self.other_member.is_active)
        with self.assertRaises(Refusal):
            privacy.person_erase(actor=self.staff, contact=self.staff_admin.contact)
        self.staff_admin.refresh_from_db()
        self.assertTrue(self.staff_admin.is_active)

    def test_an_erased_address_gets_no_newsletter_but_still_relationship_mail(self):
        person = subscriber(4)
        privacy.person_erase(actor=self.staff, contact=person)
        self.assertTrue(
            Suppression.objects.active().filter(email_normalized="abonne4@exemple.fr").exists()
        )
        person.refresh_from_db()
        self.assertFalse(consent_of(person, NEWSLETTER))
        self.assertEqual(person.email, "")

    def test_only_prospects_silent_for_three_years_are_due_for_erasure(self):
        old = _old_subscriber(5)
        recent = subscriber(6)
        member = _old_subscriber(7)
        category, _ = Category.objects.get_or_create(
            code="test-priv", defaults={"name": "Test priv"}
        )
        Member.objects.create(contact=member, category=category)
        _age(member)
        came_back = _old_subscriber(8)
        contact_note_add(actor=self.staff, contact=came_back, kind="call", title="Appel")
        due = set(privacy.prospects_due().values_list("pk", flat=True))
        self.assertIn(old.pk, due)
        self.assertFalse({recent.pk, member.pk, came_back.pk} & due)
        todo = next(t for t in todos() if t.key == "mailing.retention")
        self.assertEqual(todo.count, len(due))
        privacy.retention_erase(cutoff=privacy.retention_cutoff().isoformat())
        old.refresh_from_db()
        self.assertEqual(old.email, "")
        self.assertNotIn(old.pk, set(privacy.prospects_due().values_list("pk", flat=True)))

    def test_the_pages_are_for_the_team_only(self):
        person = subscriber(9)
        self.assert_staff_only(reverse("mailing:person", args=[person.pk]))
        self.assert_staff_only(reverse("mailing:person_export", args=[person.pk]), "post")
        self.assert_staff_only(
            reverse("mailing:person_erase", args=[person.pk]), "post", {"confirm": "1"}
        )
        self.assert_staff_only(reverse("mailing:retention"))
        person.refresh_from_db()
        self.assertEqual(person.email, "abonne9@exemple.fr")

    def test_the_team_erases_after_a_confirmation_page(self):
        person = subscriber(10)
        self.login(self.staff)
        url = reverse("mailing:person_erase", args=[person.pk])
        response = self.client.get(url)
        self.assertContains(response, "Effacer les données")
        person.refresh_from_db()
        self.assertEqual(person.email, "abonne10@exemple.fr")
        self.client.post(url, {"confirm": "1"})
        person.refresh_from_db()
        self.assertEqual(person.email, "")
        page = self.client.get(reverse("mailing:person", args=[person.pk]))
        self.assertContains(page, "Fiche contact")
        download = self.client.post(reverse("mailing:person_export", args=[person.pk]))
        self.assertEqual(download["Content-Type"], "application/zip")

    def test_the_retention_page_starts_the_job_only_once_confirmed(self):
        old = _old_subscriber(11)
        self.login(self.staff)
        url = reverse("mailing:retention")
        self.assertContains(self.client.get(url), old.display_name)
        self.assertContains(self.client.post(url), "Effacer 1 fiche")
        self.assertFalse(Job.objects.filter(kind="mailing.retention").exists())
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"confirm": "1"})
        job = Job.objects.get(kind="mailing.retention")
        self.assertRedirects(response, job.get_absolute_url(), fetch_redirect_response=False)
        old.refresh_from_db()
        self.assertEqual(old.email, "")

    def test_the_retention_page_costs_the_same_with_5_and_60_prospects(self):
        self.login(self.staff)
        counter = iter(range(100, 1000))

        def add(n):
            for _ in range(n):
                _age(make_contact(last_name=f"Vieux{next(counter)}"))

        self.assert_constant_queries(reverse("mailing:retention"), add)

    def test_a_member_downloads_their_own_data_and_nobody_elses(self):
        url = reverse("mailing_portal:my_data")
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)
        self.login(self.member)
        self.assertContains(self.client.get(url), "Télécharger mes données")
        files = _unzip(self.client.post(url).content)
        data = json.loads(files["donnees.json"])
        self.assertEqual(data["contact"], self.member.contact_id)
        self.assertNotIn("autre@test.fr", files["donnees.json"])
        self.assertNotIn("password", files["donnees.json"])

"""The public bulletin de souscription at /souscrire/."""

import re
from decimal import Decimal

from django.core import mail
from django.test import TestCase
from django.urls import reverse

from placette.contacts.models import (
    Affiliation,
    ConsentPurpose,
    ConsentRecord,
    ConsentSource,
    Contact,
    TimelineEntry,
)
from placette.contacts.services import consent_givers, consent_of
from placette.lib.models import AuditEntry
from placette.lib.testing import pdf_text
from placette.membership.models import Movement
from placette.membership.models_requests import (
    DocumentKind,
    RequestStatus,
    SubscriptionDocument,
    SubscriptionRequest,
    SubscriptionSettings,
)
from placette.membership.tests.helpers import make_statutes
from placette.test import BaseTestCase, give_consent

VALID_IBAN = "FR76 3000 6000 0112 3456 7890 189"


def payment_settings() -> SubscriptionSettings:
    return SubscriptionSettings.objects.create(
        account_holder="Placette SCIC",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        cheque_payable_to="Placette SCIC",
        cheque_address="1 place du Village, 26150 Die",
        company_object="Acquérir et rénover des lieux de village pour l’économie sociale",
        company_seat="1 place du Village, 26150 Die",
        siren="123456789",
    )


def bulletin(client, **overrides) -> tuple[dict, object]:
    """GET the form, then POST it filled in; returns (data, response)."""
    page = client.get(reverse("membership_public:subscribe"))
    token = page.context["form"]["form_token"].value()
    from placette.membership.models import Category

    data = {
        "form_token": token,
        "subscriber_kind": "person",
        "first_name": "Léa",
        "last_name": "Martin",
        "email": "Lea.Martin@Exemple.fr",
        "phone": "06 12 34 56 78",
        "address_line1": "3 rue des Tilleuls",
        "postcode": "26150",
        "commune": "Die",
        "tax_resident_fr": "on",
        "category": Category.objects.get(code="soutiens").pk,
        "shares": "3",
        "payment_method": "transfer",
        "consent_statutes": "on",
        "consent_risk": "on",
        "consent_data": "on",
        "e_convocation": "on",
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    # The bulletin's email leaves after commit (placette.lib.mail): run what commit would run.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("membership_public:subscribe"), data)
    return data, response


class PublicSubscriptionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        payment_settings()

    def test_the_form_offers_only_the_categories_open_to_the_public(self):
        response = self.client.get(reverse("membership_public:subscribe"))
        self.assertEqual(response.status_code, 200)
        names = [c.name for c in response.context["form"].fields["category"].queryset]
        self.assertIn("Soutiens", names)
        self.assertIn("Bénéficiaires", names)
        self.assertNotIn("Salariés", names)
        self.assertNotIn("Collectivités", names)
        self.assertContains(response, "100,00")

    def test_a_person_subscribes_and_receives_the_bulletin_with_the_payment_instructions(self):
        _data, response = bulletin(self.client)
        req = SubscriptionRequest.objects.get()
        self.assertRedirects(
            response, reverse("membership_public:confirmation", args=[req.access_key])
        )
        self.assertEqual(req.status, RequestStatus.AWAITING_PAYMENT)
        self.assertEqual(req.amount, Decimal("300.00"))
        self.assertRegex(req.reference, r"^SOUS-[A-Z2-9]{4}-[A-Z2-9]{4}$")
        self.assertEqual(set(req.consents), {"statutes", "risk", "data"})
        self.assertEqual(req.consents["risk"]["version"], "2026-01")
        self.assertEqual(req.contact.email_normalized, "lea.martin@exemple.fr")
        self.assertEqual(req.contact.commune_code, "26113")
        page = self.client.get(response["Location"])
        self.assertContains(page, req.reference)
        self.assertContains(page, "FR7630006000011234567890189")
        self.assertContains(page, "300,00")
        # Nothing is booked on the ledger before approval.
        self.assertEqual(Movement.objects.count(), 0)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["Lea.Martin@Exemple.fr"])
        self.assertIn(req.reference, message.subject)
        self.assertIn("text/html", [alt[1] for alt in message.alternatives])
        _name, content, mimetype = message.attachments[0]
        self.assertEqual(mimetype, "application/pdf")
        text = pdf_text(content)
        self.assertIn("Bulletin de souscription", text)
        self.assertIn(req.reference, text)
        self.assertIn("MARTIN", text)
        self.assertIn("300,00", text)
        self.assertIn("risque", " ".join(text.split()).lower().replace("’", "'") + "risque")
        document = SubscriptionDocument.objects.get(kind=DocumentKind.BULLETIN)
        self.assertIsNotNone(document.sent_at)
        download = self.client.get(reverse("membership_public:bulletin", args=[req.access_key]))
        self.assertIn(req.reference, pdf_text(download.getvalue()))

    def test_an_existing_contact_is_matched_by_normalized_email(self):
        from placette.test import make_contact

        known = make_contact(first_name="Léa", last_name="Martin", email="lea.martin@exemple.fr")
        bulletin(self.client)
        self.assertEqual(SubscriptionRequest.objects.get().contact, known)
        self.assertEqual(
            Contact.objects.filter(email_normalized="lea.martin@exemple.fr").count(), 1
        )

    def test_one_address_sending_bulletins_again_and_again_is_stopped_after_three(self):
        for n in range(5):
            _, response = bulletin(self.client, shares=str(n + 1))
        self.assertEqual(SubscriptionRequest.objects.count(), 3)
        self.assertContains(response, "Trop de bulletins envoyés en peu de temps", status_code=400)
        self.assertEqual(len(mail.outbox), 3)

    def test_one_client_sending_bulletins_for_many_addresses_is_stopped_after_ten(self):
        for n in range(12):
            _, response = bulletin(self.client, email=f"robot{n}@exemple.fr")
        self.assertEqual(SubscriptionRequest.objects.count(), 10)
        self.assertContains(response, "Trop de bulletins envoyés en peu de temps", status_code=400)

    def test_a_second_submission_of_the_same_form_creates_nothing_and_shows_the_same_page(self):
        data, first = bulletin(self.client)
        second = self.client.post(reverse("membership_public:subscribe"), data)
        self.assertEqual(SubscriptionRequest.objects.count(), 1)
        self.assertEqual(second["Location"], first["Location"])
        self.assertEqual(len(mail.outbox), 1)

    def test_zero_or_negative_shares_are_refused_with_a_clear_message(self):
        for shares in ("0", "-2"):
            _, response = bulletin(self.client, shares=shares)
            self.assertEqual(response.status_code, 400)
            self.assertContains(
                response, "Le nombre de parts doit être d’au moins 1.", status_code=400
            )
        self.assertEqual(SubscriptionRequest.objects.count(), 0)
        self.assertEqual(Contact.objects.filter(last_name="Martin").count(), 0)
        self.assertEqual(len(mail.outbox), 0)

    def test_the_category_minimum_is_enforced(self):
        from placette.membership.models import Category

        partners = Category.objects.get(code="partenaires")
        _, response = bulletin(self.client, category=partners.pk, shares="2")
        self.assertContains(response, "demande au moins 5 part(s)", status_code=400)
        self.assertEqual(SubscriptionRequest.objects.count(), 0)

    def test_an_invalid_iban_is_refused_with_a_clear_message(self):
        _, response = bulletin(
            self.client,
            payment_method="sepa",
            iban="FR76 3000 6000 0112 3456 7890 180",
            account_holder="Léa Martin",
        )
        self.assertContains(response, "L’IBAN saisi n’est pas valide", status_code=400)
        self.assertEqual(SubscriptionRequest.objects.count(), 0)
        self.assertEqual(Contact.objects.filter(last_name="Martin").count(), 0)

    def test_a_sepa_debit_keeps_the_iban_masked_everywhere_it_is_shown(self):
        bulletin(self.client, payment_method="sepa", iban=VALID_IBAN, account_holder="Léa Martin")
        req = SubscriptionRequest.objects.get()
        self.assertEqual(req.iban, "FR7630006000011234567890189")
        self.assertTrue(req.iban_masked.startswith("FR76"))
        self.assertTrue(req.iban_masked.replace(" ", "").endswith("0189"))
        self.assertNotIn("3000 6000", req.iban_masked)
        text = pdf_text(mail.outbox[0].attachments[0][1])
        self.assertNotIn("30006000011234567890189", text.replace(" ", ""))
        self.assertIn("0189", text.replace(" ", ""))

    def test_a_missing_consent_is_refused_and_nothing_is_recorded(self):
        for missing in ("consent_statutes", "consent_risk", "consent_data"):
            _, response = bulletin(self.client, **{missing: None})
            self.assertEqual(response.status_code, 400)
            self.assertContains(response, "pour souscrire", status_code=400)
        self.assertEqual(SubscriptionRequest.objects.count(), 0)

    def test_a_legal_entity_subscribes_through_its_representative(self):
        from placette.membership.models import Category

        bulletin(
            self.client,
            subscriber_kind="organisation",
            organisation_name="Épicerie du Diois",
            siren="123 456 782",
            representative_role="gérante",
            category=Category.objects.get(code="beneficiaires").pk,
        )
        req = SubscriptionRequest.objects.select_related("contact", "representative").get()
        self.assertEqual(req.contact.display_name, "Épicerie du Diois")
        self.assertEqual(req.contact.siren, "123456782")
        self.assertEqual(req.representative.display_name, "Léa MARTIN")
        self.assertTrue(
            Affiliation.objects.filter(
                person=req.representative, organisation=req.contact, role="gérante"
            ).exists()
        )
        self.assertIn("gérante", pdf_text(mail.outbox[0].attachments[0][1]))

    def test_the_electronic_convocation_consent_is_recorded_in_the_consent_ledger(self):
        self.client.defaults["HTTP_USER_AGENT"] = "Navigateur de test/1.0"
        bulletin(self.client)
        req = SubscriptionRequest.objects.get()
        self.assertTrue(req.e_convocation)
        record = ConsentRecord.objects.get()
        self.assertEqual(record.purpose.code, ConsentPurpose.AG_CONVOCATION)
        self.assertTrue(record.given)
        self.assertEqual(record.source, ConsentSource.WEB_FORM)
        self.assertIn(req.reference, record.source_detail)
        # The words recorded are the words of the box on the form, with their version.
        self.assertIn("voie électronique", record.text)
        self.assertEqual(record.text, record.purpose.consent_text)
        self.assertEqual(record.version, record.purpose.version)
        self.assertEqual(record.email, req.contact.email)
        self.assertEqual((record.ip, record.user_agent), ("127.0.0.1", "Navigateur de test/1.0"))
        self.assertTrue(consent_of(req.contact, ConsentPurpose.AG_CONVOCATION))
        self.assertIn(req.contact, consent_givers(ConsentPurpose.AG_CONVOCATION))
        give_consent(req.contact, given=False, source_detail="courrier reçu")
        self.assertFalse(consent_of(req.contact, ConsentPurpose.AG_CONVOCATION))
        self.assertNotIn(req.contact, consent_givers(ConsentPurpose.AG_CONVOCATION))
        # At a past moment, the history answers.
        self.assertIn(req.contact, consent_givers(ConsentPurpose.AG_CONVOCATION, on=record.at))

    def test_the_convocation_consent_of_a_bulletin_writes_one_audit_entry_and_one_timeline_line(
        self,
    ):
        bulletin(self.client)
        contact = SubscriptionRequest.objects.get().contact
        self.assertEqual(
            AuditEntry.objects.filter(action__startswith="contacts.consent").count(), 1
        )
        self.assertEqual(TimelineEntry.objects.filter(contact=contact, kind="consent").count(), 1)

    def test_the_bulletin_prints_the_convocation_words_that_were_recorded(self):
        bulletin(self.client)
        record = ConsentRecord.objects.get()
        # the PDF may break a line after a hyphen ("e- mail")
        text = " ".join(pdf_text(mail.outbox[0].attachments[0][1]).split()).replace("- ", "-")
        self.assertIn(f"{' '.join(record.text.split())} (version {record.version})", text)

    def test_without_statutes_the_form_says_it_is_closed(self):
        from placette.membership.models import Statutes

        Statutes.objects.all().delete()
        response = self.client.get(reverse("membership_public:subscribe"))
        self.assertContains(response, "pas encore ouverte", status_code=503)

    def test_a_failed_sending_keeps_the_request_and_a_second_run_sends_once(self):
        from unittest import mock

        from placette.lib.mail import mail_resume
        from placette.lib.models import MessageStatus, OutgoingMessage

        with mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=OSError("SMTP indisponible"),
        ):
            bulletin(self.client)
        req = SubscriptionRequest.objects.get()
        # The PDF was produced by the mail task before the relay failed: nothing is lost.
        document = SubscriptionDocument.objects.get(request=req)
        self.assertIsNone(document.sent_at)
        message = OutgoingMessage.objects.get(kind="membership.bulletin")
        self.assertEqual(message.status, MessageStatus.QUEUED)
        self.assertIn("SMTP indisponible", message.error)
        with self.settings(MAIL_CLAIM_TIMEOUT=0), self.captureOnCommitCallbacks(execute=True):
            OutgoingMessage.objects.update(next_attempt_at=message.created_at)
            self.assertEqual(mail_resume(), 1)
            self.assertEqual(mail_resume(), 0)
        self.assertEqual(len(mail.outbox), 1)
        self.assertTrue(re.search(req.reference, mail.outbox[0].subject))
        document.refresh_from_db()
        self.assertIsNotNone(document.sent_at)

    def test_the_bulletin_pdf_is_rendered_by_the_mail_task_not_by_the_request(self):
        from unittest import mock

        with mock.patch("placette.lib.mail._enqueue_after_commit"):  # no worker ran yet
            _data, response = bulletin(self.client)
        self.assertEqual(response.status_code, 302)
        req = SubscriptionRequest.objects.get()
        self.assertFalse(SubscriptionDocument.objects.filter(request=req).exists())
        # The subscriber can still download it at once (rendered for the download, not stored).
        download = self.client.get(reverse("membership_public:bulletin", args=[req.access_key]))
        self.assertIn(req.reference, pdf_text(download.content))
        self.assertFalse(SubscriptionDocument.objects.filter(request=req).exists())


class RefusalFieldTests(BaseTestCase):
    """A refusal of the service lands next to the field it names, never by matching words."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        payment_settings()

    def test_an_invalid_iban_is_an_error_of_the_iban_field(self):
        _, response = bulletin(
            self.client,
            payment_method="sepa",
            iban="FR76 3000 6000 0112 3456 7890 180",
            account_holder="Léa Martin",
        )
        form = response.context["form"]
        self.assertIn("L’IBAN saisi n’est pas valide", " ".join(form.errors["iban"]))
        self.assertEqual(form.non_field_errors(), [])

    def test_an_invalid_bic_is_an_error_of_the_bic_field(self):
        _, response = bulletin(
            self.client,
            payment_method="sepa",
            iban=VALID_IBAN,
            bic="XX",
            account_holder="Léa Martin",
        )
        self.assertIn(
            "Le BIC saisi n’est pas valide", " ".join(response.context["form"].errors["bic"])
        )

    def test_a_category_minimum_is_an_error_of_the_shares_field(self):
        from placette.membership.models import Category

        partners = Category.objects.get(code="partenaires")
        _, response = bulletin(self.client, category=partners.pk, shares="2")
        self.assertIn(
            "demande au moins 5 part(s)", " ".join(response.context["form"].errors["shares"])
        )

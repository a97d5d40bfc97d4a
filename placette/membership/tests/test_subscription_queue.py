"""The staff queue of subscription requests: payments, bank statements, approval, refusal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from placette.accounts.models import User
from placette.contacts.models import TimelineEntry
from placette.lib.models import Job
from placette.lib.testing import pdf_text
from placette.membership import projections
from placette.membership.models import Member, Movement
from placette.membership.models_requests import (
    DocumentKind,
    RequestPayment,
    RequestStatus,
    SubscriptionDocument,
    SubscriptionRequest,
)
from placette.membership.subscriptions import (
    form_token_new,
    request_payment_record,
    subscription_request_approve,
    subscription_request_create,
)
from placette.membership.tests.helpers import category, make_statutes
from placette.membership.tests.test_subscription_public import payment_settings
from placette.test import BaseTestCase

TODAY = timezone.localdate


def new_request(
    *, email="lea@exemple.fr", last_name="Martin", shares=4, **kwargs
) -> SubscriptionRequest:
    # Emails leave after commit (placette.lib.mail): run what the commit would run.
    with TestCase.captureOnCommitCallbacks(execute=True):
        req = _create(**kwargs, email=email, last_name=last_name, shares=shares)
    return req


def _create(*, email, last_name, shares, **kwargs) -> SubscriptionRequest:
    req, _ = subscription_request_create(
        actor=None,
        form_token=form_token_new(),
        shares=shares,
        payment_method=kwargs.pop("payment_method", "transfer"),
        category=kwargs.pop("category", None) or category("soutiens"),
        person={
            "first_name": "Léa",
            "last_name": last_name,
            "email": email,
            "address_line1": "3 rue des Tilleuls",
            "postcode": "26150",
            "commune_code": "26113",
        },
        consents_given=["statutes", "risk", "data"],
        **kwargs,
    )
    return req


class QueueTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        payment_settings()

    def setUp(self):
        self.req = new_request()
        mail.outbox.clear()

    def test_every_queue_page_is_for_staff_only(self):
        document = SubscriptionDocument.objects.get()
        for url in [
            reverse("membership_public:request_list"),
            reverse("membership_public:request_detail", args=[self.req.pk]),
            reverse("membership_public:bank_import"),
            reverse("membership_public:settings"),
            reverse("membership_public:tax"),
        ]:
            self.assert_staff_only(url)
        for url in [
            reverse("membership_public:request_pay", args=[self.req.pk]),
            reverse("membership_public:request_approve", args=[self.req.pk]),
            reverse("membership_public:request_refuse", args=[self.req.pk]),
            reverse("membership_public:request_batch"),
        ]:
            self.assert_staff_only(url, method="post")
        self.assertEqual(RequestPayment.objects.count(), 0)
        self.assertEqual(self.req.__class__.objects.get().status, RequestStatus.AWAITING_PAYMENT)
        # The subscriber's PDF goes through the one guarded download: the team reads it, the
        # other roles are told it does not exist (the subscriber here has no account).
        url = document.document.get_absolute_url()
        for persona in (self.member, self.board_member, self.activity_holder):
            self.login(persona)
            self.assertEqual(self.client.get(url).status_code, 404, persona)
        self.login(self.staff)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_queue_keeps_a_constant_number_of_queries_and_filters_by_status(self):
        self.login(self.staff)
        url = reverse("membership_public:request_list")
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for i in range(8):
            new_request(email=f"p{i}@exemple.fr", last_name=f"Personne{i}")
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertEqual(len(few), len(many))
        self.assertContains(response, "PERSONNE7")
        request_payment_record(
            actor=self.staff,
            request=self.req,
            amount=Decimal(400),
            paid_on=TODAY(),
            method="transfer",
        )
        response = self.client.get(url, {"status": "paid"})
        self.assertContains(response, self.req.reference)
        self.assertNotContains(response, "PERSONNE7")

    def test_staff_records_a_payment_by_hand_then_approves_and_the_certificate_is_sent(self):
        self.login(self.staff)
        detail = reverse("membership_public:request_detail", args=[self.req.pk])
        response = self.client.post(
            reverse("membership_public:request_pay", args=[self.req.pk]),
            {
                "amount": "400,00",
                "paid_on": TODAY().isoformat(),
                "method": "cheque",
                "reference": "chq 1234",
            },
        )
        self.assertRedirects(response, detail)
        self.req.refresh_from_db()
        self.assertEqual(self.req.status, RequestStatus.PAID)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("membership_public:request_approve", args=[self.req.pk])
            )
        self.assertRedirects(response, detail)
        self.req.refresh_from_db()
        self.assertEqual(self.req.status, RequestStatus.APPROVED)
        movement = self.req.movement
        self.assertEqual(movement.idempotency_key, f"request-{self.req.pk}")
        self.assertEqual((movement.shares, movement.paid), (4, Decimal("400.00")))
        member = Member.objects.get(contact=self.req.contact)
        self.assertIsNotNone(member.number)
        self.assertEqual(projections.holding_of(self.req.contact).shares, 4)
        self.assertTrue(
            TimelineEntry.objects.filter(
                contact=self.req.contact, title__startswith="Souscription approuvée"
            ).exists()
        )
        user = User.objects.get(email="lea@exemple.fr")
        self.assertEqual((user.role, user.contact_id), ("member", self.req.contact_id))
        self.assertFalse(user.has_usable_password())
        [message] = mail.outbox
        self.assertIn("certificat", message.subject.lower())
        text = pdf_text(message.attachments[0][1])
        self.assertIn("certificat de parts", text.lower())
        self.assertIn(str(member.number), text)
        self.assertIn("400,00", text)
        # Approving again books nothing more.
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("membership_public:request_approve", args=[self.req.pk]))
        self.assertEqual(Movement.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_approval_is_refused_when_not_enough_is_paid(self):
        request_payment_record(
            actor=self.staff,
            request=self.req,
            amount=Decimal("99.99"),
            paid_on=TODAY(),
            method="transfer",
        )
        self.login(self.staff)
        response = self.client.post(
            reverse("membership_public:request_approve", args=[self.req.pk]), follow=True
        )
        self.assertContains(response, "Paiement insuffisant")
        self.assertContains(response, "il faut au moins 100,00")
        self.req.refresh_from_db()
        self.assertEqual(self.req.status, RequestStatus.PARTIALLY_PAID)
        self.assertEqual(Movement.objects.count(), 0)
        self.assertEqual(Member.objects.filter(contact=self.req.contact).count(), 0)
        self.assertEqual(len(mail.outbox), 0)

    def test_a_quarter_paid_subscription_is_booked_with_its_paid_part_and_later_payments_pay_up(
        self,
    ):
        request_payment_record(
            actor=self.staff,
            request=self.req,
            amount=Decimal(100),
            paid_on=TODAY(),
            method="transfer",
        )
        subscription_request_approve(actor=self.staff, request=self.req)
        holding = projections.holding_of(self.req.contact)
        self.assertEqual((holding.capital, holding.paid), (Decimal(400), Decimal(100)))
        request_payment_record(
            actor=self.staff,
            request=self.req,
            amount=Decimal(300),
            paid_on=TODAY(),
            method="transfer",
        )
        self.assertEqual(projections.holding_of(self.req.contact).paid, Decimal(400))

    def test_staff_refuses_with_a_reason_that_is_emailed(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("membership_public:request_refuse", args=[self.req.pk]), {"reason": ""}
        )
        self.assertContains(response, "Indiquez le motif du refus", status_code=400)
        url = reverse("membership_public:request_refuse", args=[self.req.pk])
        reason = {"reason": "Catégorie réservée aux habitants du territoire."}
        page = self.client.post(url, reason)
        self.assertContains(page, "Refuser la demande")
        self.assertContains(page, "« Catégorie réservée aux habitants du territoire. »")
        self.req.refresh_from_db()
        self.assertNotEqual(self.req.status, RequestStatus.REFUSED)
        self.assertEqual(mail.outbox, [])
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {**reason, "confirm": "1"})
        self.req.refresh_from_db()
        self.assertEqual(self.req.status, RequestStatus.REFUSED)
        [message] = mail.outbox
        self.assertIn("Catégorie réservée aux habitants du territoire.", message.body)
        self.assertEqual(message.to, ["lea@exemple.fr"])

    def test_staff_approves_and_refuses_in_batch_with_checkboxes(self):
        other = new_request(email="paul@exemple.fr", last_name="Paul")
        unpaid = new_request(email="jo@exemple.fr", last_name="Jo")
        for req in (self.req, other):
            request_payment_record(
                actor=self.staff, request=req, amount=req.amount, paid_on=TODAY(), method="transfer"
            )
        mail.outbox.clear()
        self.login(self.staff)
        url = reverse("membership_public:request_batch")
        approve = {"ids": [self.req.pk, other.pk, unpaid.pk], "action": "approve"}
        page = self.client.post(url, approve)
        self.assertContains(page, 'data-count="3"')
        self.assertContains(page, "Approuver 3 demandes")
        self.assertContains(page, unpaid.reference)
        self.assertEqual(Movement.objects.count(), 0)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {**approve, "confirm": "1"})
        job = Job.objects.get()
        self.assertRedirects(response, job.get_absolute_url())
        self.assertEqual((job.status, job.done, job.total), ("done", 3, 3))
        page = self.client.get(job.get_absolute_url())
        self.assertContains(page, "2 demandes approuvées.")
        self.assertContains(page, f"Paiement insuffisant pour la demande {unpaid.reference}")
        self.assertEqual(Movement.objects.count(), 2)
        self.assertEqual(len(mail.outbox), 2)
        refuse = {
            "ids": [unpaid.pk],
            "action": "refuse",
            "reason": "Sans paiement après trois relances.",
        }
        page = self.client.post(url, refuse)
        self.assertContains(page, "« Sans paiement après trois relances. »")
        self.assertContains(page, "Refuser 1 demande")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {**refuse, "confirm": "1"}, follow=True)
        self.assertContains(self.client.get(response.redirect_chain[-1][0]), "1 demande refusée.")
        unpaid.refresh_from_db()
        self.assertEqual(unpaid.status, RequestStatus.REFUSED)


class BankStatementTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        payment_settings()

    def upload(self, content: str):
        self.login(self.staff)
        return self.client.post(
            reverse("membership_public:bank_import"),
            {"file": SimpleUploadedFile("releve.csv", content.encode("cp1252"))},
        )

    def test_a_statement_is_matched_on_the_transfer_reference_after_a_dry_run_and_once_only(self):
        req = new_request()
        other = new_request(email="paul@exemple.fr", last_name="Paul")
        day = (TODAY() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
        content = (
            "date;libellé;montant\n"
            f"{day};VIR SEPA MME LEA MARTIN {req.reference.lower()};400,00\n"
            f"{day};VIR M PAUL REF {other.reference.replace('-', ' ')};1 00,00\n"
            f"{day};PRLV EDF;-45,10\n"
            f"{day};VIR INCONNU SANS REFERENCE;50,00\n"
        )
        response = self.upload(content)
        preview_url = response["Location"]
        page = self.client.get(preview_url)
        self.assertContains(page, f"paiement de la demande {req.reference}")
        self.assertContains(page, "aucune demande ne porte cette référence")
        self.assertContains(page, "Confirmer : enregistrer 2 paiement(s)")
        self.assertEqual(RequestPayment.objects.count(), 0)  # dry run records nothing
        self.client.post(preview_url)
        req.refresh_from_db()
        other.refresh_from_db()
        self.assertEqual(req.status, RequestStatus.PAID)
        self.assertEqual(other.status, RequestStatus.PARTIALLY_PAID)
        self.assertEqual(other.received(), Decimal(100))
        # The same statement imported again records nothing more.
        response = self.upload(content)
        page = self.client.get(response["Location"])
        self.assertContains(page, "déjà enregistrée lors d’un import précédent")
        self.client.post(response["Location"])
        self.assertEqual(RequestPayment.objects.count(), 2)

    def test_a_statement_with_one_unreadable_line_records_nothing(self):
        req = new_request()
        day = TODAY().strftime("%d/%m/%Y")
        content = f"{day};VIR {req.reference};400,00\n31/02/2026;VIR X;10,00\n"
        response = self.upload(content)
        page = self.client.get(response["Location"])
        self.assertContains(page, "date illisible « 31/02/2026 »")
        self.assertNotContains(page, "Confirmer")
        response = self.client.post(response["Location"], follow=True)
        self.assertContains(response, "Ligne 2 : date illisible")
        self.assertContains(response, "Aucun paiement n’a été enregistré")
        self.assertEqual(RequestPayment.objects.count(), 0)
        req.refresh_from_db()
        self.assertEqual(req.status, RequestStatus.AWAITING_PAYMENT)


@pytest.mark.django_db
def test_the_certificate_pdf_arrives_through_a_real_smtp_server(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": smtp_server.hostname, "port": smtp_server.port},
        }
    }
    make_statutes()
    payment_settings()
    req = new_request(email="smtp@exemple.fr")
    request_payment_record(
        actor=None, request=req, amount=req.amount, paid_on=TODAY(), method="transfer"
    )
    with django_capture_on_commit_callbacks(execute=True):
        subscription_request_approve(actor=None, request=req)
    assert SubscriptionDocument.objects.get(kind=DocumentKind.CERTIFICATE).sent_at is not None
    certificate = next(m for m in smtp_server.messages if "certificat" in m["Subject"].lower())
    assert certificate["To"] == "smtp@exemple.fr"
    parts = [p for p in certificate.walk() if p.get_content_type() == "application/pdf"]
    assert len(parts) == 1
    text = pdf_text(parts[0].get_payload(decode=True))
    assert "Certificat de parts" in text or "certificat de parts" in text.lower()
    assert req.reference in text

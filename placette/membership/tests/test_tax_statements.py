"""IR-PME états individuels (CGI art. 199 terdecies-0 A)."""

import datetime as dt
from decimal import Decimal

from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from placette.lib.models import Job
from placette.lib.refusals import Refusal
from placette.lib.testing import pdf_text
from placette.membership.models import TaxYear
from placette.membership.models_requests import DocumentKind, SubscriptionDocument
from placette.membership.subscriptions import request_payment_record, subscription_request_approve
from placette.membership.tax import tax_statements_generate, tax_statements_to_send
from placette.membership.tests.helpers import make_statutes
from placette.membership.tests.test_subscription_public import payment_settings
from placette.membership.tests.test_subscription_queue import new_request
from placette.test import BaseTestCase


def eligible_year(year: int, **fields) -> TaxYear:
    """The settings of a year in which the coop (a foncière, so ESUS-approved) is eligible."""
    values = {
        "rate_percent": Decimal(18),
        "ceiling_single": Decimal(50000),
        "ceiling_couple": Decimal(100000),
        "company_eligible": True,
        "real_estate": True,
        "esus_reference": "Agrément ESUS n° 26-2019-004 (préfecture de la Drôme)",
        "esus_from": dt.date(2019, 1, 1),
        "esus_until": dt.date(year + 4, 12, 31),
        "signatory_name": "Claire Fabre",
        "signatory_role": "présidente",
    }
    values.update(fields)
    return TaxYear.objects.create(year=year, **values)


class TaxStatementTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        payment_settings()
        cls.year = timezone.localdate().year
        eligible_year(cls.year)

    def approved(self, **kwargs):
        req = new_request(**kwargs)
        request_payment_record(
            actor=None,
            request=req,
            amount=req.amount,
            paid_on=dt.date(self.year, 1, 1),
            method="transfer",
        )
        return subscription_request_approve(actor=None, request=req)

    def test_a_statement_carries_every_field_the_law_requires(self):
        req = self.approved(tax_resident_fr=True)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            result = tax_statements_generate(actor=self.staff, year=self.year, send=True)
        self.assertEqual((result.created, result.queued), (1, 1))
        text = " ".join(pdf_text(bytes(result.documents[0].content)).split())
        for expected in [
            "199 terdecies-0 A",
            "Placette SCIC",
            "Acquérir et rénover",  # object
            "1 place du Village",  # seat
            "MARTIN Léa",
            "3 rue des Tilleuls",
            "4",  # shares
            "400,00",
            f"01/01/{self.year}",
            "conditions prévues",
            "18 %",
        ]:
            self.assertIn(expected, text)
        [message] = mail.outbox
        self.assertIn(f"IR-PME {self.year}", message.subject)
        self.assertEqual(message.attachments[0][2], "application/pdf")
        self.assertEqual(req.contact, result.documents[0].contact)

    def test_regenerating_a_year_does_not_duplicate_nor_resend(self):
        self.approved(tax_resident_fr=True)
        with self.captureOnCommitCallbacks(execute=True):
            tax_statements_generate(actor=None, year=self.year, send=True)
        with self.captureOnCommitCallbacks(execute=True):
            again = tax_statements_generate(actor=None, year=self.year, send=True)
        self.assertEqual((again.created, again.unchanged, again.queued), (0, 1, 0))
        self.assertEqual(
            SubscriptionDocument.objects.filter(kind=DocumentKind.TAX_STATEMENT).count(), 1
        )
        self.assertEqual(len([m for m in mail.outbox if "IR-PME" in m.subject]), 1)

    def test_non_residents_and_legal_entities_get_no_statement(self):
        self.approved(tax_resident_fr=False)
        self.assertEqual(tax_statements_generate(actor=None, year=self.year).documents, [])

    def test_a_year_without_settings_is_refused_with_a_clear_message(self):
        with self.assertRaisesMessage(Refusal, "paramètres IR-PME de 2001"):
            tax_statements_generate(actor=None, year=2001)
        with self.assertRaisesMessage(CommandError, "paramètres IR-PME de 2001"):
            call_command("tax_statements", "--year", "2001")

    def test_the_command_and_the_staff_page_produce_the_batch(self):
        self.approved(tax_resident_fr=True)
        call_command("tax_statements", "--year", str(self.year))
        self.login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("membership_public:tax"), {"year": self.year, "conditions_met": "on"}
            )
        job = Job.objects.get()
        self.assertRedirects(response, job.get_absolute_url())
        page = self.client.get(job.get_absolute_url())
        self.assertContains(page, "0 état(s) créé(s), 0 mis à jour, 1 inchangé(s)")
        page = self.client.get(job.return_url)
        self.assertContains(page, "Léa MARTIN")

    def test_sending_the_statements_asks_first_how_many_investors_will_receive_one(self):
        self.approved(tax_resident_fr=True)
        self.approved(tax_resident_fr=True, email="hugo@exemple.fr", last_name="Hugo")
        self.approved(tax_resident_fr=True, email="ines@exemple.fr", last_name="Ines")
        tax_statements_generate(actor=None, year=self.year, send=False)
        sent = SubscriptionDocument.objects.filter(kind=DocumentKind.TAX_STATEMENT).first()
        SubscriptionDocument.objects.filter(pk=sent.pk).update(sent_at=timezone.now())
        mail.outbox.clear()
        self.login(self.staff)
        url = reverse("membership_public:tax")
        data = {"year": self.year, "conditions_met": "on", "send": "on"}
        page = self.client.post(url, data)
        self.assertContains(page, 'data-count="2"')
        self.assertContains(page, "Produire et envoyer 2 états")
        self.assertContains(page, '<input type="hidden" name="send" value="on">')
        self.assertContains(page, "Aperçu de l’e-mail")
        self.assertContains(page, f"Votre état individuel IR-PME {self.year}")
        self.assertFalse(Job.objects.exists())
        self.assertEqual(mail.outbox, [])
        with self.captureOnCommitCallbacks(execute=True):
            page = self.client.post(url, {**data, "test_send": "1"})
        self.assertContains(page, "E-mail d’essai envoyé à equipe@test.fr")
        [test] = mail.outbox
        self.assertEqual(test.to, ["equipe@test.fr"])
        self.assertEqual(test.extra_headers.get("X-Placette-Essai"), "1")
        self.assertEqual(test.attachments[0][2], "application/pdf")
        self.assertEqual(tax_statements_to_send(self.year), 2)  # an essay is not a sending
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {**data, "confirm": "1"})
        self.assertEqual(Job.objects.get().status, "done")
        self.assertEqual(len([m for m in mail.outbox if "IR-PME" in m.subject]), 2)

    def test_a_year_without_settings_is_refused_on_the_form_before_any_job_starts(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("membership_public:tax"), {"year": 2001, "conditions_met": "on"}
        )
        self.assertContains(response, "paramètres IR-PME de 2001")
        self.assertFalse(Job.objects.exists())

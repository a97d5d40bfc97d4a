"""IR-PME statements for every eligible subscription — online, paper bulletin entered by staff,
or booked directly (as an import does) — only in a year the company is declared eligible."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from placette.lib.refusals import Refusal
from placette.lib.testing import PDF, pdf_text
from placette.membership.models import Member, TaxYear
from placette.membership.models_requests import (
    DocumentKind,
    SubscriptionDocument,
    SubscriptionRequest,
)
from placette.membership.services import shares_pay, shares_subscribe
from placette.membership.subscriptions import request_payment_record, subscription_request_approve
from placette.membership.tax import eligible_statements, tax_statements_generate
from placette.membership.tests.helpers import category, make_statutes
from placette.membership.tests.test_subscription_public import payment_settings
from placette.membership.tests.test_tax_statements import eligible_year
from placette.test import BaseTestCase, make_contact

D = dt.date
YEAR = 2025


def plain(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


class TaxEligibilityTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        payment_settings()
        cls.resident = make_contact(
            first_name="Paul", last_name="Arnaud", address_line1="2 rue Haute", postcode="26150"
        )
        cls.abroad = make_contact(first_name="Ana", last_name="Silva")
        soutiens = category("soutiens")
        # Booked by staff (or imported): a quarter at subscription, the balance months later.
        cls.direct = shares_subscribe(
            actor=None,
            contact=cls.resident,
            shares=8,
            category=soutiens,
            on=D(YEAR, 2, 1),
            paid=Decimal(200),
            reference="BS-2025-P",
        )
        shares_pay(actor=None, contact=cls.resident, amount=Decimal(600), on=D(YEAR, 9, 1))
        shares_subscribe(
            actor=None, contact=cls.abroad, shares=5, category=soutiens, on=D(YEAR, 3, 1)
        )
        Member.objects.filter(contact=cls.resident).update(tax_resident_fr=True)

    def test_a_directly_booked_subscription_gets_a_statement_naming_the_titles_and_signatory(self):
        eligible_year(YEAR, holding_years=5, clawback_years=7)
        result = tax_statements_generate(actor=None, year=YEAR)
        [document] = result.documents
        self.assertEqual((document.contact, document.movement), (self.resident, self.direct))
        text = plain(pdf_text(bytes(document.content)))
        for expected in [
            "8 parts sociales de 100,00 € de valeur nominale",
            "800,00 €",
            "01/02/2025 : 200,00 €",
            "01/09/2025 : 600,00 €",
            "Total des versements effectués en 2025 : 800,00 €",
            "conservées jusqu’au 31/12/2030",
            "avant le 31/12/2032",
            "Agrément ESUS n° 26-2019-004",
            "Claire Fabre, présidente",
            "conditions prévues",
        ]:
            self.assertIn(expected, text)

    def test_a_non_resident_and_a_legal_entity_get_none(self):
        eligible_year(YEAR)
        people = {s.contact for s in eligible_statements(YEAR)}
        self.assertEqual(people, {self.resident})

    def test_a_year_declared_not_eligible_is_refused_and_the_command_says_why(self):
        eligible_year(YEAR, company_eligible=False)
        with self.assertRaisesMessage(Refusal, "n’est pas déclarée éligible"):
            tax_statements_generate(actor=None, year=YEAR)
        with self.assertRaisesMessage(CommandError, "2025 : 0 état individuel."):
            call_command("tax_statements", "--year", str(YEAR))
        self.assertFalse(SubscriptionDocument.objects.filter(kind=DocumentKind.TAX_STATEMENT))

    def test_a_real_estate_company_without_esus_for_the_year_is_refused(self):
        eligible_year(YEAR, esus_from=D(2026, 1, 1), esus_until=D(2030, 1, 1))
        with self.assertRaisesMessage(Refusal, "agréée ESUS"):
            tax_statements_generate(actor=None, year=YEAR)
        TaxYear.objects.filter(year=YEAR).update(real_estate=False)
        self.assertEqual(len(tax_statements_generate(actor=None, year=YEAR).documents), 1)

    def test_a_paper_bulletin_entered_by_staff_with_its_scan_gets_a_statement(self):
        eligible_year(YEAR)
        self.login(self.staff)
        page = self.client.get(reverse("membership_public:request_paper"))
        token = page.context["form"].initial["form_token"]
        response = self.client.post(
            reverse("membership_public:request_paper"),
            {
                "form_token": token,
                "subscriber_kind": "person",
                "first_name": "Rose",
                "last_name": "Papier",
                "email": "",
                "address_line1": "1 place du Marché",
                "postcode": "26150",
                "commune": "Die",
                "tax_resident_fr": "on",
                "category": category("salaries").pk,  # not offered online: fine on paper
                "shares": "3",
                "payment_method": "cheque",
                "consent_statutes": "on",
                "consent_risk": "on",
                "consent_data": "on",
                "signed_on": "2025-03-10",
                "scan": SimpleUploadedFile("bulletin.pdf", PDF, content_type="application/pdf"),
            },
        )
        req = SubscriptionRequest.objects.get(contact__last_name="Papier")
        self.assertRedirects(response, reverse("membership_public:request_detail", args=[req.pk]))
        self.assertEqual((req.channel, req.signed_on), ("paper", D(2025, 3, 10)))
        self.assertEqual(req.bulletin_scan.read(), PDF)
        request_payment_record(
            actor=None, request=req, amount=req.amount, paid_on=D(YEAR, 3, 12), method="cheque"
        )
        subscription_request_approve(actor=None, request=req, on=D(YEAR, 3, 20))
        statements = {s.contact.last_name: s for s in eligible_statements(YEAR)}
        self.assertEqual(statements["Papier"].subscription.origin, "bulletin papier")
        self.assertEqual(
            statements["Papier"].subscription.payments, [(D(YEAR, 3, 12), Decimal(300), True)]
        )
        page = self.client.get(reverse("membership_public:request_detail", args=[req.pk]))
        self.assertContains(page, "bulletin numérisé")

    def test_a_paper_bulletin_without_its_scan_is_refused(self):
        self.login(self.staff)
        response = self.client.post(reverse("membership_public:request_paper"), {"shares": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(SubscriptionRequest.objects.exists())

    def test_staff_change_the_tax_residence_on_the_holder_page(self):
        self.login(self.staff)
        self.client.post(
            reverse("membership:tax_residence", args=[self.abroad.pk]), {"tax_resident_fr": "1"}
        )
        self.assertTrue(Member.objects.get(contact=self.abroad).tax_resident_fr)

    def test_a_staff_admin_sets_the_year_eligible_with_its_esus_approval(self):
        self.login(self.staff_admin)
        response = self.client.post(
            reverse("membership_public:tax_year", args=[YEAR]),
            {
                "rate_percent": "18",
                "ceiling_single": "50000",
                "ceiling_couple": "100000",
                "company_eligible": "on",
                "real_estate": "on",
                "esus_reference": "ESUS 26-1",
                "esus_from": "2019-01-01",
                "esus_until": "",
                "holding_years": "5",
                "clawback_years": "4",
                "signatory_name": "Claire Fabre",
            },
        )
        self.assertContains(response, "pas plus court", status_code=200)
        self.assertFalse(TaxYear.objects.exists())
        data = response.context["form"].data.copy()
        data["clawback_years"] = "7"
        response = self.client.post(reverse("membership_public:tax_year", args=[YEAR]), data)
        self.assertRedirects(response, f"{reverse('membership_public:tax')}?year={YEAR}")
        self.assertEqual(TaxYear.objects.get().ineligibility(), [])

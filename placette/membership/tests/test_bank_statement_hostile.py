"""Hostile bank statements and references: a French refusal, never a 500, nothing recorded."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from placette.lib.refusals import Refusal
from placette.membership.models import Movement
from placette.membership.models_requests import BankStatement, RequestPayment
from placette.membership.services import shares_subscribe
from placette.membership.subscriptions import BANK_STATEMENT_MAX_BYTES, request_payment_record
from placette.membership.tests.helpers import category, make_statutes
from placette.membership.tests.test_subscription_public import payment_settings
from placette.membership.tests.test_subscription_queue import new_request
from placette.test import BaseTestCase, make_contact


class BankStatementHostileTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        payment_settings()

    def upload(self, raw: bytes):
        self.login(self.staff)
        return self.client.post(
            reverse("membership_public:bank_import"),
            {"file": SimpleUploadedFile("releve.csv", raw)},
        )

    def test_non_finite_and_huge_amounts_are_refused_lines_and_the_preview_shows_them(self):
        req = new_request()
        day = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
        amounts = ["1e400", "NaN", "Infinity", "-inf", "99999999999999999", "1000000000000,00"]
        content = "date;libellé;montant\n" + "".join(
            f"{day};VIR {req.reference};{a}\n" for a in amounts
        )
        response = self.upload(content.encode())
        page = self.client.get(response["Location"])
        self.assertEqual(page.status_code, 200)
        for amount in amounts:
            self.assertContains(page, f"montant illisible « {amount} »")
        confirm = self.client.post(response["Location"], follow=True)
        self.assertContains(confirm, "Aucun paiement n’a été enregistré")
        self.assertFalse(RequestPayment.objects.exists())

    def test_a_statement_above_the_size_cap_is_refused_and_not_stored(self):
        line = "01/01/2024;VIR QUELCONQUE;10,00\n"
        raw = (
            "date;libellé;montant\n" + line * (BANK_STATEMENT_MAX_BYTES // len(line) + 1)
        ).encode()
        response = self.upload(raw)
        self.assertContains(response, "Le relevé dépasse 5 Mo")
        self.assertFalse(BankStatement.objects.exists())

    def test_a_binary_statement_is_refused_and_not_stored(self):
        response = self.upload(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
        self.assertContains(response, "pas un texte lisible")
        self.assertFalse(BankStatement.objects.exists())

    def test_a_ten_thousand_character_payment_reference_is_refused_in_french(self):
        req = new_request()
        with self.assertRaisesMessage(Refusal, "ne peut pas dépasser 200 caractères"):
            request_payment_record(
                actor=self.staff,
                request=req,
                amount=Decimal("10.00"),
                paid_on=timezone.localdate(),
                method="transfer",
                reference="x" * 10_000,
            )
        self.assertFalse(RequestPayment.objects.exists())


class LongReferenceTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_contact(first_name="Alice", last_name="Martin", email="alice@ex.fr")

    def test_a_ten_thousand_character_movement_reference_is_refused_by_the_service(self):
        with self.assertRaisesMessage(Refusal, "ne peut pas dépasser 100 caractères"):
            shares_subscribe(
                actor=None,
                contact=self.alice,
                shares=2,
                category=category("soutiens"),
                on=dt.date(2024, 1, 1),
                reference="x" * 10_000,
            )
        self.assertFalse(Movement.objects.exists())

    def test_the_staff_subscription_form_refuses_a_ten_thousand_character_reference(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("membership:subscribe", args=[self.alice.pk]),
            {
                "shares": "2",
                "on": "2024-01-01",
                "category": category("soutiens").pk,
                "reference": "x" * 10_000,
            },
        )
        self.assertIn(response.status_code, (200, 302, 400))
        self.assertFalse(Movement.objects.exists())

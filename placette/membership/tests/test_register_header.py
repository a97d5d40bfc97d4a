"""The register at a date carries the legal identity of the company and the capital of that
day — subscribed, called and paid-up — in its PDF (read with pypdf) and in its CSV (read with
the csv module), and every movement row has its called capital."""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse

from placette.lib.testing import pdf_text
from placette.membership import register
from placette.membership.services import shares_pay, shares_subscribe
from placette.membership.tests.helpers import category, make_statutes
from placette.test import BaseTestCase, make_contact

D = dt.date


class RegisterHeaderTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes(
            coop_name="Les Communs du Diois",
            legal_form="SA",
            floor_amount=Decimal(18500),
            seat="1 place du Village, 26150 Die",
            registration="RCS Romans 123 456 789",
        )
        soutiens = category("soutiens")
        cls.alice = make_contact(first_name="Alice", last_name="Martin")
        cls.bob = make_contact(first_name="Bob", last_name="Roux")
        shares_subscribe(
            actor=None,
            contact=cls.alice,
            shares=8,
            category=soutiens,
            on=D(2024, 2, 1),
            paid=Decimal(200),
        )
        shares_subscribe(actor=None, contact=cls.bob, shares=3, category=soutiens, on=D(2024, 4, 2))
        shares_pay(actor=None, contact=cls.alice, amount=Decimal(600), on=D(2024, 5, 1))

    def _csv(self, on: dt.date) -> list[list[str]]:
        text = io.StringIO()
        register.write_csv(on, text)
        return list(csv.reader(io.StringIO(text.getvalue()), delimiter=";"))

    def test_the_csv_begins_with_the_company_and_the_capital_subscribed_called_and_paid_that_day(
        self,
    ):
        lines = self._csv(D(2024, 3, 31))
        head = {line[0]: line[1] for line in lines[:12] if len(line) == 2}
        self.assertEqual(lines[0], ["Registre des mouvements de titres"])
        self.assertEqual(head["Société"], "Les Communs du Diois")
        self.assertEqual(
            head["Forme"],
            "société coopérative d’intérêt collectif, société anonyme à capital variable",
        )
        self.assertEqual(head["Siège social"], "1 place du Village, 26150 Die")
        self.assertEqual(head["Immatriculation"], "RCS Romans 123 456 789")
        self.assertEqual(head["Arrêté au"], "2024-03-31")
        # on 31 March only Alice holds: 8 shares subscribed and called (800), 200 paid up
        self.assertEqual(head["Parts"], "8")
        self.assertEqual(
            [head["Capital souscrit (€)"], head["Capital appelé (€)"], head["Capital libéré (€)"]],
            ["800,00", "800,00", "200,00"],
        )
        self.assertEqual((head["Titulaires"], head["Sociétaires"]), ("1", "1"))
        self.assertEqual(lines[12], [])
        self.assertEqual(lines[13], register.HEADER)
        movements = lines[14:]
        self.assertEqual(len(movements), 1)
        row = dict(zip(register.HEADER, movements[0], strict=True))
        self.assertEqual(
            (row["capital souscrit (€)"], row["capital appelé (€)"], row["capital libéré (€)"]),
            ("800,00", "800,00", "200,00"),
        )

    def test_the_csv_at_a_later_date_counts_the_later_movements(self):
        lines = self._csv(D(2024, 12, 31))
        head = {line[0]: line[1] for line in lines[:12] if len(line) == 2}
        self.assertEqual(head["Parts"], "11")
        self.assertEqual(head["Capital libéré (€)"], "1100,00")
        self.assertEqual((head["Titulaires"], head["Sociétaires"]), ("2", "2"))
        self.assertEqual(len(lines[14:]), 3)

    def test_the_pdf_names_the_company_its_form_seat_registration_date_and_capitals(self):
        text = " ".join(pdf_text(register.pdf(D(2024, 3, 31))).split())
        self.assertIn("Les Communs du Diois", text)
        self.assertIn("société anonyme à capital variable", text)
        self.assertIn("1 place du Village, 26150 Die", text)
        self.assertIn("RCS Romans 123 456 789", text)
        self.assertIn("Arrêté au 31/03/2024", text)
        self.assertRegex(text, r"capital souscrit 800,00\s?€, appelé 800,00\s?€, libéré 200,00")
        self.assertIn("1 titulaires, 1 sociétaires", text)
        self.assertIn("Appelé", text)
        self.assertNotIn("Bob", text)

    def test_the_staff_csv_download_carries_the_same_header(self):
        self.login(self.staff)
        response = self.client.get(
            reverse("membership:register_export", args=["csv"]), {"date": "2024-03-31"}
        )
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(body), delimiter=";"))
        self.assertEqual(lines[1], ["Société", "Les Communs du Diois"])
        self.assertEqual(lines[13], register.HEADER)

"""Hostile files and numbers fed to the register import and the subscription forms: a French
message naming the problem, never a 500, nothing written."""

import datetime as dt
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from placette.lib.refusals import Refusal
from placette.membership import importing
from placette.membership.models import Movement
from placette.membership.services import MAX_SHARES, shares_subscribe
from placette.membership.tests.helpers import category, make_statutes
from placette.test import BaseTestCase, make_contact

HEADER = "numero;date;nature;titulaire;parts;montant;categorie;contrepartie\n"
ROW = "1;01/02/2019;souscription;bob@ex.fr;5;;soutiens;\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


class RegisterImportHostileFileTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.bob = make_contact(first_name="Bob", last_name="Roux", email="bob@ex.fr")

    def post(self, raw, name="registre.csv"):
        self.login(self.staff_admin)
        upload = SimpleUploadedFile(name, raw)
        return self.client.post(reverse("membership:import"), {"file": upload, "commit": "1"})

    def assert_refused(self, raw, message, name="registre.csv"):
        response = self.post(raw, name)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        self.assertFalse(Movement.objects.exists())

    def test_a_binary_file_is_refused_as_not_a_csv(self):
        self.assert_refused(PNG, "contenu binaire")
        self.assert_refused(os.urandom(4096), "n’est pas un CSV")

    def test_random_bytes_named_xlsx_are_refused_as_an_unreadable_excel_file(self):
        self.assert_refused(os.urandom(4096), "Ce fichier Excel est illisible.", "registre.xlsx")

    def test_an_empty_file_is_refused_as_empty(self):
        self.assert_refused(b"", "Le fichier soumis est vide.")
        self.assert_refused(b"  \n\n", "Le fichier est vide.")

    def test_a_header_only_file_is_refused_as_having_no_movement(self):
        self.assert_refused(HEADER.encode(), "ne contient que l’en-tête")

    def test_a_pipe_separated_file_is_refused_naming_the_separator(self):
        raw = (HEADER + ROW).replace(";", "|").encode()
        self.assert_refused(raw, "Séparateur de colonnes non reconnu (« | »)")

    def test_a_utf16_file_is_read_like_a_utf8_one(self):
        report = importing.register_import(
            actor=self.staff_admin,
            raw=(HEADER + ROW).encode("utf-16"),
            filename="registre.csv",
            commit=False,
        )
        self.assertEqual([r.status for r in report.rows], ["ok"])
        self.assertFalse(Movement.objects.exists())

    def test_a_file_above_the_size_cap_is_refused_before_reading(self):
        raw = (HEADER + ROW * (importing.MAX_BYTES // len(ROW) + 1)).encode()
        self.assert_refused(raw, "Le fichier dépasse 10 Mo")
        with self.assertRaisesMessage(Refusal, "Le fichier dépasse 10 Mo"):
            importing.read_rows(raw, "registre.csv")

    def test_a_row_of_a_trillion_shares_is_reported_and_nothing_is_written(self):
        raw = (HEADER + ROW.replace(";5;", f";{10**12};")).encode()
        response = self.post(raw)
        self.assertContains(response, f"ne peut pas dépasser {MAX_SHARES}")
        self.assertFalse(Movement.objects.exists())


class TooManySharesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_contact(first_name="Alice", last_name="Martin", email="alice@ex.fr")

    def test_the_service_refuses_a_trillion_shares_in_french(self):
        with self.assertRaisesMessage(Refusal, f"ne peut pas dépasser {MAX_SHARES}"):
            shares_subscribe(
                actor=None,
                contact=self.alice,
                shares=10**12,
                category=category("soutiens"),
                on=dt.date(2024, 1, 1),
            )
        self.assertFalse(Movement.objects.exists())

    def test_the_staff_subscription_form_refuses_a_trillion_shares(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("membership:subscribe", args=[self.alice.pk]),
            {"shares": str(10**12), "on": "2024-01-01", "category": category("soutiens").pk},
        )
        self.assertIn(response.status_code, (200, 302))
        self.assertFalse(Movement.objects.exists())

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from placette.contacts.importing import contacts_import
from placette.contacts.models import Contact
from placette.lib.refusals import Refusal
from placette.test import BaseTestCase, make_contact

GOOD = (
    "Prénom;Nom;E-mail;Code postal;Commune;Étiquettes\n"
    "Léa;Faure;lea@ex.fr;26150;Die;bénévole\n"
    "Tom;Blanc;tom@ex.fr;07200;Aubenas;\n"
).encode()


class ImportTests(BaseTestCase):
    def test_a_dry_run_reports_each_row_and_writes_nothing(self):
        report = contacts_import(actor=self.staff, raw=GOOD, commit=False)
        self.assertEqual([r.action for r in report.rows], ["création", "création"])
        self.assertFalse(Contact.objects.filter(email_normalized="lea@ex.fr").exists())

    def test_an_import_is_idempotent_on_the_normalized_email(self):
        contacts_import(actor=self.staff, raw=GOOD, commit=True)
        lea = Contact.objects.get(email_normalized="lea@ex.fr")
        self.assertEqual(
            (lea.commune_code, list(lea.tags.values_list("name", flat=True))),
            ("26113", ["bénévole"]),
        )
        count = Contact.objects.count()
        again = contacts_import(actor=self.staff, raw=GOOD.replace(b"lea@", b"LEA@"), commit=True)
        self.assertEqual([r.action for r in again.rows], ["inchangé", "inchangé"])
        self.assertEqual(Contact.objects.count(), count)

    def test_one_bad_row_means_nothing_is_imported(self):
        raw = GOOD + b"Zed;Nul;pas-une-adresse;26150;Die;\nAl;Bis;al@ex.fr;99999;Nulle part;\n"
        report = contacts_import(actor=self.staff, raw=raw, commit=True)
        self.assertFalse(report.committed)
        errors = {r.line: r.errors for r in report.errors}
        self.assertIn("adresse e-mail invalide « pas-une-adresse »", errors[4])
        self.assertIn("commune inconnue « Nulle part » pour le code postal « 99999 »", errors[5])
        self.assertFalse(Contact.objects.filter(email_normalized="lea@ex.fr").exists())

    def test_a_file_in_the_wrong_encoding_is_refused_with_a_clear_message(self):
        raw = GOOD.decode().encode("cp1252")
        with self.assertRaisesMessage(
            Refusal, "n’est pas encodé en UTF-8 (caractère illisible ligne 1)"
        ):
            contacts_import(actor=self.staff, raw=raw, commit=False)
        report = contacts_import(actor=self.staff, raw=raw, encoding="cp1252", commit=False)
        self.assertEqual(len(report.rows), 2)

    def test_a_brevo_export_with_english_headers_and_a_bom_is_understood(self):
        raw = "\ufeffCONTACT ID;EMAIL;LASTNAME;FIRSTNAME\n1;b@ex.fr;Brevo;Bea\n".encode()
        report = contacts_import(actor=self.staff, raw=raw, commit=True)
        self.assertTrue(report.committed)
        self.assertEqual(Contact.objects.get(email_normalized="b@ex.fr").display_name, "Bea BREVO")

    def test_an_address_already_used_by_an_organisation_is_reported(self):
        make_contact(
            kind="organisation", organisation_name="Org", org_kind="ess", email="lea@ex.fr"
        )
        report = contacts_import(actor=self.staff, raw=GOOD, commit=False)
        self.assertIn("cette adresse appartient à une fiche d’un autre type", report.rows[0].errors)

    def test_staff_checks_then_confirms_an_import_from_the_web_page(self):
        self.login(self.staff)
        upload = SimpleUploadedFile("contacts.csv", GOOD, content_type="text/csv")
        response = self.client.post(
            reverse("contacts:import"), {"file": upload, "encoding": "utf-8"}
        )
        self.assertContains(response, "Toutes les lignes sont valides.")
        self.assertFalse(Contact.objects.filter(email_normalized="tom@ex.fr").exists())
        token = response.context["token"]
        response = self.client.post(
            reverse("contacts:import"), {"token": token, "encoding": "utf-8"}
        )
        self.assertRedirects(response, reverse("contacts:list"))
        self.assertTrue(Contact.objects.filter(email_normalized="tom@ex.fr").exists())

    def test_the_web_page_shows_the_encoding_error_and_imports_nothing(self):
        self.login(self.staff)
        upload = SimpleUploadedFile("c.csv", GOOD.decode().encode("cp1252"))
        response = self.client.post(
            reverse("contacts:import"), {"file": upload, "encoding": "utf-8"}
        )
        self.assertContains(response, "n’est pas encodé en UTF-8")
        self.assertFalse(Contact.objects.filter(email_normalized="tom@ex.fr").exists())


class ImportTamperedEncodingTests(BaseTestCase):
    def test_a_tampered_encoding_on_the_confirmation_is_refused_in_french(self):
        self.login(self.staff)
        upload = SimpleUploadedFile("contacts.csv", GOOD, content_type="text/csv")
        response = self.client.post(
            reverse("contacts:import"), {"file": upload, "encoding": "utf-8"}
        )
        token = response.context["token"]
        response = self.client.post(
            reverse("contacts:import"), {"token": token, "encoding": "rot13"}, follow=True
        )
        self.assertContains(response, "Encodage inconnu : choisissez UTF-8 ou Windows-1252")
        self.assertFalse(Contact.objects.filter(email_normalized="tom@ex.fr").exists())

    def test_the_service_refuses_an_unknown_encoding(self):
        with self.assertRaisesMessage(Refusal, "Encodage inconnu"):
            contacts_import(actor=self.staff, raw=GOOD, encoding="no-such-codec", commit=False)


NO_EMAIL = (
    "Prénom;Nom;Code postal;Commune;Téléphone\n"
    "Léa;Faure;26150;Die;0475000001\n"
    "Léa;Faure;07200;Aubenas;\n"
    "Tom;Blanc;;;\n"
    ";;;;\n"
).encode()


class ImportWithoutEmailTests(BaseTestCase):
    def test_re_importing_rows_without_email_matches_name_and_commune_and_creates_nobody(self):
        first = contacts_import(actor=self.staff, raw=NO_EMAIL, commit=True)
        self.assertEqual([r.action for r in first.rows], ["création"] * 3)
        count = Contact.objects.count()
        again = contacts_import(actor=self.staff, raw=NO_EMAIL, commit=True)
        self.assertTrue(again.committed)
        self.assertEqual([r.action for r in again.rows], ["inchangé"] * 3)
        self.assertEqual(Contact.objects.count(), count)
        # accents and case of the name do not matter; the commune does
        changed = NO_EMAIL.replace(b"L\xc3\xa9a;Faure;26150", b"LEA;FAURE;26150").replace(
            b"0475000001", b"0475000009"
        )
        third = contacts_import(actor=self.staff, raw=changed, commit=True)
        self.assertEqual([r.action for r in third.rows], ["mise à jour", "inchangé", "inchangé"])
        self.assertEqual(Contact.objects.count(), count)
        die = Contact.objects.get(commune_code="26113", name_key="faure lea")
        self.assertEqual(die.phone, "0475000009")

    def test_a_row_bringing_an_email_completes_the_contact_imported_without_one(self):
        contacts_import(actor=self.staff, raw=NO_EMAIL, commit=True)
        count = Contact.objects.count()
        raw = "Prénom;Nom;E-mail;Code postal;Commune\nLéa;Faure;lea@ex.fr;26150;Die\n".encode()
        report = contacts_import(actor=self.staff, raw=raw, commit=True)
        self.assertEqual([r.action for r in report.rows], ["mise à jour"])
        self.assertEqual(Contact.objects.count(), count)
        self.assertEqual(Contact.objects.get(email_normalized="lea@ex.fr").commune_code, "26113")

    def test_a_namesake_in_another_commune_or_with_another_email_is_a_new_contact(self):
        make_contact(first_name="Léa", last_name="Faure", email="autre@ex.fr")
        raw = "Prénom;Nom;E-mail;Code postal;Commune\nLéa;Faure;lea@ex.fr;26150;Die\n".encode()
        report = contacts_import(actor=self.staff, raw=raw, commit=False)
        self.assertEqual([r.action for r in report.rows], ["création"])

    def test_two_people_that_cannot_be_told_apart_are_reported_and_nothing_is_imported(self):
        twice = NO_EMAIL + b"Tom;Blanc;;;0600000000\n"
        report = contacts_import(actor=self.staff, raw=twice, commit=True)
        self.assertFalse(report.committed)
        self.assertIn("même nom et même commune que la ligne 4", report.errors[0].errors[0])
        self.assertFalse(Contact.objects.filter(name_key="blanc tom").exists())
        make_contact(first_name="Tom", last_name="Blanc")
        make_contact(first_name="Tom", last_name="Blanc")
        report = contacts_import(actor=self.staff, raw=NO_EMAIL, commit=True)
        self.assertFalse(report.committed)
        self.assertIn("2 fiches portent ce nom", report.errors[0].errors[0])
        self.assertFalse(Contact.objects.filter(name_key="faure lea").exists())

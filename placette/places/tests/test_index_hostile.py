"""Hostile index values (by hand and imported): a French refusal, never a 500, nothing saved."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from placette.lib.refusals import Refusal
from placette.places.models import IndexValue
from placette.places.services import index_value_set
from placette.test import BaseTestCase


class IndexHostileValueTests(BaseTestCase):
    def test_the_index_form_refuses_nan_infinity_and_1e400(self):
        self.login(self.staff)
        for value in ["NaN", "Infinity", "-Infinity", "1e400", "99999999999999"]:
            response = self.client.post(
                reverse("places:indexes"),
                {"kind": "ILC", "year": "2024", "quarter": "1", "value": value},
            )
            self.assertEqual(response.status_code, 200, value)
            self.assertTrue(response.context["form"].errors, value)
        self.assertFalse(IndexValue.objects.exists())

    def test_the_service_refuses_a_non_finite_or_huge_value_in_french(self):
        for value in [Decimal("NaN"), Decimal("Infinity"), Decimal("1e400")]:
            with self.assertRaisesMessage(Refusal, "Valeur d’indice illisible"):
                index_value_set(actor=self.staff, kind="ILC", year=2024, quarter=1, value=value)
        with self.assertRaisesMessage(Refusal, "Année impossible"):
            index_value_set(
                actor=self.staff, kind="ILC", year=10**12, quarter=1, value=Decimal("130")
            )
        self.assertFalse(IndexValue.objects.exists())

    def test_an_import_with_nan_infinity_or_1e400_is_refused_and_saves_nothing(self):
        self.login(self.staff)
        raw = (
            "indice;annee;trimestre;valeur\n"
            "ILC;2024;1;130,5\n"
            "ILC;2024;2;NaN\n"
            "ILC;2024;3;Infinity\n"
            "ILC;2024;4;1e400\n"
            "ILC;2025;1;99999999999999\n"
            f"ILC;{10**12};1;130\n"
        ).encode()
        response = self.client.post(
            reverse("places:index_import"),
            {"file": SimpleUploadedFile("indices.csv", raw)},
            follow=True,
        )
        self.assertContains(response, "Import refusé, rien n’a été enregistré.")
        for line in (3, 4, 5, 6, 7):
            self.assertContains(response, f"Ligne {line} :")
        self.assertFalse(IndexValue.objects.exists())

    def test_a_binary_index_file_is_refused_in_french(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("places:index_import"),
            {"file": SimpleUploadedFile("indices.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x81\x8d")},
            follow=True,
        )
        self.assertContains(response, "pas un CSV lisible")
        self.assertFalse(IndexValue.objects.exists())

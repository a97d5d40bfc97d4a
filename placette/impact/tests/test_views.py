from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from placette.impact import services
from placette.impact.models import Framework
from placette.places.tests.helpers import make_operation, make_place
from placette.test import BaseTestCase


class FrameworkPagesTests(BaseTestCase):
    def setUp(self):
        self.framework = services.framework_seed(year=2025, actor=None)

    def test_every_page_of_the_area_is_for_the_team_only(self):
        pk = self.framework.pk
        for name, args in [
            ("impact:frameworks", []),
            ("impact:framework_import", []),
            ("impact:framework", [pk]),
            ("impact:indicator_add", [pk]),
            ("impact:framework_export", [pk, "json"]),
            ("impact:framework_export", [pk, "csv"]),
        ]:
            self.assert_staff_only(reverse(name, args=args))
        for name in ("impact:frameworks", "impact:framework_import"):
            self.assert_staff_only(reverse(name), "post", {"year": 2030, "origin": "empty"})
        self.assert_staff_only(
            reverse("impact:dimension_add", args=[pk]), "post", {"name": "Nouvelle"}
        )
        self.assert_staff_only(reverse("impact:indicator_add", args=[pk]), "post", {"label": "X"})
        self.assertEqual(Framework.objects.count(), 1)
        self.assertEqual(self.framework.dimensions.count(), 11)

    def test_the_list_of_frameworks_costs_the_same_queries_with_many_years(self):
        self.login(self.staff)
        years = iter(range(2030, 2100))

        def add(n):
            for _ in range(n):
                Framework.objects.create(year=next(years), title="Ancien")

        self.assert_constant_queries(reverse("impact:frameworks"), add)

    def test_staff_create_next_year_as_a_copy_and_see_the_computed_surface(self):
        make_operation(make_place())
        self.login(self.staff)
        response = self.client.post(
            reverse("impact:frameworks"),
            {"year": 2026, "title": "", "origin": f"copy-{self.framework.pk}"},
            follow=True,
        )
        copy = Framework.objects.get(year=2026)
        self.assertRedirects(response, copy.get_absolute_url())
        self.assertContains(response, "Référentiel 2026 créé.")
        self.assertContains(response, "Isolement ressenti (échelle UCLA à 3 questions)")
        self.assertContains(response, "214\u202f000,00\u00a0€")
        self.assertContains(response, "calculé")
        response = self.client.post(
            reverse("impact:frameworks"), {"year": 2026, "title": "", "origin": "empty"}
        )
        self.assertContains(response, "Un référentiel existe déjà pour 2026.")
        self.assertEqual(Framework.objects.count(), 2)

    def test_staff_add_a_dimension_and_an_instrument_from_the_pages(self):
        self.login(self.staff)
        url = reverse("impact:dimension_add", args=[self.framework.pk])
        self.client.post(url, {"name": "Santé"})
        response = self.client.post(url, {"name": "Santé"}, follow=True)
        self.assertContains(response, "Cette dimension existe déjà dans ce référentiel.")
        dimension = self.framework.dimensions.get(name="Santé")
        data = {
            "dimension": dimension.pk,
            "label": "Bien-être (WEMWBS court)",
            "code": "",
            "kind": "instrument",
            "unit": "score 7-35",
            "respondents": ["inhabitants"],
            "nature": "flow",
            "item_min": 1,
            "item_max": 5,
            "items_text": "Je me sens optimiste\n",
            "source": "",
        }
        url = reverse("impact:indicator_add", args=[self.framework.pk])
        response = self.client.post(url, data)
        self.assertContains(response, "Un instrument validé compte au moins deux questions.")
        data["items_text"] = "Je me sens optimiste\nJe me sens utile\nJe me sens détendu·e"
        response = self.client.post(url, data)
        self.assertRedirects(response, self.framework.get_absolute_url())
        indicator = self.framework.indicators.get(code="bien-etre-wemwbs-court")
        self.assertEqual((indicator.position, len(indicator.items)), (25, 3))

    def test_staff_export_a_framework_and_import_it_for_another_year(self):
        self.login(self.staff)
        for fmt, year in (("json", 2030), ("csv", 2031)):
            export = self.client.get(
                reverse("impact:framework_export", args=[self.framework.pk, fmt])
            )
            self.assertEqual(export.status_code, 200)
            content = b"".join(export) if export.streaming else export.content
            upload = SimpleUploadedFile(f"partage.{fmt}", content)
            response = self.client.post(
                reverse("impact:framework_import"),
                {"year": year, "title": "Partagé", "file": upload},
            )
            imported = Framework.objects.get(year=year)
            self.assertRedirects(response, imported.get_absolute_url())
            self.assertEqual(imported.indicators.count(), 24)
        response = self.client.post(
            reverse("impact:framework_import"),
            {"year": 2032, "file": SimpleUploadedFile("x.json", b"{cass")},
        )
        self.assertContains(response, "Ce fichier n’est pas un JSON lisible.")
        self.assertFalse(Framework.objects.filter(year=2032).exists())
        unknown = self.client.get(
            reverse("impact:framework_export", args=[self.framework.pk, "pdf"])
        )
        self.assertEqual(unknown.status_code, 404)

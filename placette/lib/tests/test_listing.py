"""The shared list layer: keyset pages, the cached select, the list registry."""

from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placette.contacts.models import Contact
from placette.lib import listing
from placette.test import BaseTestCase, make_contact


class KeysetPageTests(BaseTestCase):
    def setUp(self):
        Contact.objects.all().delete()
        # Names repeat so the primary key has to break ties.
        self.contacts = [make_contact(last_name=f"N{i % 7}") for i in range(40)]

    def walk(self, queryset, per_page=6):
        seen, page = [], listing.keyset_page(queryset, per_page=per_page)
        seen += page.records
        while page.has_next:
            page = listing.keyset_page(queryset, after=page.next_token, per_page=per_page)
            seen += page.records
        return seen, page

    def test_walking_the_pages_gives_every_row_once_in_order(self):
        for ordering in (["name_key", "id"], ["-name_key", "id"], ["-name_key"], ["-id"]):
            queryset = Contact.objects.order_by(*ordering)
            seen, last = self.walk(queryset)
            self.assertEqual(seen, list(queryset.order_by(*ordering, "pk")), ordering)
            self.assertFalse(last.has_next)

    def test_the_previous_page_is_the_page_before(self):
        queryset = Contact.objects.order_by("-name_key")
        first = listing.keyset_page(queryset, per_page=6)
        second = listing.keyset_page(queryset, after=first.next_token, per_page=6)
        third = listing.keyset_page(queryset, after=second.next_token, per_page=6)
        back = listing.keyset_page(queryset, before=third.previous_token, per_page=6)
        self.assertEqual(back.records, second.records)
        self.assertTrue(back.has_previous and back.has_next)
        start = listing.keyset_page(queryset, before=second.previous_token, per_page=6)
        self.assertEqual(start.records, first.records)
        self.assertFalse(start.has_previous)

    def test_the_last_page_holds_the_last_rows(self):
        queryset = Contact.objects.order_by("name_key", "id")
        last = listing.keyset_page(queryset, last=True, per_page=6)
        self.assertEqual(last.records, list(queryset)[-6:])
        self.assertEqual((last.has_previous, last.has_next), (True, False))

    def test_a_deep_page_is_one_query_like_the_first(self):
        queryset = Contact.objects.order_by("name_key", "id")
        with CaptureQueriesContext(connection) as queries:
            page = listing.keyset_page(queryset, per_page=6)
        for _ in range(5):
            page = listing.keyset_page(queryset, after=page.next_token, per_page=6)
        with CaptureQueriesContext(connection) as deep:
            listing.keyset_page(queryset, after=page.next_token, per_page=6)
        self.assertEqual(len(queries), len(deep), 1)
        self.assertNotIn("OFFSET", deep[0]["sql"].upper())

    def test_a_broken_or_foreign_cursor_shows_the_first_page(self):
        queryset = Contact.objects.order_by("name_key", "id")
        first = listing.keyset_page(queryset, per_page=6)
        for token in ["%%%", "bm90IGpzb24", listing._encode([1, 2, 3])]:
            page = listing.keyset_page(queryset, after=token, per_page=6)
            self.assertEqual(page.records, first.records, token)


class FastSelectTests(BaseTestCase):
    def test_it_renders_like_a_select_with_the_value_chosen_and_labels_escaped(self):
        choices = [("", "Tous"), ("07", "Ardèche"), ("21", "Côte-d'Or <b>")]
        html = listing.FastSelect(choices=choices).render("d", "21", attrs={"id": "id_d"})
        self.assertIn('<select id="id_d" name="d" class="form-select">', html)
        self.assertIn('<option value="21" selected>Côte-d&#x27;Or &lt;b&gt;</option>', html)
        self.assertIn('<option value="07">Ardèche</option>', html)
        self.assertEqual(html.count("selected"), 1)

    def test_the_same_field_cleans_the_same_way_as_with_djangos_select(self):
        field = forms.ChoiceField(choices=[("07", "Ardèche")], widget=listing.FastSelect)
        self.assertEqual(field.clean("07"), "07")


class RegistryTests(BaseTestCase):
    def test_an_unknown_list_is_not_found(self):
        self.login(self.staff)
        response = self.client.get(reverse("lists:export", args=["nothing", "csv"]))
        self.assertEqual(response.status_code, 404)

    def test_the_shared_export_refuses_anyone_outside_the_team(self):
        self.assert_staff_only(reverse("lists:export", args=["contacts", "csv"]))

    def test_an_unknown_export_format_is_not_found(self):
        self.login(self.staff)
        response = self.client.get(reverse("lists:export", args=["contacts", "pdf"]))
        self.assertEqual(response.status_code, 404)

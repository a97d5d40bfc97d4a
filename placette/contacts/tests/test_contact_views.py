import io

from django.urls import reverse
from openpyxl import load_workbook

from placette.contacts.models import Contact, Tag, TimelineEntry
from placette.lib.models import AuditEntry
from placette.test import BaseTestCase, make_contact


class ContactListTests(BaseTestCase):
    def test_every_contacts_page_refuses_anonymous_visitors_and_members(self):
        contact = make_contact(first_name="Zoé", last_name="Roux")
        other = make_contact(first_name="Zoé", last_name="Roux", email="z@r.fr")
        for url in [
            reverse("contacts:list"),
            reverse("contacts:create"),
            reverse("contacts:export", args=["csv"]),
            reverse("contacts:duplicates"),
            reverse("contacts:import"),
            reverse("contacts:communes") + "?postcode=26150",
            reverse("contacts:detail", args=[contact.pk]),
            reverse("contacts:edit", args=[contact.pk]),
            reverse("contacts:merge", args=[contact.pk, other.pk]),
        ]:
            self.assert_staff_only(url)
        self.assert_staff_only(reverse("contacts:affiliate", args=[contact.pk]), method="post")

    def test_the_search_finds_a_contact_by_name_email_commune_and_organisation(self):
        org = make_contact(
            kind="organisation", organisation_name="Café de la Fontaine", org_kind="association"
        )
        person = make_contact(
            first_name="Hélène",
            last_name="Perrin",
            email="helene@exemple.fr",
            postcode="07200",
            commune_code="07019",
        )
        from placette.contacts.services import affiliation_add

        affiliation_add(actor=None, person=person, organisation=org, role="présidente")
        self.login(self.staff)
        for text in ["helene perrin", "HÉLÈNE", "helene@exemple", "aubenas", "fontaine cafe"]:
            response = self.client.get(reverse("contacts:list"), {"q": text})
            self.assertContains(response, "Hélène PERRIN", msg_prefix=text)
        response = self.client.get(reverse("contacts:list"), {"q": "inconnu"})
        self.assertNotContains(response, "Hélène PERRIN")

    def test_the_filters_narrow_the_list_by_kind_department_and_tag(self):
        tag = Tag.objects.create(name="bénévole")
        drome = make_contact(last_name="Drome", postcode="26150", commune_code="26113")
        drome.tags.add(tag)
        make_contact(last_name="Ardeche", postcode="07200", commune_code="07019")
        self.login(self.staff)
        response = self.client.get(reverse("contacts:list"), {"department": "07"})
        self.assertContains(response, "ARDECHE")
        self.assertNotContains(response, "DROME")
        response = self.client.get(reverse("contacts:list"), {"tag": tag.pk})
        self.assertContains(response, "DROME")
        self.assertNotContains(response, "ARDECHE")

    def test_the_list_page_costs_the_same_number_of_queries_whatever_the_number_of_contacts(self):
        self.login(self.staff)
        tag = Tag.objects.create(name="épargnant")
        made = []

        def add(n: int) -> None:
            for _ in range(n):
                made.append(make_contact(last_name=f"Test{len(made):03}"))
                made[-1].tags.add(tag)

        few = self.assert_constant_queries(reverse("contacts:list"), add, {"q": "test"})
        first = self.client.get(reverse("contacts:list"), {"q": "test"})
        with self.assertNumQueries(few):
            second = self.client.get(
                reverse("contacts:list") + "?" + first.context["list"].next_query
            )
        self.assertContains(second, "TEST059")
        self.assertNotContains(second, "TEST000")

    def test_an_htmx_search_returns_only_the_results_fragment(self):
        make_contact(last_name="Fragment")
        self.login(self.staff)
        response = self.client.get(
            reverse("contacts:list"),
            {"q": "fragment"},
            headers={"HX-Request": "true", "HX-Target": "contact-results"},
        )
        self.assertContains(response, "FRAGMENT")
        self.assertNotContains(response, "<html")

    def test_the_filtered_list_exports_to_csv_and_xlsx(self):
        make_contact(first_name="Léa", last_name="Export", email="lea@ex.fr")
        make_contact(last_name="Autre")
        self.login(self.staff)
        response = self.client.get(reverse("contacts:export", args=["csv"]), {"q": "export"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        self.assertIn("lea@ex.fr", text)
        self.assertNotIn("AUTRE", text.upper().replace("EXPORT", ""))
        self.assertEqual(len(text.strip().splitlines()), 2)
        response = self.client.get(reverse("contacts:export", args=["xlsx"]), {"q": "export"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("Nom", "Type", "E-mail"))
        self.assertEqual(rows[1][:3], ("Léa EXPORT", "Personne", "lea@ex.fr"))
        self.assertEqual(len(rows), 2)


class ContactFormTests(BaseTestCase):
    def test_staff_creates_a_person_with_the_commune_resolved_from_the_official_code(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("contacts:create"),
            {
                "kind": "person",
                "first_name": "Jeanne",
                "last_name": "Vidal",
                "email": "Jeanne.Vidal@Exemple.fr",
                "postcode": "26150",
                "commune": "die",
                "tag_names": "bénévole, épargnant",
            },
        )
        contact = Contact.objects.get(last_name="Vidal")
        self.assertRedirects(response, contact.get_absolute_url())
        self.assertEqual(contact.commune_code, "26113")
        self.assertEqual(contact.commune_name, "Die")
        self.assertEqual(contact.department_code, "26")
        self.assertEqual(contact.region_code, "84")
        self.assertEqual(contact.email_normalized, "jeanne.vidal@exemple.fr")
        self.assertEqual(
            sorted(contact.tags.values_list("name", flat=True)), ["bénévole", "épargnant"]
        )
        self.assertTrue(contact.timeline.filter(kind="created").exists())
        entry = AuditEntry.objects.for_object(contact).get()
        self.assertEqual((entry.action, entry.actor), ("contacts.contact.created", self.staff))

    def test_a_postcode_with_a_single_commune_is_enough(self):
        self.login(self.staff)
        self.client.post(
            reverse("contacts:create"),
            {
                "kind": "organisation",
                "organisation_name": "Mairie",
                "org_kind": "commune",
                "postcode": "07200",
                "commune": "Aubenas",
            },
        )
        self.assertEqual(Contact.objects.get(organisation_name="Mairie").commune_code, "07019")

    def test_an_unknown_commune_is_refused_with_a_clear_message_and_nothing_is_saved(self):
        self.login(self.staff)
        before = Contact.objects.count()
        response = self.client.post(
            reverse("contacts:create"),
            {
                "kind": "person",
                "last_name": "Nulle",
                "postcode": "26150",
                "commune": "Atlantide",
            },
        )
        self.assertContains(
            response, "Commune inconnue : « Atlantide » avec le code postal « 26150 »"
        )
        self.assertContains(response, "Die")  # the communes of that postcode are suggested
        self.assertEqual(Contact.objects.count(), before)

    def test_a_malformed_postcode_and_siren_are_refused(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("contacts:create"),
            {
                "kind": "organisation",
                "organisation_name": "X",
                "org_kind": "ess",
                "postcode": "2615",
                "siren": "12345",
            },
        )
        self.assertContains(response, "Un code postal compte 5 chiffres.")
        self.assertContains(response, "Un SIREN compte exactement 9 chiffres.")
        self.assertFalse(Contact.objects.filter(organisation_name="X").exists())

    def test_a_duplicate_email_is_refused_and_names_the_existing_contact(self):
        make_contact(first_name="Paul", last_name="Existant", email="paul@ex.fr")
        self.login(self.staff)
        response = self.client.post(
            reverse("contacts:create"),
            {
                "kind": "person",
                "last_name": "Nouveau",
                "email": " PAUL@ex.fr ",
            },
        )
        self.assertContains(response, "L’adresse paul@ex.fr est déjà celle de « Paul EXISTANT »")
        self.assertFalse(Contact.objects.filter(last_name="Nouveau").exists())

    def test_an_organisation_needs_a_name_and_a_kind(self):
        self.login(self.staff)
        response = self.client.post(reverse("contacts:create"), {"kind": "organisation"})
        self.assertContains(response, "La raison sociale est obligatoire.")
        self.assertContains(response, "Précisez le type d’organisation.")

    def test_editing_a_contact_records_the_change_on_its_timeline(self):
        contact = make_contact(first_name="Rémi", last_name="Brun", email="remi@ex.fr")
        self.login(self.staff)
        self.client.post(
            reverse("contacts:edit", args=[contact.pk]),
            {
                "kind": "person",
                "first_name": "Rémi",
                "last_name": "Brun",
                "email": "remi@ex.fr",
                "phone": "04 75 00 00 00",
            },
        )
        contact.refresh_from_db()
        self.assertEqual(contact.phone, "04 75 00 00 00")
        self.assertTrue(contact.timeline.filter(title__contains="téléphone").exists())

    def test_staff_adds_a_note_to_the_timeline_of_a_contact(self):
        contact = make_contact(last_name="Note")
        self.login(self.staff)
        self.client.post(
            reverse("contacts:detail", args=[contact.pk]),
            {
                "note-kind": "call",
                "note-title": "Appel au sujet du bulletin",
                "note-body": "Rappeler",
            },
        )
        entry = TimelineEntry.objects.get(contact=contact, kind="call")
        self.assertEqual((entry.title, entry.actor), ("Appel au sujet du bulletin", self.staff))
        response = self.client.get(reverse("contacts:detail", args=[contact.pk]))
        self.assertContains(response, "Appel au sujet du bulletin")
        self.assertContains(response, "contacts.note.added")

    def test_the_commune_lookup_lists_the_communes_of_a_postcode(self):
        self.login(self.staff)
        response = self.client.get(reverse("contacts:communes"), {"postcode": "26150"})
        self.assertContains(response, '<option value="Die">')
        self.assertContains(response, "Solaure en Diois")


class PaginationTests(BaseTestCase):
    def test_page_links_stay_plain_numbers_above_a_thousand(self):
        from django.template.loader import render_to_string

        from placette.lib.money import group_digits

        class Page:
            number = 1000
            has_previous = has_next = True
            previous_page_number, next_page_number = 999, 1001

            class paginator:
                num_pages = 2000

        html = render_to_string("includes/pagination.html", {"page": Page(), "query": ""})
        self.assertIn("page=1001", html)
        self.assertIn("page=2000", html)
        self.assertEqual(group_digits(1265), "1\u202f265")


class ContactPickerTests(BaseTestCase):
    def test_the_picker_is_for_the_team_only(self):
        self.assert_staff_only(reverse("contacts:picker") + "?field=q&q=ab")

    def test_the_picker_offers_matching_contacts_of_the_requested_kind(self):
        person = make_contact(first_name="Odette", last_name="Picard")
        make_contact(kind="organisation", organisation_name="Picard SA", org_kind="company")
        self.login(self.staff)
        url = reverse("contacts:picker")
        response = self.client.get(url, {"field": "contact", "kind": "person", "contact": "picard"})
        self.assertContains(response, f'<option value="{person.pk}">Odette PICARD')
        self.assertNotContains(response, "Picard SA")
        response = self.client.get(url, {"field": "contact", "contact": str(person.pk)})
        self.assertContains(response, "Odette PICARD")

    def test_an_organisation_is_attached_by_its_number_from_the_picker(self):
        person = make_contact(last_name="Rattachee")
        org = make_contact(kind="organisation", organisation_name="Épicerie", org_kind="ess")
        self.login(self.staff)
        page = self.client.get(reverse("contacts:detail", args=[person.pk]))
        self.assertContains(page, 'list="id_aff-organisation-choices"')
        self.client.post(
            reverse("contacts:affiliate", args=[person.pk]),
            {"aff-organisation": org.pk, "aff-role": "gérante"},
        )
        self.assertTrue(person.affiliations.filter(organisation=org, role="gérante").exists())

"""The contacts list on the shared list pages: saved views, bulk actions, exports, sorting."""

import csv
import io
from urllib.parse import urlencode

from django.urls import reverse
from openpyxl import load_workbook

from placette.accounts.models import Role, User
from placette.contacts.models import Contact, Tag
from placette.lib.models import AuditEntry, SavedView
from placette.test import BaseTestCase, make_contact

LIST = "/gestion/contacts/"


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _xlsx(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


class ContactListSortingTests(BaseTestCase):
    def setUp(self):
        self.login(self.staff)
        self.zoe = make_contact(first_name="Zoé", last_name="Abel", email="zz@x.fr")
        self.anne = make_contact(first_name="Anne", last_name="Zola", email="aa@x.fr")

    def names(self, **params) -> list[str]:
        response = self.client.get(LIST, {"q": "x.fr", **params})
        return [row.record.display_name for row in response.context["list"].rows]

    def test_the_list_is_sorted_by_name_unless_a_column_header_asks_otherwise(self):
        self.assertEqual(self.names(), ["Zoé ABEL", "Anne ZOLA"])
        self.assertEqual(self.names(sort="-name"), ["Anne ZOLA", "Zoé ABEL"])
        self.assertEqual(self.names(sort="email"), ["Anne ZOLA", "Zoé ABEL"])

    def test_a_sort_on_an_unknown_or_hidden_column_falls_back_to_the_name(self):
        self.assertEqual(self.names(sort="password"), ["Zoé ABEL", "Anne ZOLA"])
        self.assertEqual(self.names(sort="-phone"), ["Zoé ABEL", "Anne ZOLA"])

    def test_the_header_of_a_sortable_column_links_to_the_other_direction(self):
        response = self.client.get(LIST, {"sort": "email"})
        self.assertContains(response, "sort=-email")
        self.assertContains(response, "tri croissant")

    def test_pages_follow_the_chosen_sort_to_the_end_and_back(self):
        for i in range(120):
            make_contact(last_name=f"Page{i:03}", email=f"p{i}@y.fr")
        seen = []
        response = self.client.get(LIST, {"q": "y.fr", "sort": "-name"})
        pages = [response.context["list"]]
        while pages[-1].keyset.has_next:
            response = self.client.get(LIST + "?" + pages[-1].next_query)
            pages.append(response.context["list"])
        for state in pages:
            seen += [row.record.last_name for row in state.rows]
        self.assertEqual(seen, [f"Page{i:03}" for i in reversed(range(120))])
        back = self.client.get(LIST + "?" + pages[-1].previous_query).context["list"]
        self.assertEqual([r.record.pk for r in back.rows], [r.record.pk for r in pages[-2].rows])
        last = self.client.get(LIST + "?" + pages[0].last_query).context["list"]
        self.assertEqual(last.rows.data[-1].last_name, "Page000")
        self.assertFalse(last.keyset.has_next)


class ContactListColumnsAndExportTests(BaseTestCase):
    def setUp(self):
        self.login(self.staff)
        tag = Tag.objects.create(name="bénévole")
        self.lea = make_contact(
            first_name="Léa",
            last_name="Export",
            email="lea@ex.fr",
            phone="0475000000",
            postcode="26150",
            commune_code="26113",
        )
        self.lea.tags.add(tag)
        make_contact(last_name="Autre", email="autre@ex.fr")
        make_contact(last_name="Dehors", email="dehors@ailleurs.fr")

    def test_the_chosen_columns_are_shown_in_their_order(self):
        response = self.client.get(LIST, {"q": "ex.fr", "cols": ["email", "phone", "name"]})
        headers = [str(c.header) for c in response.context["list"].table.columns]
        self.assertEqual(headers, ["E-mail", "Téléphone", "Nom"])
        self.assertContains(response, "0475000000")

    def test_the_export_holds_exactly_the_rows_and_columns_shown(self):
        params = {"q": "ex.fr", "cols": ["name", "email", "phone", "tags"], "sort": "-name"}
        page = self.client.get(LIST, params).context["list"]
        shown = [
            [str(page.table.columns[c].header) for c in params["cols"]],
            *[[row.get_cell_value(c) for c in params["cols"]] for row in page.rows],
        ]
        link = dict(page.export_links)
        rows = _csv(self.client.get(link["CSV"]))
        self.assertEqual(rows, [["" if v is None else v for v in r] for r in shown])
        self.assertEqual(rows[1], ["Léa EXPORT", "lea@ex.fr", "0475000000", "bénévole"])
        sheet = _xlsx(self.client.get(link["Excel"]))
        self.assertEqual([list(r) for r in sheet], [[v or None for v in r] for r in shown])

    def test_the_export_link_of_the_page_carries_its_filters_sort_and_columns(self):
        page = self.client.get(LIST, {"q": "ex.fr", "cols": ["email"], "sort": "email"})
        link = dict(page.context["list"].export_links)["CSV"]
        self.assertIn("q=ex.fr", link)
        self.assertIn("cols=email", link)
        self.assertIn("sort=email", link)
        self.assertEqual(_csv(self.client.get(link)), [["E-mail"], ["autre@ex.fr"], ["lea@ex.fr"]])

    def test_a_large_export_is_written_in_the_background_with_the_same_rows(self):
        from django.test import override_settings

        from placette.lib.models import Job

        params = {"q": "ex.fr", "cols": ["name", "email", "tags"]}
        inline = _csv(self.client.get(reverse("contacts:export", args=["csv"]), params))
        url = reverse("contacts:export", args=["csv"]) + "?" + urlencode(params, doseq=True)
        with (
            override_settings(LIST_EXPORT_INLINE_ROWS=1),
            self.captureOnCommitCallbacks(execute=True),
        ):
            page = self.client.get(url)  # a link or a bookmark: nothing starts on GET
            self.assertContains(page, 'data-count="2"')
            self.assertContains(page, "Produire le fichier")
            self.assertFalse(Job.objects.exists())
            self.assertEqual(self.client.post(url).status_code, 200)  # not confirmed
            self.assertFalse(Job.objects.exists())
            response = self.client.post(url, {"confirm": "1"})
        job = Job.objects.get()
        self.assertRedirects(response, reverse("jobs:detail", args=[job.pk]))
        self.assertEqual(
            (job.status, job.kind, job.started_by), ("done", "lib.list_export", self.staff)
        )
        self.assertIn("2 lignes", job.message)
        download = self.client.get(reverse("jobs:download", args=[job.pk]))
        text = b"".join(download.streaming_content).decode("utf-8-sig")
        job.result.file.delete(save=False)
        self.assertEqual(list(csv.reader(io.StringIO(text), delimiter=";")), inline)
        self.assertEqual(len(inline), 3)

    def test_a_large_export_of_the_selection_starts_its_job_only_once_confirmed(self):
        from django.test import override_settings

        from placette.lib.models import Job

        ids = list(Contact.objects.filter(email__endswith="ex.fr").values_list("pk", flat=True))
        data = {"action": "export_csv", "ids": ids, "query": "q=ex.fr"}
        url = reverse("lists:action", args=["contacts"])
        with (
            override_settings(LIST_EXPORT_INLINE_ROWS=1),
            self.captureOnCommitCallbacks(execute=True),
        ):
            page = self.client.post(url, data)
            self.assertContains(page, "Produire le fichier")
            self.assertFalse(Job.objects.exists())
            response = self.client.post(url, {**data, "confirm": "1"})
        job = Job.objects.get()
        self.assertRedirects(response, reverse("jobs:detail", args=[job.pk]))
        self.assertEqual(job.status, "done")
        job.result.file.delete(save=False)

    def test_a_large_exports_file_is_for_the_staff_member_who_started_it_and_the_admins(self):
        from django.test import override_settings

        from placette.lib.models import Job

        url = reverse("lists:export", args=["contacts", "csv"]) + "?q=ex.fr"
        with (
            override_settings(LIST_EXPORT_INLINE_ROWS=1),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.client.post(url, {"confirm": "1"})
        job = Job.objects.get()
        colleague = User.objects.create_user("collegue@test.fr", "x", role=Role.STAFF)
        targets = [reverse("jobs:download", args=[job.pk]), job.result.get_absolute_url()]
        for target in targets:
            self.login(colleague)
            self.assertIn(self.client.get(target).status_code, (403, 404), target)
            for persona in (self.staff, self.staff_admin):
                self.login(persona)
                response = self.client.get(target)
                self.assertEqual(response.status_code, 200, (target, persona))
                self.assertIn(b"lea@ex.fr", b"".join(response.streaming_content))
        job.result.file.delete(save=False)

    def test_the_lists_shared_export_url_serves_the_same_file(self):
        own = _csv(self.client.get(reverse("contacts:export", args=["csv"]), {"q": "ex.fr"}))
        shared = _csv(
            self.client.get(reverse("lists:export", args=["contacts", "csv"]), {"q": "ex.fr"})
        )
        self.assertEqual(own, shared)


class ContactBulkActionTests(BaseTestCase):
    def setUp(self):
        self.login(self.staff)
        self.chosen = [make_contact(last_name=f"Choisi{i}") for i in range(3)]
        self.other = make_contact(last_name="Laisse")
        self.url = reverse("lists:action", args=["contacts"])
        self.ids = [c.pk for c in self.chosen]

    def test_tagging_the_selection_asks_for_confirmation_naming_the_count_first(self):
        response = self.client.post(
            self.url, {"action": "tag", "tag-name": "épargnant", "ids": self.ids}
        )
        self.assertContains(response, "3 lignes")
        self.assertContains(response, "épargnant")
        self.assertFalse(Tag.objects.filter(name="épargnant").exists())

    def test_tagging_the_selection_tags_only_the_checked_contacts_with_one_audit_entry(self):
        already = self.chosen[0]
        tag = Tag.objects.create(name="épargnant")
        already.tags.add(tag)
        response = self.client.post(
            self.url,
            {
                "action": "tag",
                "tag-name": " épargnant ",
                "ids": self.ids,
                "confirm": "1",
                "query": "q=choisi",
            },
            follow=True,
        )
        self.assertRedirects(response, LIST + "?q=choisi")
        self.assertContains(response, "ajoutée à 2 contacts")
        self.assertEqual(set(tag.contacts.values_list("pk", flat=True)), set(self.ids))
        self.assertFalse(self.other.tags.exists())
        entry = AuditEntry.objects.get(action="contacts.tag.added")
        self.assertEqual((entry.actor, entry.details["count"]), (self.staff, 2))

    def test_a_bulk_action_without_a_checked_row_changes_nothing_and_says_so(self):
        response = self.client.post(
            self.url, {"action": "tag", "tag-name": "x", "confirm": "1"}, follow=True
        )
        self.assertContains(response, "Cochez au moins une ligne")
        self.assertFalse(Tag.objects.filter(name="x").exists())

    def test_tagging_without_a_tag_name_changes_nothing(self):
        response = self.client.post(
            self.url,
            {"action": "tag", "tag-name": "", "ids": self.ids, "confirm": "1"},
            follow=True,
        )
        self.assertContains(response, "obligatoire")
        self.assertEqual(Tag.objects.count(), 0)

    def test_exporting_the_selection_gives_only_the_checked_rows_with_the_columns_shown(self):
        response = self.client.post(
            self.url,
            {
                "action": "export_csv",
                "ids": self.ids[:2],
                "query": "cols=name&cols=number&sort=-name",
            },
        )
        rows = _csv(response)
        self.assertEqual(rows[0], ["Nom", "N°"])
        self.assertEqual(rows[1:], [["CHOISI1", str(self.ids[1])], ["CHOISI0", str(self.ids[0])]])
        response = self.client.post(self.url, {"action": "export_xlsx", "ids": self.ids[:1]})
        self.assertEqual(_xlsx(response)[1][0], "CHOISI0")

    def test_bulk_actions_refuse_anyone_outside_the_team(self):
        self.assert_staff_only(
            self.url, method="post", data={"action": "export_csv", "ids": self.ids}
        )

    def test_an_unknown_action_changes_nothing(self):
        response = self.client.post(self.url, {"action": "delete", "ids": self.ids}, follow=True)
        self.assertContains(response, "Action inconnue")
        self.assertEqual(Contact.objects.filter(pk__in=self.ids).count(), 3)


class SavedViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.colleague = User.objects.create_user("collegue@test.fr", "x", role=Role.STAFF)

    def save(self, name: str, shared: bool = False, query: str = "kind=organisation&sort=-name"):
        data = {"name": name, "query": query + "&cols=email&cols=name&after=abc"}
        if shared:
            data["shared"] = "on"
        return self.client.post(reverse("lists:view_create", args=["contacts"]), data)

    def test_a_saved_view_keeps_filters_sort_and_columns_but_not_the_page(self):
        self.login(self.staff)
        response = self.save("Organisations")
        view = SavedView.objects.get()
        self.assertEqual(view.query, "kind=organisation&sort=-name")
        self.assertEqual(view.columns, ["email", "name"])
        self.assertRedirects(response, f"{LIST}?{view.querystring}")
        page = self.client.get(f"{LIST}?{view.querystring}")
        self.assertEqual(
            [str(c.header) for c in page.context["list"].table.columns], ["E-mail", "Nom"]
        )
        self.assertEqual(page.context["list"].filters.form.cleaned_data["kind"], "organisation")

    def test_saving_under_the_same_name_replaces_the_owners_view(self):
        self.login(self.staff)
        self.save("Ma vue")
        self.save("Ma vue", query="kind=person")
        self.assertEqual(SavedView.objects.get().query, "kind=person")

    def test_a_private_view_is_listed_only_for_its_owner_and_a_shared_one_for_the_team(self):
        self.login(self.staff)
        self.save("Privée")
        self.save("Commune à tous", shared=True)
        self.assertContains(self.client.get(LIST), "Privée")
        self.login(self.colleague)
        response = self.client.get(LIST)
        self.assertNotContains(response, "Privée")
        self.assertContains(response, "Commune à tous")
        names = [v.name for v in response.context["list"].saved_views]
        self.assertEqual(names, ["Commune à tous"])

    def test_another_user_cannot_delete_my_views_shared_or_not(self):
        self.login(self.staff)
        self.save("Privée")
        self.save("Partagée", shared=True)
        private, shared = (SavedView.objects.get(name=n) for n in ("Privée", "Partagée"))
        self.login(self.colleague)
        url = "lists:view_delete"
        self.assertEqual(self.client.post(reverse(url, args=[private.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse(url, args=[shared.pk])).status_code, 403)
        self.assertEqual(SavedView.objects.count(), 2)
        self.login(self.staff)
        response = self.client.post(reverse(url, args=[shared.pk]))
        self.assertRedirects(response, LIST)
        self.assertEqual(list(SavedView.objects.values_list("name", flat=True)), ["Privée"])

    def test_a_view_without_a_name_is_not_saved(self):
        self.login(self.staff)
        self.client.post(reverse("lists:view_create", args=["contacts"]), {"name": " "})
        self.assertFalse(SavedView.objects.exists())

    def test_saved_view_pages_refuse_anyone_outside_the_team(self):
        view = SavedView.objects.create(owner=self.staff, list_key="contacts", name="v")
        self.assert_staff_only(
            reverse("lists:view_create", args=["contacts"]), method="post", data={"name": "v"}
        )
        self.assert_staff_only(reverse("lists:view_delete", args=[view.pk]), method="post")
        self.assertTrue(SavedView.objects.filter(pk=view.pk).exists())

    def test_the_list_with_saved_views_costs_the_same_queries_with_5_and_60_contacts(self):
        self.login(self.staff)
        self.save("Une", shared=True)

        def add(n: int) -> None:
            for i in range(n):
                make_contact(last_name=f"Ligne{Contact.objects.count()}{i}")

        self.assert_constant_queries(LIST, add)


class ContactPageQueryTests(BaseTestCase):
    def test_a_contact_page_costs_the_same_queries_with_5_and_60_timeline_entries(self):
        from placette.contacts.services import timeline_append

        contact = make_contact(last_name="Historique")
        self.login(self.staff)

        def add(n: int) -> None:
            for i in range(n):
                actor = self.staff if i % 2 else None
                timeline_append(contact=contact, kind="note", title=f"Note {i}", actor=actor)

        self.assert_constant_queries(reverse("contacts:detail", args=[contact.pk]), add)

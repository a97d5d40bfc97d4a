from django.urls import reverse

from placette.accounts.models import ApiToken
from placette.accounts.services import api_token_create, api_token_revoke
from placette.contacts.models import Contact
from placette.lib.models import AuditEntry
from placette.test import BaseTestCase, make_contact


class ContactsApiTests(BaseTestCase):
    def setUp(self):
        _, self.raw = api_token_create(actor=self.staff, user=self.staff, name="site web")
        self.auth = {"Authorization": f"Bearer {self.raw}"}

    def test_the_api_refuses_requests_without_a_valid_staff_token(self):
        self.assertEqual(self.client.get("/api/contacts").status_code, 401)
        bad = {"Authorization": "Bearer plc_inconnu"}
        self.assertEqual(self.client.get("/api/contacts", headers=bad).status_code, 401)
        _, member_raw = api_token_create(actor=self.member, user=self.member, name="x")
        member = {"Authorization": f"Bearer {member_raw}"}
        self.assertEqual(self.client.get("/api/contacts", headers=member).status_code, 401)

    def test_a_revoked_token_no_longer_works(self):
        api_token_revoke(actor=self.staff, token=ApiToken.objects.get(name="site web"))
        self.assertEqual(self.client.get("/api/contacts", headers=self.auth).status_code, 401)

    def test_only_a_hash_of_the_token_is_stored(self):
        token = ApiToken.objects.get(name="site web")
        self.assertNotIn(self.raw, token.key_hash)
        self.assertTrue(self.raw.startswith(token.prefix))

    def test_the_list_is_paginated_and_filtered(self):
        for i in range(60):
            make_contact(last_name=f"Api{i}", postcode="07200", commune_code="07019")
        response = self.client.get("/api/contacts", {"department": "07"}, headers=self.auth)
        body = response.json()
        self.assertEqual(body["count"], 60)
        self.assertEqual(len(body["items"]), 50)
        response = self.client.get("/api/contacts", {"q": "api59"}, headers=self.auth)
        self.assertEqual([c["last_name"] for c in response.json()["items"]], ["Api59"])

    def test_a_contact_is_created_updated_and_read_through_the_api(self):
        response = self.client.post(
            "/api/contacts",
            {
                "kind": "person",
                "first_name": "Inès",
                "last_name": "Api",
                "email": "ines@ex.fr",
                "commune_code": "26113",
                "tags": ["newsletter"],
            },
            content_type="application/json",
            headers=self.auth,
        )
        self.assertEqual(response.status_code, 201, response.content)
        contact_id = response.json()["id"]
        self.assertEqual(response.json()["commune_name"], "Die")
        response = self.client.patch(
            f"/api/contacts/{contact_id}",
            {"phone": "0475000000"},
            content_type="application/json",
            headers=self.auth,
        )
        self.assertEqual(response.json()["phone"], "0475000000")
        response = self.client.get(f"/api/contacts/{contact_id}", headers=self.auth)
        self.assertEqual(response.json()["tags"], ["newsletter"])
        actions = set(AuditEntry.objects.filter(actor=self.staff).values_list("action", flat=True))
        self.assertTrue({"contacts.contact.created", "contacts.contact.updated"} <= actions)

    def test_bad_input_is_refused_with_a_french_message_and_nothing_is_saved(self):
        make_contact(last_name="Pris", email="pris@ex.fr")
        before = Contact.objects.count()
        cases = [
            ({"kind": "person", "last_name": "X", "commune_code": "00000"}, "Code INSEE inconnu"),
            ({"kind": "person", "last_name": "X", "email": "PRIS@ex.fr"}, "appartient déjà"),
            (
                {"kind": "person", "last_name": "X", "email": "pas-une-adresse"},
                "Adresse e-mail invalide",
            ),
            ({"kind": "person"}, "Le nom est obligatoire"),
        ]
        for payload, message in cases:
            response = self.client.post(
                "/api/contacts", payload, content_type="application/json", headers=self.auth
            )
            self.assertIn(response.status_code, {409, 422})
            self.assertIn(message, response.json()["detail"])
        self.assertEqual(Contact.objects.count(), before)

    def test_the_openapi_documentation_is_published(self):
        response = self.client.get("/api/openapi.json")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/api/contacts", response.json()["paths"])


class ApiTokenPageTests(BaseTestCase):
    def test_a_staff_user_creates_a_token_that_is_shown_once(self):
        self.login(self.staff)
        response = self.client.post(reverse("backoffice:api_tokens"), {"name": "tableur"})
        raw = response.context["raw"]
        self.assertContains(response, raw)
        self.assertTrue(ApiToken.objects.authenticate(raw))
        self.assertNotContains(self.client.get(reverse("backoffice:api_tokens")), raw)

    def test_a_token_cannot_be_revoked_by_someone_else(self):
        token, _ = api_token_create(actor=self.staff, user=self.staff, name="a")
        self.login(self.staff_admin)
        url = reverse("backoffice:api_token_revoke", args=[token.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assert_staff_only(url, method="post")


class HostileApiInputTests(BaseTestCase):
    """Issue 9 minors: each of these answered 500 before."""

    def setUp(self):
        _, raw = api_token_create(actor=self.staff, user=self.staff, name="site web")
        self.auth = {"Authorization": f"Bearer {raw}"}
        self.contact = make_contact(first_name="Ana", last_name="Null", phone="0475")

    def patch(self, payload):
        return self.client.patch(
            f"/api/contacts/{self.contact.pk}",
            payload,
            content_type="application/json",
            headers=self.auth,
        )

    def test_a_patch_with_a_null_field_empties_it(self):
        response = self.patch({"phone": None})
        self.assertEqual(response.status_code, 200, response.content)
        self.contact.refresh_from_db()
        self.assertEqual(self.contact.phone, "")

    def test_a_patch_that_nulls_the_name_of_a_person_is_refused(self):
        response = self.patch({"last_name": None})
        self.assertEqual(response.status_code, 422)
        self.assertIn("Le nom est obligatoire", response.json()["detail"])
        self.contact.refresh_from_db()
        self.assertEqual(self.contact.last_name, "Null")

    def test_a_value_longer_than_its_column_is_a_422_naming_the_field(self):
        response = self.patch({"last_name": "x" * 10_000})
        self.assertEqual(response.status_code, 422)
        self.assertIn("last_name", response.content.decode())

    def test_a_page_number_too_large_is_a_422(self):
        response = self.client.get("/api/contacts?page=" + "9" * 30, headers=self.auth)
        self.assertEqual(response.status_code, 422)

    def test_an_id_too_large_is_a_422(self):
        response = self.client.get("/api/contacts/" + "9" * 30, headers=self.auth)
        self.assertEqual(response.status_code, 422)

    def test_every_error_status_is_in_the_openapi_schema(self):
        paths = self.client.get("/api/openapi.json").json()["paths"]
        for operation in (
            paths["/api/contacts/{contact_id}"]["patch"],
            paths["/api/contacts"]["post"],
        ):
            self.assertTrue({"400", "401", "404", "409", "422"} <= set(operation["responses"]))

    def test_the_list_costs_the_same_queries_with_5_and_60_contacts(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get("/api/contacts", headers=self.auth)
            self.assertEqual(response.status_code, 200)
            return len(queries)

        for i in range(5):
            make_contact(last_name=f"Peu{i}")
        count()
        few = count()
        for i in range(55):
            make_contact(last_name=f"Beaucoup{i}")
        self.assertEqual(count(), few)

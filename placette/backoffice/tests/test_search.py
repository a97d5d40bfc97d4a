"""The global search of the top bar: contacts by name or email, members by number, places,
meetings, subscription requests by reference; staff only; constant queries."""

import datetime as dt
import uuid
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placette.governance.models import Meeting, MeetingKind
from placette.governance.tests.helpers import ag_body
from placette.lib.search import search_all
from placette.membership.models import Member
from placette.membership.models_requests import SubscriptionRequest
from placette.membership.services import member_number_assign, shares_subscribe
from placette.membership.tests.helpers import category, make_statutes
from placette.places.tests.helpers import make_place
from placette.test import BaseTestCase, make_contact


def kinds(groups):
    return {group.kind: [hit.title for hit in group.hits] for group in groups}


class SearchTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.louise = make_contact(first_name="Louise", last_name="Michel", email="lm@commune.fr")
        shares_subscribe(
            actor=None,
            contact=cls.louise,
            shares=3,
            category=category("soutiens"),
            on=dt.date(2021, 1, 1),
        )
        cls.number = Member.objects.get(contact=cls.louise).number
        cls.place = make_place(name="Épicerie de Saillans")
        cls.meeting = Meeting.objects.create(
            body=ag_body(),
            kind=MeetingKind.AGO,
            title="Assemblée de printemps",
            starts_at=dt.datetime(2025, 4, 12, 14, tzinfo=dt.UTC),
            cutoff_date=dt.date(2025, 3, 1),
        )

    def test_both_search_pages_are_for_the_team_only(self):
        self.assert_staff_only(reverse("backoffice:search") + "?q=louise")
        self.assert_staff_only(reverse("backoffice:search_suggestions") + "?q=louise")

    def test_it_finds_a_contact_by_name_or_email(self):
        self.assertEqual(kinds(search_all("louise mich"))["Contacts"], ["Louise MICHEL"])
        self.assertEqual(kinds(search_all("lm@commune"))["Contacts"], ["Louise MICHEL"])

    def test_it_finds_a_member_by_number_and_links_to_the_holders_account(self):
        groups = search_all(f"n° {self.number}")
        members = next(group for group in groups if group.kind == "Sociétaires")
        self.assertEqual(members.hits[0].title, f"n° {self.number} — Louise MICHEL")
        self.assertEqual(members.hits[0].url, reverse("membership:holder", args=[self.louise.pk]))
        self.assertIn("Soutiens", members.hits[0].detail)

    def test_it_finds_a_place_by_name_or_commune_and_a_meeting_by_title(self):
        self.assertEqual(kinds(search_all("saillans"))["Lieux"], ["Épicerie de Saillans"])
        self.assertEqual(kinds(search_all("printemps"))["Réunions"], ["Assemblée de printemps"])

    def test_it_finds_a_subscription_request_by_its_transfer_reference(self):
        key = uuid.uuid4().hex
        request = SubscriptionRequest.objects.create(
            reference="SOU-2025-0042",
            access_key=key,
            form_token=key,
            contact=self.louise,
            category=category("soutiens"),
            shares=1,
            share_value=Decimal(100),
            amount=Decimal(100),
            payment_method="transfer",
        )
        groups = search_all("sou-2025-00")
        found = next(group for group in groups if group.kind == "Demandes de souscription")
        self.assertEqual(
            found.hits[0].url, reverse("membership_public:request_detail", args=[request.pk])
        )

    def test_the_results_page_groups_the_hits_by_kind(self):
        make_contact(first_name="Paul", last_name="Saillans", email="p@ex.fr")
        self.login(self.staff)
        response = self.client.get(reverse("backoffice:search"), {"q": "saillans"})
        self.assertContains(response, '<h2 class="h5" id="kind-1">Contacts</h2>', html=False)
        self.assertContains(response, "Paul SAILLANS")
        self.assertContains(response, "Épicerie de Saillans")
        self.assertContains(response, self.place.get_absolute_url())

    def test_the_results_page_says_when_nothing_matches_or_the_query_is_too_short(self):
        self.login(self.staff)
        url = reverse("backoffice:search")
        self.assertContains(self.client.get(url, {"q": "zzzzzz"}), "Aucun résultat pour « zzzzzz »")
        self.assertContains(self.client.get(url, {"q": "z"}), "Tapez au moins deux caractères.")

    def test_the_suggestions_show_a_few_hits_per_kind_and_a_link_to_every_result(self):
        for i in range(8):
            make_contact(first_name=f"Louis{i}", last_name="Test", email=f"l{i}@ex.fr")
        self.login(self.staff)
        response = self.client.get(
            reverse("backoffice:search_suggestions"), {"q": "louis"}, headers={"HX-Request": "true"}
        )
        self.assertEqual(response.content.decode().count("list-group-item-action"), 5 + 1)
        self.assertContains(response, reverse("backoffice:search") + "?q=louis")
        self.assertNotContains(response, "<html")

    def test_there_are_more_results_with_a_link_to_the_filtered_list(self):
        for i in range(3):
            make_contact(first_name=f"Louis{i}", last_name="Test", email=f"l{i}@ex.fr")
        contacts = search_all("louis", limit=2)[0]
        self.assertTrue(contacts.has_more)
        self.assertEqual(contacts.more_url, reverse("contacts:list") + "?q=louis")

    def test_the_top_bar_has_the_search_field_for_the_team_only(self):
        self.login(self.staff)
        page = self.client.get(reverse("backoffice:dashboard"))
        self.assertContains(page, 'role="search"')
        self.assertContains(page, f'hx-get="{reverse("backoffice:search_suggestions")}"')
        self.login(self.member)
        self.assertNotContains(self.client.get(reverse("portal:home")), 'role="search"')

    def test_the_search_costs_the_same_number_of_queries_whatever_the_rows(self):
        with CaptureQueriesContext(connection) as few:
            search_all("123")
            search_all("saillans")
        for i in range(10):
            make_contact(first_name="Saillans", last_name=f"N{i}", email=f"s{i}@ex.fr")
            make_place(name=f"Saillans {i}")
        member_number_assign(actor=None, member=Member.objects.get(contact=self.louise))
        with self.assertNumQueries(len(few)):
            search_all("123")
            search_all("saillans")

"""A contact's page shows what the other areas know of it beside its timeline: membership
(number, category, college, holding), mandates, activities; a fixed number of queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placette.governance.services import body_ensure, mandate_add
from placette.membership.models import College, Member
from placette.membership.services import shares_subscribe
from placette.membership.tests.helpers import category, make_statutes
from placette.places.tests.helpers import make_activity, make_place, make_tenant
from placette.test import BaseTestCase, make_contact


class ContactPanelsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.louise = make_contact(first_name="Louise", last_name="Michel", email="lm@ex.fr")
        shares_subscribe(
            actor=None,
            contact=cls.louise,
            shares=3,
            category=category("soutiens"),
            on=dt.date(2021, 1, 1),
        )
        board = body_ensure(kind="CA", name="Conseil d’administration")
        mandate_add(
            actor=None,
            body=board,
            contact=cls.louise,
            role="Trésorière",
            starts_on=dt.date(2022, 6, 1),
            college=College.objects.get(code="soutiens"),
        )

    def test_a_members_page_shows_number_category_college_holding_and_mandates(self):
        self.login(self.staff)
        response = self.client.get(self.louise.get_absolute_url())
        number = Member.objects.get(contact=self.louise).number
        self.assertContains(response, '<h2 class="h5">Sociétariat</h2>', html=False)
        self.assertContains(response, f"n° {number}")
        self.assertContains(response, "admis·e le 01/01/2021")
        self.assertContains(response, '<dd class="col-sm-8">Soutiens</dd>', count=2, html=False)
        self.assertContains(response, "300,00")
        self.assertContains(response, reverse("membership:holder", args=[self.louise.pk]))
        self.assertContains(response, '<h2 class="h5">Mandats</h2>', html=False)
        self.assertContains(response, "Trésorière")
        self.assertContains(response, "depuis le 01/06/2022")

    def test_a_tenants_page_shows_its_activities(self):
        tenant = make_tenant()
        make_activity(make_place(), tenant=tenant)
        self.login(self.staff)
        response = self.client.get(tenant.get_absolute_url())
        self.assertContains(response, "Lieux et activités")
        self.assertContains(response, "Café La Fontaine")
        self.assertNotContains(response, '<h2 class="h5">Sociétariat</h2>', html=False)

    def test_a_contact_unknown_to_the_other_areas_shows_no_panel(self):
        self.login(self.staff)
        response = self.client.get(
            make_contact(first_name="Nul", last_name="Part").get_absolute_url()
        )
        self.assertNotContains(response, "contact-panel")

    def test_the_contact_page_costs_the_same_number_of_queries_with_more_history(self):
        self.login(self.staff)
        url = self.louise.get_absolute_url()
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for year in (2022, 2023, 2024):
            shares_subscribe(
                actor=None,
                contact=self.louise,
                shares=1,
                category=category("soutiens"),
                on=dt.date(year, 1, 1),
            )
        with self.assertNumQueries(len(few)):
            self.client.get(url)

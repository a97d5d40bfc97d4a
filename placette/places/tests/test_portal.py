import datetime as dt

from django.urls import reverse

from placette.contacts.services import affiliation_add
from placette.places.tests.helpers import make_activity, make_lease, make_place, make_tenant
from placette.test import BaseTestCase


class PortalTests(BaseTestCase):
    def test_an_activity_holder_sees_their_place_lease_and_schedule(self):
        tenant = make_tenant()
        affiliation_add(
            actor=None, person=self.activity_holder.contact, organisation=tenant, role="gérante"
        )
        make_lease(make_activity(make_place(), tenant=tenant), until=dt.date(2022, 8, 31))
        make_lease(
            make_activity(
                make_place(name="Ailleurs"),
                tenant=make_tenant("Autre", "a@b.fr"),
                name="Pas le mien",
            )
        )
        self.login(self.activity_holder)
        response = self.client.get(reverse("portal:home"))
        self.assertContains(response, "Mon lieu, mon bail et mes loyers")
        self.assertContains(response, "Le Café de Saillans")
        self.assertContains(response, "850,00\u00a0€")
        self.assertContains(response, "01/08/2022")
        self.assertNotContains(response, "Pas le mien")

    def test_a_member_sees_no_places_section(self):
        make_lease(make_activity(make_place()))
        self.login(self.member)
        response = self.client.get(reverse("portal:home"))
        self.assertNotContains(response, "Mon lieu, mon bail")

"""The staff dashboard opens with what needs doing (each area's to-dos), then the figures."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from placette.lib.dashboard import Urgency, dashboard_todos
from placette.places.tests.helpers import make_activity, make_lease, make_place, make_tenant
from placette.test import BaseTestCase


def lease_for(name: str):
    today = timezone.localdate()
    tenant = make_tenant(name=f"Association {name}", email=f"{name.lower()}@ex.fr")
    activity = make_activity(make_place(name=name), tenant=tenant, name=name)
    return make_lease(activity, starts_on=today - dt.timedelta(days=400), until=today)


class DashboardTests(BaseTestCase):
    def test_only_the_staff_sees_the_dashboard(self):
        self.assert_staff_only(reverse("backoffice:dashboard"))

    def test_it_says_there_is_nothing_to_do_when_nothing_waits(self):
        self.assertEqual(dashboard_todos(), [])
        self.login(self.staff)
        response = self.client.get(reverse("backoffice:dashboard"))
        self.assertContains(response, "Rien à faire pour l’instant")

    def test_the_to_dos_come_first_most_urgent_first_with_a_link_to_where_they_are_done(self):
        lease = lease_for("Café")
        todos = dashboard_todos()
        self.assertEqual(
            [(t.label, t.urgency) for t in todos],
            [
                ("loyers impayés à relancer", Urgency.LATE),
                ("révision de loyer à appliquer", Urgency.SOON),
            ],
        )
        self.login(self.staff)
        response = self.client.get(reverse("backoffice:dashboard"))
        html = response.content.decode()
        self.assertLess(html.index("À faire"), html.index("Chiffres clés"))
        self.assertContains(response, "en retard")
        self.assertContains(response, f'href="{reverse("places:arrears")}"')
        self.assertContains(response, f'href="{lease.get_absolute_url()}"')

    def test_the_dashboard_costs_the_same_number_of_queries_whatever_the_rows(self):
        lease_for("Un")
        self.login(self.staff)
        url = reverse("backoffice:dashboard")
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for name in ("Deux", "Trois", "Quatre"):
            lease_for(name)
        with self.assertNumQueries(len(few)):
            self.client.get(url)

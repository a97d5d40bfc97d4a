import io
import random

from django.test import TestCase
from django.urls import reverse

from placette.accounts.models import User
from placette.contacts import demo as contacts_demo
from placette.places import demo
from placette.places.figures import headline_figures
from placette.places.models import Lease, Place, RentLine
from placette.test import BaseTestCase


class DemoTests(TestCase):
    def test_the_demo_builds_the_23_operations_once(self):
        contacts_demo.seed(random.Random("placette-contacts"), io.StringIO())
        out = io.StringIO()
        demo.seed(random.Random("placette-places"), out)
        from django.utils import timezone

        figures = headline_figures(timezone.localdate())
        self.assertEqual((figures.operations, figures.departments), (23, 11))
        self.assertTrue(6500 <= figures.area_bought <= 7500, figures.area_bought)
        self.assertEqual(figures.goal, 50)
        self.assertGreater(figures.activities_open, 15)
        self.assertGreater(figures.rent_roll, 0)
        self.assertTrue(RentLine.objects.unpaid_on(timezone.localdate()).exists())
        self.assertTrue(Lease.objects.filter(revisions__isnull=False).exists())
        self.assertEqual(Place.objects.count(), 25)  # and two incoming projects
        counts = (Place.objects.count(), RentLine.objects.count())
        demo.seed(random.Random("placette-places"), io.StringIO())
        self.assertEqual((Place.objects.count(), RentLine.objects.count()), counts)


class DemoPagesTests(BaseTestCase):
    def test_every_places_page_works_on_the_demo_data(self):
        contacts_demo.seed(random.Random("placette-contacts"), io.StringIO())
        demo.seed(random.Random("placette-places"), io.StringIO())
        self.login(self.staff)
        place = Place.objects.filter(activities__leases__isnull=False).first()
        lease = Lease.objects.filter(revisions__isnull=False).first()
        for url in [
            reverse("places:list"),
            reverse("places:list") + "?department=43&status=works",
            reverse("places:figures") + "?date=2022-12-31",
            reverse("places:arrears"),
            reverse("places:indexes"),
            reverse("places:detail", args=[place.pk]),
            reverse("places:operation", args=[place.pk]),
            reverse("places:decision", args=[place.pk]),
            reverse("places:lease", args=[lease.pk]),
            reverse("places:activity_create", args=[place.pk]),
        ]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
        self.assertEqual(len(self.client.get(reverse("places:list")).context["markers"]), 25)
        self.client.logout()
        self.client.force_login(
            User.objects.get(email=demo.DEMO_ACTIVITY_EMAIL),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        self.assertContains(self.client.get(reverse("portal:home")), "Mon lieu, mon bail")

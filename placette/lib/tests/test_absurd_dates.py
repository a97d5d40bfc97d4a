"""Issue 9 « absurd dates »: a movement dated 9999-12-31, meetings in year 0001 and 9999 and a
lease starting in 9999 were saved. Each is refused now, with a French message, nothing saved."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from placette.governance import services as governance
from placette.governance.models import Meeting
from placette.governance.tests.helpers import ag_body
from placette.lib.refusals import Refusal
from placette.membership.models import Movement
from placette.membership.services import shares_subscribe
from placette.membership.tests.helpers import category, make_statutes
from placette.places.models import Lease
from placette.places.tests.helpers import make_activity, make_lease, make_place
from placette.test import BaseTestCase, make_contact


class AbsurdDatesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_contact(first_name="Alice", last_name="Martin")

    def test_a_movement_dated_9999_12_31_is_refused_and_nothing_is_booked(self):
        with self.assertRaises(Refusal) as caught:
            shares_subscribe(
                actor=self.staff,
                contact=self.alice,
                shares=2,
                category=category("soutiens"),
                on=dt.date(9999, 12, 31),
            )
        self.assertEqual(caught.exception.field, "on")
        self.assertIn("31/12/9999", caught.exception.message)
        self.assertFalse(Movement.objects.exists())

    def test_a_movement_dated_tomorrow_or_before_1900_is_refused(self):
        for day in (timezone.localdate() + dt.timedelta(days=1), dt.date(1899, 12, 31)):
            with self.assertRaises(Refusal):
                shares_subscribe(
                    actor=self.staff,
                    contact=self.alice,
                    shares=2,
                    category=category("soutiens"),
                    on=day,
                )
        self.assertFalse(Movement.objects.exists())

    def test_the_staff_subscription_form_refuses_a_value_date_in_9999(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("membership:subscribe", args=[self.alice.pk]),
            {"shares": "2", "category": category("soutiens").pk, "on": "9999-12-31"},
            follow=True,
        )
        self.assertContains(response, "est dans le futur")
        self.assertFalse(Movement.objects.exists())

    def test_meetings_in_year_0001_and_9999_are_refused_by_the_form_and_the_service(self):
        self.login(self.staff)
        for starts in ("0001-01-01T10:00", "9999-12-31T10:00"):
            response = self.client.post(
                reverse("governance:meeting_create"),
                {
                    "body": ag_body().pk,
                    "kind": "AGO",
                    "call": "1",
                    "title": "AG",
                    "starts_at": starts,
                    "cutoff_date": "2020-01-01",
                },
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("starts_at", response.context["form"].errors)
        with self.assertRaises(Refusal) as caught:
            governance.meeting_create(
                actor=None,
                body=ag_body(),
                kind="AGO",
                title="AG",
                starts_at=timezone.make_aware(dt.datetime(9999, 6, 1, 18)),
                cutoff_date=timezone.localdate(),
            )
        self.assertEqual(caught.exception.field, "starts_at")
        self.assertFalse(Meeting.objects.exists())

    def test_a_lease_starting_in_9999_is_refused_and_a_long_lease_end_is_accepted(self):
        activity = make_activity(make_place())
        with self.assertRaises(Refusal) as caught:
            make_lease(activity, starts_on=dt.date(9999, 1, 1), ends_on=dt.date(9999, 12, 31))
        self.assertEqual(caught.exception.field, "starts_on")
        self.assertFalse(Lease.objects.exists())
        today = timezone.localdate()
        lease = make_lease(
            activity, starts_on=dt.date(2022, 5, 1), ends_on=today.replace(year=today.year + 60)
        )
        self.assertEqual(lease.ends_on.year, today.year + 60)

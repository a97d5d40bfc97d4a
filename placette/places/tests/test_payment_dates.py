"""A rent payment is dated as it happened: not in the future, not in a closed fiscal year,
not before the lease existed; a past date that the lease allows is accepted."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from placette.lib.refusals import Refusal
from placette.membership.models import ClosedFiscalYear
from placette.places.models import RentPayment
from placette.places.services import payment_record
from placette.places.tests.helpers import make_activity, make_lease, make_place
from placette.test import BaseTestCase


class PaymentDateTests(BaseTestCase):
    def setUp(self):
        # lease signed 15/04/2022, from 01/05/2022; lines from May 2022
        self.lease = make_lease(make_activity(make_place()), signed_on=dt.date(2022, 4, 15))
        self.line = self.lease.schedule.order_by("due_on").first()

    def record(self, paid_on: dt.date) -> RentPayment:
        return payment_record(
            actor=self.staff,
            line=self.line,
            amount=Decimal("100"),
            paid_on=paid_on,
            method="cheque",
        )

    def test_a_payment_dated_in_the_future_is_refused_and_nothing_is_recorded(self):
        with self.assertRaisesMessage(Refusal, "pas de date future") as caught:
            self.record(timezone.localdate() + dt.timedelta(days=1))
        self.assertEqual(caught.exception.field, "paid_on")
        self.assertFalse(RentPayment.objects.exists())

    def test_a_payment_dated_in_a_closed_fiscal_year_is_refused(self):
        ClosedFiscalYear.objects.create(year=2022)
        with self.assertRaisesMessage(Refusal, "L’exercice 2022 est clos") as caught:
            self.record(dt.date(2022, 12, 31))
        self.assertEqual(caught.exception.code, "closed_period")
        self.line.refresh_from_db()
        self.assertEqual(self.line.paid_amount, Decimal("0"))
        self.assertEqual(self.record(dt.date(2023, 1, 2)).paid_on, dt.date(2023, 1, 2))

    def test_a_payment_dated_before_the_lease_existed_is_refused(self):
        with self.assertRaisesMessage(Refusal, "le bail n’existait pas encore") as caught:
            self.record(dt.date(2022, 4, 14))
        self.assertEqual(caught.exception.code, "before_lease")
        self.assertFalse(RentPayment.objects.exists())
        # at its signature (before its start) the lease existed: a rent paid ahead is fine
        self.assertEqual(self.record(dt.date(2022, 4, 15)).amount, Decimal("100"))

    def test_an_unsigned_lease_takes_payments_from_its_start(self):
        lease = make_lease(make_activity(make_place(name="Épicerie")))
        line = lease.schedule.order_by("due_on").first()
        with self.assertRaisesMessage(Refusal, "commencé le 01/05/2022"):
            payment_record(
                actor=None,
                line=line,
                amount=Decimal("1"),
                paid_on=dt.date(2022, 4, 30),
                method="cheque",
            )

    def test_the_payment_form_shows_the_closed_year_refusal_on_the_page(self):
        ClosedFiscalYear.objects.create(year=2022)
        self.login(self.staff)
        response = self.client.post(
            reverse("places:payment", args=[self.line.pk]),
            {"amount": "100", "paid_on": "2022-06-01", "method": "cheque"},
            follow=True,
        )
        self.assertContains(response, "L’exercice 2022 est clos")
        self.assertFalse(RentPayment.objects.exists())


class LeaseDateTests(BaseTestCase):
    def test_a_lease_starting_once_its_activity_was_closed_is_refused(self):
        from placette.places.models import Lease

        activity = make_activity(make_place(), closed_on=dt.date(2024, 6, 30))
        with self.assertRaisesMessage(Refusal, "est fermée depuis le 30/06/2024") as caught:
            make_lease(activity, starts_on=dt.date(2024, 6, 30), until=dt.date(2024, 7, 31))
        self.assertEqual(caught.exception.field, "starts_on")
        self.assertFalse(Lease.objects.exists())
        # a lease that started while the activity was open is still recorded
        lease = make_lease(activity, starts_on=dt.date(2024, 1, 1), until=dt.date(2024, 2, 29))
        self.assertEqual(lease.schedule.count(), 2)

    def test_a_lease_starting_in_the_far_future_is_refused(self):
        activity = make_activity(make_place())
        far = timezone.localdate().replace(year=timezone.localdate().year + 11)
        with self.assertRaisesMessage(Refusal, "Début du bail"):
            make_lease(activity, starts_on=far, ends_on=far.replace(year=far.year + 9))

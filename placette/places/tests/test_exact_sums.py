"""Money sums are exact on SQLite too (SQLite stores and adds decimals as binary floats)."""

import datetime as dt
import io
import random
from collections import defaultdict
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from placette.contacts import demo as contacts_demo
from placette.lib.sums import decimal_sum
from placette.places import demo
from placette.places.figures import headline_figures
from placette.places.models import RentLine, RentPayment
from placette.places.services import lease_revise, payment_record
from placette.places.tests.helpers import (
    make_activity,
    make_index,
    make_lease,
    make_place,
    make_tenant,
)
from placette.test import BaseTestCase


def _unpaid_in_python(day) -> dict[int, Decimal]:
    """The arrears computed without the database's arithmetic: each stored amount read back as
    the Decimal it was written, each balance summed in Python."""
    paid: dict[int, Decimal] = defaultdict(Decimal)
    for line_id, amount in RentPayment.objects.filter(paid_on__lte=day).values_list(
        "line_id", "amount"
    ):
        paid[line_id] += amount
    return {
        pk: amount - paid[pk]
        for pk, amount in RentLine.objects.filter(due_on__lte=day).values_list("pk", "amount")
        if amount - paid[pk] > 0
    }


class DemoArrearsTests(BaseTestCase):
    def test_the_demo_arrears_are_the_lines_really_unpaid_on_every_database(self):
        contacts_demo.seed(random.Random("placette-contacts"), io.StringIO())
        demo.seed(random.Random("placette-places"), io.StringIO())
        today = timezone.localdate()
        expected = _unpaid_in_python(today)
        # The demo leaves the last one to three lines of three tenants unpaid (one partly paid).
        self.assertTrue(3 <= len(expected) <= 9, expected)
        found = {line.pk: line.balance_at for line in RentLine.objects.unpaid_on(today)}
        self.assertEqual(found, expected)
        for balance in found.values():
            self.assertIsInstance(balance, Decimal)
        figures = headline_figures(today)
        self.assertEqual(figures.arrears_lines, len(expected))
        self.assertEqual(figures.arrears, sum(expected.values(), Decimal("0.00")))
        self.login(self.staff)
        response = self.client.get(reverse("places:arrears"))
        self.assertEqual(response.context["list"].count, len(expected))
        self.assertEqual(response.context["total"], sum(expected.values(), Decimal("0.00")))
        # Every stored rent line is its rent plus its charges, to the cent, in Python too.
        for rent, charges, amount in RentLine.objects.values_list("rent", "charges", "amount"):
            self.assertEqual(rent + charges, amount)


class CentsTests(TestCase):
    def test_a_rent_whose_float_sum_is_off_the_cent_is_scheduled_paid_and_revised_exactly(self):
        # 850.07 + 50.10 != 900.17 in binary floats: SQLite refused such a lease, then counted
        # its lines as unpaid once paid.
        self.assertNotEqual(850.07 + 50.10, 900.17)
        activity = make_activity(make_place(), tenant=make_tenant())
        lease = make_lease(
            activity,
            until=dt.date(2023, 4, 30),
            initial_rent=Decimal("850.07"),
            charges=Decimal("50.10"),
        )
        make_index("ILC", 2022, 1, "120.61")
        make_index("ILC", 2023, 1, "128.59")
        lease_revise(actor=None, lease=lease)  # later lines take the new rent, in SQL
        lease.refresh_from_db()
        lines = list(lease.schedule.order_by("due_on"))
        self.assertEqual(len(lines), 12)
        for line in lines:
            self.assertEqual(line.amount, line.rent + line.charges)
            first = (line.amount / 3).quantize(Decimal("0.01"))
            payment_record(
                actor=None, line=line, amount=first, paid_on=line.due_on, method="transfer"
            )
            payment_record(
                actor=None,
                line=line,
                amount=line.amount - first,
                paid_on=line.due_on,
                method="transfer",
            )
        self.assertFalse(RentLine.objects.unpaid_on(dt.date(2023, 4, 30)).exists())
        figures = headline_figures(dt.date(2023, 4, 30))
        self.assertEqual((figures.arrears, figures.arrears_lines), (Decimal("0.00"), 0))
        self.assertEqual(str(figures.arrears), "0.00")
        totals = RentPayment.objects.aggregate(total=decimal_sum("amount"))
        self.assertEqual(totals["total"], sum((line.amount for line in lines), Decimal(0)))
        self.assertEqual(totals["total"].as_tuple().exponent, -2)

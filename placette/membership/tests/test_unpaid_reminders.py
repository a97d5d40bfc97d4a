"""`manage.py unpaid_reminders`: a balance unpaid after the statutory delay is reminded once a
month (email and timeline)."""

import datetime as dt
from decimal import Decimal
from io import StringIO

from django.core import mail
from django.core.management import call_command

from placette.contacts.models import TimelineEntry
from placette.membership.models import UnpaidReminder
from placette.membership.services import shares_pay, shares_subscribe
from placette.membership.tests.helpers import category, make_statutes
from placette.test import BaseTestCase, make_contact

D = dt.date


class UnpaidReminderTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes(balance_delay_months=12)
        cls.late = make_contact(first_name="Léa", last_name="Retard", email="lea@ex.fr")
        shares_subscribe(
            actor=None,
            contact=cls.late,
            shares=4,
            category=category("soutiens"),
            on=D(2023, 1, 10),
            paid=Decimal(100),
        )
        cls.paid = make_contact(first_name="Paul", last_name="Ajour", email="paul@ex.fr")
        shares_subscribe(
            actor=None,
            contact=cls.paid,
            shares=4,
            category=category("soutiens"),
            on=D(2023, 1, 10),
            paid=Decimal(100),
        )
        shares_pay(actor=None, contact=cls.paid, amount=Decimal(300), on=D(2023, 6, 1))
        cls.recent = make_contact(first_name="Rita", last_name="Recente", email="rita@ex.fr")
        shares_subscribe(
            actor=None,
            contact=cls.recent,
            shares=4,
            category=category("soutiens"),
            on=D(2024, 2, 1),
            paid=Decimal(100),
        )

    def run_command(self, on: str) -> str:
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):  # emails leave after commit
            call_command("unpaid_reminders", "--date", on, stdout=out)
        return out.getvalue()

    def test_only_the_overdue_balance_is_reminded_once_a_month(self):
        self.assertIn("1 relance", self.run_command("2024-03-05"))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["lea@ex.fr"])
        self.assertIn("300,00", mail.outbox[0].body)
        self.assertIn("10/01/2024", mail.outbox[0].body)
        self.assertTrue(
            TimelineEntry.objects.filter(contact=self.late, title__startswith="Relance").exists()
        )
        # Same month: nothing more.
        self.assertIn("0 relance", self.run_command("2024-03-28"))
        self.assertEqual(len(mail.outbox), 1)
        # Next month: Léa again, and Rita whose delay has now run out.
        self.assertIn("2 relance", self.run_command("2025-04-02"))
        self.assertEqual(UnpaidReminder.objects.count(), 3)

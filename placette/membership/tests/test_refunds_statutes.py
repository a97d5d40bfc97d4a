"""Refunds as the statutes say: after the AGO that approved the accounts of the year of
departure, within the maximum delay (due dates shown, overdue on the to-do list), reduced by
the year's losses when the statutes say so, the minimum delay counted to the day."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from placette.lib.refusals import Refusal
from placette.membership import todos
from placette.membership.approvals import accounts_approval_record, add_months, loss_share
from placette.membership.models import AccountsApproval, Movement
from placette.membership.services import (
    refund_decide,
    refund_pay,
    refund_request,
    refund_terms,
    shares_subscribe,
    shares_transfer,
)
from placette.membership.tests.helpers import approve_accounts, category, make_statutes
from placette.test import BaseTestCase, make_contact

D = dt.date


class RefundRulesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_contact(first_name="Alice", last_name="Martin")
        cls.bruno = make_contact(first_name="Bruno", last_name="Roux")
        soutiens = category("soutiens")
        shares_subscribe(
            actor=None, contact=cls.alice, shares=10, category=soutiens, on=D(2018, 2, 1)
        )
        shares_subscribe(
            actor=None, contact=cls.bruno, shares=90, category=soutiens, on=D(2018, 2, 1)
        )

    def decided(self, on=None, shares=10):
        on = on or D(2023, 4, 1)
        request = refund_request(actor=None, contact=self.alice, shares=shares, on=on)
        return refund_decide(actor=None, request=request, accepted=True, on=on)

    def test_a_refund_paid_before_the_ago_is_refused_and_nothing_is_booked(self):
        decision = self.decided()
        approve_accounts(2023, D(2024, 6, 20))
        before = Movement.objects.count()
        with self.assertRaisesMessage(Refusal, "avant l’AGO du 20/06/2024"):
            refund_pay(actor=None, decision=decision, on=D(2024, 6, 19))
        self.assertEqual(Movement.objects.count(), before)
        payment = refund_pay(actor=None, decision=decision, on=D(2024, 6, 20))
        self.assertEqual(payment.amount, Decimal("1000.00"))

    def test_without_a_recorded_ago_of_the_year_of_departure_the_refund_waits(self):
        decision = self.decided()
        approve_accounts(2022, D(2023, 6, 20))  # another year's accounts do not count
        with self.assertRaisesMessage(Refusal, "comptes de l’exercice 2023"):
            refund_pay(actor=None, decision=decision, on=D(2024, 7, 1))

    def test_an_ago_date_that_is_not_the_recorded_one_is_refused(self):
        decision = self.decided()
        approve_accounts(2023, D(2024, 6, 20))
        with self.assertRaisesMessage(Refusal, "approuvés par l’AGO du 20/06/2024"):
            refund_pay(actor=None, decision=decision, on=D(2024, 7, 1), ago_on=D(2024, 5, 1))

    def test_an_approval_needs_a_meeting_or_minutes_and_a_date_after_the_year(self):
        with self.assertRaisesMessage(Refusal, "procès-verbal"):
            accounts_approval_record(actor=None, year=2022, approved_on=D(2023, 6, 1))
        with self.assertRaisesMessage(Refusal, "Réunion inconnue"):
            accounts_approval_record(actor=None, year=2021, meeting_id=987654)
        with self.assertRaisesMessage(Refusal, "après sa clôture"):
            approve_accounts(2023, D(2023, 12, 31))
        approve_accounts(2023, D(2024, 6, 20))
        with self.assertRaisesMessage(Refusal, "déjà enregistrée"):
            approve_accounts(2023, D(2024, 6, 21))
        self.assertEqual(AccountsApproval.objects.count(), 1)

    def test_the_minimum_delay_is_counted_to_the_day(self):
        self.assertEqual(add_months(D(2024, 1, 31), 1), D(2024, 2, 29))
        self.assertEqual(add_months(D(2023, 1, 31), 1), D(2023, 2, 28))
        self.assertEqual(add_months(D(2023, 8, 30), 6), D(2024, 2, 29))
        self.assertEqual(add_months(D(2023, 3, 30), 3), D(2023, 6, 30))
        make_statutes(effective_from=D(2023, 1, 1), refund_min_delay_months=18)
        decision = self.decided(on=D(2023, 1, 30))
        approve_accounts(2023, D(2024, 6, 20))
        with self.assertRaisesMessage(Refusal, "avant le 30/07/2024"):
            refund_pay(actor=None, decision=decision, on=D(2024, 7, 29))
        refund_pay(actor=None, decision=decision, on=D(2024, 7, 30))

    def test_the_refund_is_reduced_by_the_share_of_the_losses_when_the_statutes_say_so(self):
        make_statutes(effective_from=D(2023, 1, 1), refund_reduced_by_losses=True)
        decision = self.decided()
        # 100 shares at the end of 2023 with Alice's; a loss of 3,000 €: 10 % is hers.
        approve_accounts(2023, D(2024, 6, 20), result=Decimal(-3000))
        terms = refund_terms(decision)
        self.assertEqual((terms["reduction"], terms["amount"]), (Decimal("300.00"), Decimal(700)))
        payment = refund_pay(actor=None, decision=decision, on=D(2024, 7, 1))
        self.assertEqual(payment.amount, Decimal("700.00"))
        self.assertEqual(
            loss_share(owed=Decimal(100), loss=Decimal(10**6), shares=1, shares_at_year_end=2),
            Decimal(100),
        )

    def test_without_the_setting_a_loss_does_not_reduce_the_refund(self):
        decision = self.decided()
        approve_accounts(2023, D(2024, 6, 20), result=Decimal(-3000))
        self.assertEqual(
            refund_pay(actor=None, decision=decision, on=D(2024, 7, 1)).amount, Decimal("1000.00")
        )

    def test_overdue_refunds_are_on_the_to_do_list_and_the_due_dates_are_shown(self):
        make_statutes(effective_from=D(2020, 1, 1), refund_max_delay_months=12)
        self.decided(on=D(2021, 3, 1))
        [todo] = [t for t in todos.todos() if t.key == "membership.refunds_to_pay"]
        self.assertEqual(todo.count, 1)
        self.assertIn("au-delà du délai statutaire de 12 mois", todo.detail)
        self.client.force_login(self.staff)
        page = self.client.get(reverse("membership:refunds"))
        self.assertContains(page, "01/03/2022")  # due at the latest
        self.assertContains(page, "en retard")
        self.assertContains(page, "après l’AGO des comptes 2021 (non enregistrée)")

    def test_a_staff_admin_records_the_approval_of_the_accounts_from_the_refunds_page(self):
        self.client.force_login(self.staff_admin)
        response = self.client.post(
            reverse("membership:accounts_approval"),
            {
                "year": "2023",
                "approved_on": "2024-06-20",
                "minutes_reference": "PV papier",
                "result": "-1500,00",
            },
        )
        self.assertRedirects(response, reverse("membership:refunds"))
        approval = AccountsApproval.objects.get()
        self.assertEqual((approval.year, approval.result), (2023, Decimal("-1500.00")))


class HoldingPeriodWarningTests(BaseTestCase):
    """A refund, transfer or gift inside the IR-PME holding period warns at the request, the
    decision and the payment."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_contact(first_name="Alice", last_name="Martin")
        cls.bruno = make_contact(first_name="Bruno", last_name="Roux")
        soutiens = category("soutiens")
        shares_subscribe(
            actor=None, contact=cls.bruno, shares=50, category=soutiens, on=D(2018, 2, 1)
        )
        shares_subscribe(
            actor=None, contact=cls.alice, shares=10, category=soutiens, on=D(2023, 2, 1)
        )

    def test_the_warning_comes_at_request_decision_and_payment(self):
        request = refund_request(actor=None, contact=self.alice, shares=10, on=D(2024, 3, 1))
        self.assertIn("jusqu’au 31/12/2028", request.warnings[0])
        decision = refund_decide(actor=None, request=request, accepted=True, on=D(2024, 3, 5))
        self.assertIn("période de conservation IR-PME", decision.warnings[0])
        approve_accounts(2024, D(2025, 6, 20))
        payment = refund_pay(actor=None, decision=decision, on=D(2025, 7, 1))
        self.assertIn("période de conservation IR-PME", payment.warnings[0])

    def test_a_transfer_inside_the_holding_period_warns(self):
        out, _ = shares_transfer(
            actor=None, giver=self.alice, receiver=self.bruno, shares=2, on=D(2024, 3, 1)
        )
        self.assertIn("une cession peut entraîner la reprise", out.warnings[0])

    def test_the_holding_period_comes_from_the_year_s_tax_settings(self):
        from placette.membership.tests.test_tax_statements import eligible_year

        self.assertTrue(
            refund_request(actor=None, contact=self.alice, shares=1, on=D(2025, 3, 1)).warnings
        )
        eligible_year(2023, holding_years=1, clawback_years=1)
        request = refund_request(actor=None, contact=self.alice, shares=1, on=D(2025, 3, 2))
        self.assertEqual(request.warnings, [])


class RefundPageQueriesTests(BaseTestCase):
    """The refunds page costs the same number of queries for one refund or many, also when the
    refunds are reduced by the year's losses (one capital at the year's end per year)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes(refund_reduced_by_losses=True)
        cls.soutiens = category("soutiens")
        cls.big = make_contact(first_name="Gros", last_name="Porteur")
        shares_subscribe(
            actor=None, contact=cls.big, shares=500, category=cls.soutiens, on=D(2018, 2, 1)
        )
        approve_accounts(2023, D(2024, 6, 20), result=Decimal("-1000"))

    def leave(self, name: str, shares: int = 2) -> None:
        contact = make_contact(first_name="Partant", last_name=name)
        shares_subscribe(
            actor=None, contact=contact, shares=shares, category=self.soutiens, on=D(2019, 1, 2)
        )
        request = refund_request(actor=None, contact=contact, shares=shares, on=D(2023, 3, 1))
        refund_decide(actor=None, request=request, accepted=True, on=D(2023, 4, 1))
        pending = make_contact(first_name="Hésitant", last_name=name)
        shares_subscribe(
            actor=None, contact=pending, shares=3, category=self.soutiens, on=D(2019, 1, 2)
        )
        refund_request(actor=None, contact=pending, shares=1, on=D(2024, 3, 1))

    def count(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("membership:refunds"))
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_the_refunds_page_costs_the_same_queries_for_one_refund_or_six(self):
        self.login(self.staff)
        self.leave("Un")
        one = self.count()
        for name in ("Deux", "Trois", "Quatre", "Cinq", "Six"):
            self.leave(name)
        self.assertEqual(len(list(Movement.objects.filter(kind="refund_decision"))), 6)
        with self.assertNumQueries(one):
            response = self.client.get(reverse("membership:refunds"))
        page = response.content.decode()
        self.assertEqual((page.count("Partant"), page.count("Hésitant")), (6, 6))

"""Booking subscriptions, payments, transfers, refunds and cancellations through the services."""

import datetime as dt
from decimal import Decimal

from placette.contacts.models import TimelineEntry
from placette.lib.models import AuditEntry
from placette.lib.refusals import Refusal
from placette.membership import projections
from placette.membership.models import Member, Movement
from placette.membership.services import (
    movement_cancel,
    refund_decide,
    refund_pay,
    refund_request,
    shares_give,
    shares_pay,
    shares_subscribe,
    shares_transfer,
)
from placette.membership.tests.helpers import approve_accounts, category, make_statutes
from placette.test import BaseTestCase, make_contact

D = dt.date


class SubscriptionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_contact(first_name="Alice", last_name="Martin")
        cls.bruno = make_contact(first_name="Bruno", last_name="Roux")

    def subscribe(self, contact, shares, on=None, **kw):
        on = on or D(2024, 3, 1)
        kw.setdefault("category", category("soutiens"))
        return shares_subscribe(actor=self.staff, contact=contact, shares=shares, on=on, **kw)

    def test_a_subscription_books_a_numbered_movement_and_admits_a_numbered_member(self):
        movement = self.subscribe(self.alice, 10)
        self.assertEqual(movement.number, 1)
        self.assertEqual(movement.capital, Decimal("1000.00"))
        member = Member.objects.get(contact=self.alice)
        self.assertEqual((member.number, member.admitted_on), (1, D(2024, 3, 1)))
        self.assertTrue(
            TimelineEntry.objects.filter(contact=self.alice, area="membership").exists()
        )
        self.assertTrue(AuditEntry.objects.filter(action="membership.shares.subscribed").exists())
        second = self.subscribe(self.bruno, 2)
        self.assertEqual(second.number, 2)
        self.assertEqual(Member.objects.get(contact=self.bruno).number, 2)

    def test_it_refuses_zero_or_negative_shares_and_books_nothing(self):
        for shares in (0, -3):
            with self.assertRaisesMessage(Refusal, "au moins 1"):
                self.subscribe(self.alice, shares)
        self.assertFalse(Movement.objects.exists())
        self.assertFalse(Member.objects.exists())

    def test_it_refuses_less_than_a_quarter_paid_at_subscription(self):
        with self.assertRaisesMessage(Refusal, "Il faut libérer au moins 250,00"):
            self.subscribe(self.alice, 10, paid=Decimal(100))
        self.assertFalse(Movement.objects.exists())

    def test_it_refuses_a_holding_below_the_minimum_of_the_category(self):
        with self.assertRaisesMessage(Refusal, "au moins 5 part(s)"):
            self.subscribe(self.alice, 2, category=category("partenaires"))

    def test_a_new_holder_needs_a_category(self):
        with self.assertRaisesMessage(Refusal, "précisez sa catégorie"):
            shares_subscribe(actor=None, contact=self.alice, shares=1)

    def test_a_second_submission_with_the_same_key_books_nothing_more(self):
        first = self.subscribe(self.alice, 3, idempotency_key="bulletin-42")
        again = self.subscribe(self.alice, 3, idempotency_key="bulletin-42")
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(Movement.objects.count(), 1)
        self.assertEqual(projections.holding_of(self.alice).shares, 3)

    def test_paying_up_the_balance_completes_the_paid_up_capital(self):
        self.subscribe(self.alice, 8, paid=Decimal(200))
        shares_pay(actor=self.staff, contact=self.alice, amount=Decimal(600), on=D(2024, 6, 1))
        holding = projections.holding_of(self.alice)
        self.assertEqual((holding.capital, holding.paid), (Decimal(800), Decimal(800)))
        with self.assertRaisesMessage(Refusal, "dépasse le capital restant"):
            shares_pay(actor=self.staff, contact=self.alice, amount=Decimal(1), on=D(2024, 7, 1))

    def test_with_membership_at_full_payment_admission_waits_for_the_last_payment(self):
        make_statutes(effective_from=D(2024, 1, 1), membership_start="full_payment")
        self.subscribe(self.alice, 4, paid=Decimal(100))
        member = Member.objects.get(contact=self.alice)
        self.assertIsNone(member.admitted_on)
        self.assertIsNone(member.number)
        shares_pay(actor=None, contact=self.alice, amount=Decimal(300), on=D(2024, 5, 2))
        member.refresh_from_db()
        self.assertEqual((member.admitted_on, member.number), (D(2024, 5, 2), 1))


class TransferAndRefundTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_contact(first_name="Alice", last_name="Martin")
        cls.bruno = make_contact(first_name="Bruno", last_name="Roux")
        cls.carla = make_contact(first_name="Carla", last_name="Blanc")
        soutiens = category("soutiens")
        shares_subscribe(
            actor=None, contact=cls.alice, shares=10, category=soutiens, on=D(2019, 1, 10)
        )
        shares_subscribe(
            actor=None, contact=cls.bruno, shares=30, category=soutiens, on=D(2019, 2, 10)
        )

    def test_a_transfer_moves_shares_to_a_new_member_without_changing_the_capital(self):
        before = projections.capital_on()
        out, into = shares_transfer(
            actor=self.staff,
            giver=self.alice,
            receiver=self.carla,
            shares=4,
            category=category("beneficiaires"),
            on=D(2024, 1, 5),
        )
        self.assertEqual((out.number + 1, into.related_id), (into.number, out.pk))
        after = projections.capital_on()
        self.assertEqual((after.subscribed, after.paid), (before.subscribed, before.paid))
        self.assertEqual(after.holders, before.holders + 1)
        self.assertEqual(projections.holding_of(self.carla).shares, 4)
        self.assertEqual(Member.objects.get(contact=self.carla).category.code, "beneficiaires")

    def test_it_refuses_a_transfer_to_an_unknown_person(self):
        for receiver in (None, 999_999):
            with self.assertRaisesMessage(Refusal, "Bénéficiaire inconnu"):
                shares_transfer(actor=None, giver=self.alice, receiver=receiver, shares=1)
        self.assertEqual(Movement.objects.count(), 2)

    def test_a_gift_of_all_shares_makes_the_giver_leave(self):
        shares_give(actor=None, giver=self.alice, receiver=self.bruno, shares=10, on=D(2024, 2, 1))
        member = Member.objects.get(contact=self.alice)
        self.assertEqual(member.left_on, D(2024, 2, 1))
        self.assertFalse(member.is_active_on(D(2024, 2, 1)))
        self.assertTrue(member.is_active_on(D(2024, 1, 31)))

    def test_it_refuses_a_refund_larger_than_the_holding(self):
        with self.assertRaisesMessage(Refusal, "dépasse la détention"):
            refund_request(actor=None, contact=self.alice, shares=11, on=D(2025, 1, 1))
        self.assertEqual(Movement.objects.count(), 2)

    def test_it_refuses_a_refund_below_the_capital_floor(self):
        make_statutes(effective_from=D(2020, 1, 1), floor_amount=Decimal(3500))
        with self.assertRaisesMessage(Refusal, "sous le plancher statutaire"):
            refund_request(actor=None, contact=self.alice, shares=6, on=D(2025, 1, 1))
        refund_request(actor=None, contact=self.alice, shares=5, on=D(2025, 1, 1))

    def test_a_refund_goes_from_request_to_decision_to_payment_after_the_ago(self):
        request = refund_request(actor=None, contact=self.alice, shares=10, on=D(2025, 3, 1))
        self.assertEqual(request.warnings, [])
        self.assertEqual(list(projections.pending_requests()), [request])
        decision = refund_decide(actor=None, request=request, accepted=True, on=D(2025, 4, 1))
        self.assertEqual((decision.shares, decision.amount), (-10, Decimal("1000.00")))
        self.assertEqual(projections.holding_of(self.alice).shares, 0)
        self.assertEqual(Member.objects.get(contact=self.alice).left_on, D(2025, 4, 1))
        with self.assertRaisesMessage(Refusal, "attend l’AGO qui approuve les comptes"):
            refund_pay(actor=None, decision=decision, on=D(2025, 6, 1))
        with self.assertRaisesMessage(Refusal, "après sa clôture"):
            approve_accounts(2025, D(2025, 5, 1))
        approve_accounts(2025, D(2026, 6, 20))
        payment = refund_pay(actor=None, decision=decision, on=D(2026, 7, 1), ago_on=D(2026, 6, 20))
        self.assertEqual(payment.amount, Decimal("1000.00"))
        self.assertFalse(projections.refunds_to_pay().exists())

    def test_a_refund_inside_the_ir_pme_holding_period_is_booked_with_a_warning(self):
        shares_subscribe(actor=None, contact=self.alice, shares=2, on=D(2023, 5, 1))
        request = refund_request(actor=None, contact=self.alice, shares=2, on=D(2025, 3, 1))
        self.assertIn("période de conservation IR-PME", request.warnings[0])
        self.assertIn("IR-PME", request.note)

    def test_a_cancellation_reverses_a_transfer_and_restores_both_holdings(self):
        out, _ = shares_transfer(
            actor=None, giver=self.bruno, receiver=self.alice, shares=5, on=D(2024, 1, 1)
        )
        reversals = movement_cancel(actor=None, movement=out, reason="erreur de saisie")
        self.assertEqual(len(reversals), 2)
        self.assertEqual(projections.holding_of(self.alice).shares, 10)
        self.assertEqual(projections.holding_of(self.bruno).shares, 30)
        with self.assertRaisesMessage(Refusal, "déjà annulé"):
            movement_cancel(actor=None, movement=out, reason="encore")

    def test_it_refuses_a_partial_refund_that_leaves_less_than_the_category_minimum(self):
        partenaires = category("partenaires")
        carla = self.carla
        shares_subscribe(actor=None, contact=carla, shares=6, category=partenaires)
        with self.assertRaisesMessage(Refusal, "moins que le minimum de la catégorie"):
            refund_request(actor=None, contact=carla, shares=3)
        refund_request(actor=None, contact=carla, shares=6)

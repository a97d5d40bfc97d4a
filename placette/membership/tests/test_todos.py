"""The membership to-dos on the staff dashboard: subscriptions waiting for payment or approval,
refunds to decide and to pay; constant queries."""

import datetime as dt
import uuid
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from placette.lib.dashboard import Urgency
from placette.membership.models_requests import RequestStatus, SubscriptionRequest
from placette.membership.services import refund_decide, refund_request, shares_subscribe
from placette.membership.tests.helpers import category, make_statutes
from placette.membership.todos import todos
from placette.test import BaseTestCase, make_contact

D = dt.date


def make_request(status: str, *, days_ago: int = 1) -> SubscriptionRequest:
    key = uuid.uuid4().hex
    return SubscriptionRequest.objects.create(
        refusal_reason="hors délai" if status == RequestStatus.REFUSED else "",
        reference=key[:12],
        access_key=key,
        form_token=key,
        created_at=timezone.now() - dt.timedelta(days=days_ago),
        contact=make_contact(first_name="Sam", last_name=key[:6], email=f"{key[:8]}@ex.fr"),
        category=category("soutiens"),
        shares=2,
        share_value=Decimal(100),
        amount=Decimal(200),
        payment_method="transfer",
        status=status,
    )


def by_key(items):
    return {todo.key: todo for todo in items}


class MembershipTodosTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes(effective_from=D(2010, 1, 1))
        cls.holder = make_contact(first_name="Hélène", last_name="Rembourse", email="h@ex.fr")
        shares_subscribe(
            actor=None,
            contact=cls.holder,
            shares=20,
            category=category("soutiens"),
            on=D(2010, 2, 1),
        )

    def refund(self, *, requested_on, decided_on=None, accepted=True):
        request = refund_request(actor=None, contact=self.holder, shares=1, on=requested_on)
        if decided_on:
            refund_decide(
                actor=None,
                request=request,
                accepted=accepted,
                on=decided_on,
                note="" if accepted else "capital plancher",
            )
        return request

    def test_it_counts_subscriptions_waiting_for_payment_and_those_paid_to_approve(self):
        make_request(RequestStatus.AWAITING_PAYMENT)
        make_request(RequestStatus.AWAITING_PAYMENT, days_ago=45)
        make_request(RequestStatus.PARTIALLY_PAID)
        make_request(RequestStatus.PAID)
        make_request(RequestStatus.REFUSED)
        items = by_key(todos())
        awaiting = items["membership.requests_awaiting_payment"]
        self.assertEqual(awaiting.count, 2)
        self.assertEqual(awaiting.detail, "dont 1 depuis plus de 30 jours")
        self.assertTrue(awaiting.url.endswith("?status=awaiting_payment"))
        self.assertEqual(items["membership.requests_partially_paid"].count, 1)
        paid = items["membership.requests_to_approve"]
        self.assertEqual((paid.count, paid.urgency), (1, Urgency.SOON))
        self.assertEqual(paid.label, "souscription payée à approuver")
        self.assertEqual(awaiting.label, "souscriptions en attente de paiement")
        self.assertTrue(paid.url.endswith("?status=paid"))

    def test_it_counts_refund_requests_waiting_for_the_boards_decision(self):
        self.refund(requested_on=D(2024, 1, 10))
        self.refund(requested_on=D(2024, 1, 11), decided_on=D(2024, 2, 1))
        items = by_key(todos())
        self.assertEqual(items["membership.refunds_to_decide"].count, 1)
        self.assertEqual(
            items["membership.refunds_to_decide"].url, "/gestion/societariat/remboursements/"
        )

    def test_an_accepted_refund_past_the_statutory_maximum_delay_is_late(self):
        self.refund(requested_on=D(2012, 1, 10), decided_on=D(2012, 2, 1))
        to_pay = by_key(todos())["membership.refunds_to_pay"]
        self.assertEqual((to_pay.count, to_pay.urgency), (1, Urgency.LATE))
        self.assertEqual(to_pay.detail, "dont 1 au-delà du délai statutaire de 60 mois")

    def test_a_refund_inside_the_minimum_delay_is_not_yet_to_pay(self):
        make_statutes(effective_from=D(2011, 1, 1), refund_min_delay_months=1200)
        self.refund(requested_on=D(2012, 1, 10), decided_on=D(2012, 2, 1))
        self.assertEqual(by_key(todos())["membership.refunds_to_pay"].count, 0)

    def test_a_refused_refund_leaves_nothing_to_pay(self):
        self.refund(requested_on=D(2024, 1, 10), decided_on=D(2024, 2, 1), accepted=False)
        items = by_key(todos())
        self.assertEqual(items["membership.refunds_to_pay"].count, 0)
        self.assertEqual(items["membership.refunds_to_decide"].count, 0)

    def test_its_query_count_does_not_grow_with_the_rows(self):
        make_request(RequestStatus.PAID)
        self.refund(requested_on=D(2024, 1, 10), decided_on=D(2024, 2, 1))
        with CaptureQueriesContext(connection) as few:
            todos()
        for _ in range(5):
            make_request(RequestStatus.PAID)
            make_request(RequestStatus.AWAITING_PAYMENT)
            self.refund(requested_on=D(2024, 1, 10), decided_on=D(2024, 2, 1))
        with self.assertNumQueries(len(few)):
            todos()

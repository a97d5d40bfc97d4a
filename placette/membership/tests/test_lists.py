"""The members list and the subscription-request queue on the shared list pages."""

import csv
import datetime as dt
import io
import uuid
from decimal import Decimal

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from placette.lib.models import Job
from placette.membership.models import Movement
from placette.membership.models_requests import RequestStatus, SubscriptionRequest
from placette.membership.services import shares_subscribe
from placette.membership.subscriptions import request_payment_record
from placette.membership.tests.helpers import category, make_statutes
from placette.membership.tests.test_subscription_public import payment_settings
from placette.membership.tests.test_subscription_queue import new_request
from placette.test import BaseTestCase, make_contact

D = dt.date
MEMBERS = reverse("membership:members")
REQUESTS = reverse("membership_public:request_list")


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


class MemberListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.early = make_contact(first_name="Alice", last_name="Avant", email="a@ex.fr")
        cls.late = make_contact(first_name="Bruno", last_name="Apres", email="b@ex.fr")
        shares_subscribe(
            actor=None,
            contact=cls.early,
            shares=10,
            category=category("soutiens"),
            on=D(2020, 5, 1),
        )
        shares_subscribe(
            actor=None, contact=cls.late, shares=3, category=category("soutiens"), on=D(2024, 5, 1)
        )

    def setUp(self):
        self.login(self.staff)

    def names(self, **params) -> list[str]:
        response = self.client.get(MEMBERS, params)
        return [row.record.contact.display_name for row in response.context["list"].rows]

    def test_the_members_list_is_for_the_team_only(self):
        self.assert_staff_only(MEMBERS)
        self.assert_staff_only(reverse("lists:export", args=["members", "csv"]))

    def test_the_list_reads_the_members_at_the_chosen_date(self):
        self.assertEqual(self.names(), ["Alice AVANT", "Bruno APRES"])
        self.assertEqual(self.names(date="2021-01-01"), ["Alice AVANT"])
        self.assertEqual(self.names(date="pas une date"), ["Alice AVANT", "Bruno APRES"])

    def test_members_sort_by_name_or_shares_and_filter_by_text(self):
        self.assertEqual(self.names(sort="name"), ["Bruno APRES", "Alice AVANT"])
        self.assertEqual(self.names(sort="shares"), ["Bruno APRES", "Alice AVANT"])
        self.assertEqual(self.names(sort="-shares"), ["Alice AVANT", "Bruno APRES"])
        self.assertEqual(self.names(q="bruno"), ["Bruno APRES"])
        self.assertEqual(self.names(category="soutiens"), ["Alice AVANT", "Bruno APRES"])

    def test_the_export_gives_the_members_and_columns_shown_at_the_date(self):
        response = self.client.get(
            reverse("lists:export", args=["members", "xlsx"]),
            {"date": "2021-01-01", "cols": ["name", "shares", "admitted_on"]},
        )
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertEqual(rows[0], ("Nom", "Parts", "Admis le"))
        self.assertEqual(rows[1][:2], ("Alice AVANT", 10))
        self.assertEqual(rows[1][2].date(), D(2020, 5, 1))
        self.assertEqual(len(rows), 2)

    def test_the_members_list_costs_the_same_queries_with_5_and_60_members(self):
        def add(n: int) -> None:
            for _ in range(n):
                contact = make_contact(last_name=f"Membre{uuid.uuid4().hex[:8]}")
                shares_subscribe(
                    actor=None, contact=contact, shares=1, category=category("soutiens")
                )

        self.assert_constant_queries(MEMBERS, add)


class RequestListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        payment_settings()

    def setUp(self):
        self.req = new_request()
        mail.outbox.clear()
        self.login(self.staff)
        self.action = reverse("lists:action", args=["subscription-requests"])

    def clone(self, n: int) -> None:
        """More requests like the first, without going through the public form each time."""
        for _ in range(n):
            copy = SubscriptionRequest.objects.get(pk=self.req.pk)
            key = uuid.uuid4().hex
            copy.pk = None
            copy.reference, copy.access_key, copy.form_token = key[:12].upper(), key, key
            copy.save()

    def test_the_queue_costs_the_same_queries_with_5_and_60_requests(self):
        self.assert_constant_queries(REQUESTS, lambda n: self.clone(n))
        self.assert_constant_queries(REQUESTS, lambda n: self.clone(n), {"status": "awaiting"})

    def test_the_queue_shows_amounts_in_french_and_filters_by_payment_method(self):
        response = self.client.get(REQUESTS, {"payment_method": "transfer"})
        self.assertContains(response, self.req.reference)
        self.assertContains(response, "\u00a0€")
        response = self.client.get(REQUESTS, {"payment_method": "cheque"})
        self.assertNotContains(response, self.req.reference)

    def test_approving_the_selection_asks_first_then_approves_the_paid_ones(self):
        other = new_request(email="paul@exemple.fr", last_name="Paul")
        request_payment_record(
            actor=self.staff,
            request=self.req,
            amount=self.req.amount,
            paid_on=timezone.localdate(),
            method="transfer",
        )
        ids = [self.req.pk, other.pk]
        response = self.client.post(self.action, {"action": "approve", "ids": ids})
        self.assertContains(response, 'data-count="2"')
        self.assertContains(response, "Confirmer pour 2 lignes")
        self.assertEqual(Movement.objects.count(), 0)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                self.action, {"action": "approve", "ids": ids, "confirm": "1"}
            )
        job = Job.objects.get()  # certificates take time: a background job
        self.assertRedirects(response, job.get_absolute_url())
        response = self.client.get(job.get_absolute_url())
        self.assertContains(response, "1 demande approuvée.")
        self.assertContains(response, f"Paiement insuffisant pour la demande {other.reference}")
        self.assertEqual(Movement.objects.count(), 1)

    def test_refusing_the_selection_needs_a_reason_sent_to_the_subscriber(self):
        data = {"action": "refuse", "ids": [self.req.pk], "confirm": "1"}
        response = self.client.post(self.action, data, follow=True)
        self.assertContains(response, "Indiquez le motif du refus")
        self.req.refresh_from_db()
        self.assertEqual(self.req.status, RequestStatus.AWAITING_PAYMENT)
        data["refuse-reason"] = "Sans nouvelles depuis trois mois."
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.action, data)
        response = self.client.get(Job.objects.get().get_absolute_url())
        self.assertContains(response, "1 demande refusée.")
        self.req.refresh_from_db()
        self.assertEqual(self.req.status, RequestStatus.REFUSED)

    def test_exporting_the_selected_requests_keeps_amounts_as_numbers(self):
        self.clone(2)
        response = self.client.post(
            self.action,
            {"action": "export_xlsx", "ids": [self.req.pk], "query": "cols=reference&cols=amount"},
        )
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertEqual(rows, [("Référence", "Montant"), (self.req.reference, self.req.amount)])
        self.assertIsInstance(self.req.amount, Decimal)
        response = self.client.post(
            self.action, {"action": "export_csv", "ids": [self.req.pk], "query": "cols=reference"}
        )
        self.assertEqual(_csv(response), [["Référence"], [self.req.reference]])

    def test_the_queue_actions_are_for_the_team_only(self):
        self.assert_staff_only(
            self.action, method="post", data={"action": "approve", "ids": [self.req.pk]}
        )
        self.req.refresh_from_db()
        self.assertEqual(self.req.status, RequestStatus.AWAITING_PAYMENT)

import datetime as dt
from decimal import Decimal

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from placette.lib.refusals import Refusal
from placette.places.figures import headline_figures
from placette.places.models import RentLine, RentPayment, RentReminder
from placette.places.services import payment_record, rent_reminder_send
from placette.places.tests.helpers import make_activity, make_lease, make_place, make_tenant
from placette.test import BaseTestCase


def _lease(name="Café", email="cafe@fontaine.fr"):
    tenant = make_tenant(name=f"Association {name}", email=email)
    activity = make_activity(make_place(name=name), tenant=tenant, name=name)
    return make_lease(activity, until=timezone.localdate())


class ArrearsTests(BaseTestCase):
    def test_the_arrears_list_shows_unpaid_due_lines_only(self):
        lease = _lease()
        lines = list(lease.schedule.order_by("due_on"))
        for line in lines[:-2]:
            payment_record(
                actor=None, line=line, amount=line.amount, paid_on=line.due_on, method="transfer"
            )
        payment_record(
            actor=None,
            line=lines[-2],
            amount=Decimal("100"),
            paid_on=timezone.localdate(),
            method="cheque",
        )
        self.login(self.staff)
        response = self.client.get(reverse("places:arrears"))
        shown = [row.record for row in response.context["list"].rows]
        self.assertEqual([line.pk for line in shown], [lines[-2].pk, lines[-1].pk])
        self.assertEqual(shown[0].balance, Decimal("800.00"))
        self.assertContains(response, "Association Café")

    def test_a_payment_above_the_balance_is_refused_and_nothing_is_saved(self):
        line = _lease().schedule.order_by("due_on").first()
        self.login(self.staff)
        response = self.client.post(
            reverse("places:payment", args=[line.pk]),
            {"amount": "5000", "paid_on": "2024-01-01", "method": "transfer"},
            follow=True,
        )
        self.assertContains(response, "dépasse le reste dû")
        self.assertFalse(RentPayment.objects.exists())
        with self.assertRaises(Refusal):
            payment_record(
                actor=None,
                line=line,
                amount=Decimal("-1"),
                paid_on=dt.date(2024, 1, 1),
                method="transfer",
            )

    def test_a_reminder_emails_the_tenant_and_is_recorded_on_its_timeline_once_a_day(self):
        lease = _lease()
        line = lease.schedule.order_by("due_on").first()
        self.login(self.staff)
        url = reverse("places:reminder", args=[line.pk])
        with self.captureOnCommitCallbacks(execute=True):  # the email leaves after commit
            self.client.post(url)
            response = self.client.post(url, follow=True)
        self.assertContains(response, "Déjà relancé aujourd’hui")
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["cafe@fontaine.fr"])
        self.assertIn("impayée", message.subject)
        self.assertIn("900,00\u00a0€", message.body)
        self.assertEqual(RentReminder.objects.filter(line=line).count(), 1)
        tenant = lease.activity.tenant
        self.assertEqual(tenant.timeline.filter(kind="email", area="places").count(), 1)
        # The next day, a new reminder is allowed.
        with self.captureOnCommitCallbacks(execute=True):
            _, sent = rent_reminder_send(
                actor=None, line=line, today=timezone.localdate() + dt.timedelta(days=1)
            )
        self.assertTrue(sent)
        self.assertEqual(len(mail.outbox), 2)

    def test_a_paid_line_or_a_tenant_without_email_gets_no_reminder(self):
        lease = _lease(email="")
        line = lease.schedule.order_by("due_on").first()
        with self.assertRaisesMessage(Refusal, "n’a pas d’adresse e-mail"):
            rent_reminder_send(actor=None, line=line)
        payment_record(
            actor=None, line=line, amount=line.amount, paid_on=line.due_on, method="transfer"
        )
        with self.assertRaisesMessage(Refusal, "réglée"):
            rent_reminder_send(actor=None, line=line)
        self.assertEqual(len(mail.outbox), 0)
        self.assertFalse(RentReminder.objects.exists())

    def test_the_arrears_page_costs_the_same_number_of_queries_whatever_the_number_of_lines(self):
        self.login(self.staff)
        _lease("Un", "un@ex.fr")

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse("places:arrears"))
            self.assertEqual(response.status_code, 200)
            return len(queries)

        few = count()
        for i in range(4):
            _lease(f"Lieu {i}", f"l{i}@ex.fr")
        self.assertGreater(RentLine.objects.count(), 60)
        self.assertEqual(count(), few)
        first = self.client.get(reverse("places:arrears")).context["list"]
        self.assertTrue(first.keyset.has_next)
        with self.assertNumQueries(few):
            self.client.get(reverse("places:arrears") + "?" + first.next_query)

    def test_arrears_at_a_past_date_count_only_the_payments_made_by_that_date(self):
        lease = _lease()
        first, second = list(lease.schedule.order_by("due_on"))[:2]
        # The first line is paid in two halves: one before the date, one after it.
        payment_record(
            actor=None,
            line=first,
            amount=Decimal("400"),
            paid_on=first.due_on + dt.timedelta(days=3),
            method="transfer",
        )
        payment_record(
            actor=None,
            line=first,
            amount=first.amount - Decimal("400"),
            paid_on=second.due_on + dt.timedelta(days=20),
            method="transfer",
        )
        # The second line is paid in full, late.
        payment_record(
            actor=None,
            line=second,
            amount=second.amount,
            paid_on=second.due_on + dt.timedelta(days=20),
            method="transfer",
        )
        at = second.due_on + dt.timedelta(days=10)
        arrears = {line.pk: line.balance_at for line in RentLine.objects.unpaid_on(at)}
        self.assertEqual(arrears, {first.pk: first.amount - 400, second.pk: second.amount})
        later = RentLine.objects.unpaid_on(second.due_on + dt.timedelta(days=20))
        self.assertNotIn(first.pk, {line.pk for line in later})
        self.assertEqual(headline_figures(at).arrears, first.amount - 400 + second.amount)
        self.assertEqual(headline_figures(at).arrears_lines, 2)
        self.login(self.staff)
        response = self.client.get(reverse("places:arrears"), {"date": at.isoformat()})
        self.assertEqual(
            [row.record.pk for row in response.context["list"].rows], [first.pk, second.pk]
        )
        self.assertEqual(response.context["total"], first.amount - 400 + second.amount)
        self.assertContains(response, "Seuls les paiements datés du")

    def test_the_arrears_page_at_a_past_date_costs_the_same_number_of_queries(self):
        self.login(self.staff)
        at = timezone.localdate() - dt.timedelta(days=40)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse("places:arrears"), {"date": at.isoformat()})
            self.assertEqual(response.status_code, 200)
            return len(queries)

        lease = _lease("Un", "un@ex.fr")
        few = count()
        for i in range(3):
            lease = _lease(f"Lieu {i}", f"l{i}@ex.fr")
            for line in lease.schedule.all()[:5]:
                payment_record(
                    actor=None,
                    line=line,
                    amount=line.amount,
                    paid_on=timezone.localdate(),
                    method="transfer",
                )
        self.assertEqual(count(), few)

    def test_a_payment_keeps_the_date_it_was_received_and_a_future_date_is_refused(self):
        # The latest line: the first page of the lease's schedule.
        line = _lease().schedule.order_by("-due_on").first()
        self.login(self.staff)
        url = reverse("places:payment", args=[line.pk])
        future = timezone.localdate() + dt.timedelta(days=2)
        response = self.client.post(
            url,
            {"amount": "100", "paid_on": future.isoformat(), "method": "cheque"},
            follow=True,
        )
        self.assertContains(response, "pas de date future")
        self.assertFalse(RentPayment.objects.exists())
        received = line.due_on
        self.client.post(
            url, {"amount": "100", "paid_on": received.isoformat(), "method": "cheque"}
        )
        payment = RentPayment.objects.get()
        self.assertEqual((payment.paid_on, payment.method), (received, "cheque"))
        response = self.client.get(line.lease.get_absolute_url())
        self.assertContains(response, f"le {received:%d/%m/%Y} (chèque)")


class OpenRedirectTests(BaseTestCase):
    def test_a_next_address_on_another_site_is_not_followed_after_a_payment_or_a_reminder(self):
        line = _lease().schedule.order_by("due_on").first()
        self.login(self.staff)
        for url in (
            reverse("places:payment", args=[line.pk]),
            reverse("places:reminder", args=[line.pk]),
        ):
            for evil in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
                response = self.client.post(url, {"next": evil})
                self.assertEqual(response.status_code, 302)
                self.assertNotIn("evil", response["Location"])
                self.assertFalse(response["Location"].startswith("javascript"))
        response = self.client.post(
            reverse("places:reminder", args=[line.pk]), {"next": "/gestion/lieux/impayes/?page=2"}
        )
        self.assertEqual(response["Location"], "/gestion/lieux/impayes/?page=2")

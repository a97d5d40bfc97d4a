import io
import random

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from placette.studies import demo
from placette.studies.models import (
    Invoice,
    InvoiceKind,
    Mission,
    Quote,
    QuoteStatus,
    RequestStatus,
    StudyRequest,
    TimeEntry,
)
from placette.test import BaseTestCase


class DemoTests(BaseTestCase):
    """One seed for every check: the demo takes seconds to build."""

    def test_the_demo_builds_a_consistent_year_of_studies_once_and_its_pages_open(self):
        demo.seed(random.Random("placette-studies"), io.StringIO())
        today = timezone.localdate()
        accepted = Quote.objects.filter(status=QuoteStatus.ACCEPTED).aggregate(
            net=Sum("total_net"), days=Sum("total_days")
        )
        self.assertTrue(110_000 <= accepted["net"] <= 130_000, accepted)
        self.assertTrue(140 <= accepted["days"] <= 160, accepted)
        statuses = set(StudyRequest.objects.values_list("status", flat=True))
        self.assertTrue(
            {RequestStatus.NEW, RequestStatus.WON, RequestStatus.LOST, RequestStatus.DROPPED}
            <= statuses
        )
        # Every dated rule holds: time inside its mission and before today, invoices after
        # the acceptance, numbers without gap in the order of their dates.
        for entry in TimeEntry.objects.select_related("mission"):
            self.assertTrue(entry.mission.starts_on <= entry.on <= entry.mission.ends_on)
            self.assertLessEqual(entry.on, today)
        for series in ("F", "A"):
            rows = list(
                Invoice.objects.filter(series=series)
                .order_by("year", "seq")
                .values_list("year", "seq", "issued_on")
            )
            for year in {row[0] for row in rows}:
                seqs = [row[1] for row in rows if row[0] == year]
                self.assertEqual(seqs, list(range(1, len(seqs) + 1)))
            self.assertEqual([row[2] for row in rows], sorted(row[2] for row in rows))
        for invoice in Invoice.objects.select_related("mission__quote"):
            self.assertGreaterEqual(invoice.issued_on, invoice.mission.quote.decided_on)
            self.assertLessEqual(invoice.issued_on, today)
        note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
        self.assertEqual(note.credited_invoice.credited_gross, note.total_gross)
        unpaid = Invoice.objects.filter(kind=InvoiceKind.INVOICE, paid_amount=0, due_on__lt=today)
        self.assertTrue(unpaid.exists())
        self.assertTrue(
            any(0 < i.paid_amount < i.balance + i.paid_amount for i in Invoice.objects.all())
        )
        self.assertTrue(Mission.objects.filter(closed_on__isnull=True).exists())
        self.assertTrue(Mission.objects.filter(closed_on__isnull=False).exists())

        counts = (StudyRequest.objects.count(), Invoice.objects.count(), TimeEntry.objects.count())
        out = io.StringIO()
        demo.seed(random.Random("placette-studies"), out)
        self.assertEqual(
            (StudyRequest.objects.count(), Invoice.objects.count(), TimeEntry.objects.count()),
            counts,
        )
        self.assertIn("déjà", out.getvalue())

        self.login(self.staff)
        mission = Mission.objects.filter(invoices__isnull=False).first()
        for url in [
            reverse("studies:requests"),
            reverse("studies:quotes"),
            reverse("studies:missions"),
            reverse("studies:invoices"),
            reverse("studies:dashboard"),
            reverse("studies:mission", args=[mission.pk]),
            reverse("studies:invoice", args=[note.pk]),
            reverse("backoffice:dashboard"),
        ]:
            self.assertEqual(self.client.get(url).status_code, 200, url)

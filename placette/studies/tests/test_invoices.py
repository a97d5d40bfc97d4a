import datetime as dt
from decimal import Decimal

from placette.lib.refusals import Refusal
from placette.studies import services
from placette.studies.models import Invoice, InvoiceLine, Mission, ScheduleItem
from placette.studies.tests.helpers import accepted_mission, ago, today
from placette.test import BaseTestCase


def recomputed(invoice: Invoice) -> tuple[Decimal, Decimal, Decimal]:
    """The totals summed again from the stored lines (independent of amounts.py)."""
    net = Decimal(0)
    for quantity, price in InvoiceLine.objects.filter(invoice=invoice).values_list(
        "quantity", "unit_price"
    ):
        net += (Decimal(quantity) * Decimal(price)).quantize(Decimal("0.01"))
    vat = (net * invoice.vat_rate / 100).quantize(Decimal("0.01"))
    return net, vat, net + vat


class InvoiceTests(BaseTestCase):
    def setUp(self):
        self.mission = accepted_mission()  # 5,675.00 € HT sold, accepted 100 days ago

    def issue(self, amount, on=None, label="Acompte"):
        return services.invoice_issue(
            actor=self.staff,
            mission=self.mission,
            issued_on=on or ago(90),
            lines=[{"label": label, "quantity": Decimal(1), "unit_price": Decimal(amount)}],
        )

    def test_the_schedule_invoices_exactly_the_sold_amount(self):
        deposit, balance = ScheduleItem.objects.filter(mission=self.mission)
        first = services.invoice_from_schedule(actor=self.staff, item=deposit, issued_on=ago(95))
        second = services.invoice_from_schedule(actor=self.staff, item=balance, issued_on=ago(5))
        self.assertEqual(first.total_net, Decimal("1702.50"))
        self.assertEqual(second.total_net, Decimal("3972.50"))
        for invoice in (first, second):
            self.assertEqual(
                (invoice.total_net, invoice.total_vat, invoice.total_gross), recomputed(invoice)
            )
        self.assertEqual(Mission.objects.get(pk=self.mission.pk).remaining_net, Decimal(0))
        year = ago(95).year
        self.assertEqual(first.number, f"F-{year}-0001")

    def test_an_invoice_above_the_remaining_amount_of_the_quote_is_refused(self):
        self.issue("5000.00")
        with self.assertRaises(Refusal) as caught:
            self.issue("675.01", on=ago(80))
        self.assertEqual(caught.exception.code, "above_remaining")
        self.assertIn("675,00", caught.exception.message)
        self.assertEqual(Invoice.objects.count(), 1)
        self.assertEqual(Mission.objects.get(pk=self.mission.pk).invoiced_net, Decimal("5000.00"))
        self.issue("675.00", on=ago(80))

    def test_no_invoice_before_the_quote_was_accepted(self):
        with self.assertRaises(Refusal) as caught:
            self.issue("100.00", on=ago(101))
        self.assertEqual(caught.exception.code, "before_acceptance")
        with self.assertRaises(Refusal):
            self.issue("100.00", on=today() + dt.timedelta(days=1))
        self.assertFalse(Invoice.objects.exists())

    def test_numbers_have_no_gap_and_follow_the_dates(self):
        self.issue("100.00", on=ago(50))
        with self.assertRaises(Refusal) as caught:
            self.issue("100.00", on=ago(60))
        self.assertIn("ordre des dates", caught.exception.message)
        self.issue("100.00", on=ago(50))
        self.issue("100.00", on=ago(40))
        seqs = list(Invoice.objects.order_by("seq").values_list("seq", flat=True))
        self.assertEqual(seqs, [1, 2, 3])

    def test_negative_amounts_are_refused(self):
        with self.assertRaises(Refusal) as caught:
            self.issue("-100.00")
        self.assertIn("négatif", caught.exception.message)
        self.assertFalse(Invoice.objects.exists())

    def test_a_credit_note_corrects_an_invoice_instead_of_an_edit(self):
        invoice = self.issue("1000.00")
        with self.assertRaises(Refusal):
            invoice.delete()
        with self.assertRaises(Refusal):
            Invoice.objects.all().delete()
        note = services.credit_note_issue(
            actor=self.staff, invoice=invoice, issued_on=ago(85), reason="Erreur de montant"
        )
        self.assertEqual(note.number, f"A-{ago(85).year}-0001")
        self.assertEqual(note.total_gross, invoice.total_gross)
        invoice.refresh_from_db()
        self.assertEqual(invoice.balance, Decimal(0))
        mission = Mission.objects.get(pk=self.mission.pk)
        self.assertEqual(mission.remaining_net, Decimal("5675.00"))
        with self.assertRaises(Refusal):
            services.credit_note_issue(
                actor=self.staff, invoice=invoice, issued_on=ago(80), reason="x"
            )
        self.issue("5675.00", on=ago(80))

    def test_payments_make_an_invoice_partly_paid_then_paid(self):
        invoice = self.issue("1000.00")  # 1,200.00 € TTC, due 30 days later
        self.assertEqual(invoice.payment_state(), "en retard")
        self.assertIn(invoice, Invoice.objects.overdue_on(today()))
        services.payment_record(
            actor=self.staff, invoice=invoice, received_on=ago(70), amount=Decimal("500.00")
        )
        invoice.refresh_from_db()
        self.assertEqual(invoice.balance, Decimal("700.00"))
        with self.assertRaises(Refusal):
            services.payment_record(
                actor=self.staff, invoice=invoice, received_on=ago(60), amount=Decimal("700.01")
            )
        services.payment_record(
            actor=self.staff, invoice=invoice, received_on=ago(60), amount=Decimal("700.00")
        )
        invoice.refresh_from_db()
        self.assertTrue(invoice.is_paid)
        self.assertNotIn(invoice, Invoice.objects.overdue_on(today()))

"""FEC entries, the export_register command, the frozen snapshot and interest statements."""

import datetime as dt
import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command

from placette.lib.refusals import Refusal
from placette.lib.testing import pdf_text
from placette.membership import fec, instruments, projections
from placette.membership.models import Instrument, Movement, RegisterSnapshot
from placette.membership.services import (
    movement_cancel,
    refund_decide,
    refund_pay,
    refund_request,
    register_snapshot_create,
    shares_pay,
    shares_subscribe,
)
from placette.membership.tests.helpers import approve_accounts, category, make_statutes
from placette.test import BaseTestCase, make_contact

D = dt.date


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


class RegisterOutputTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_contact(first_name="Alice", last_name="Martin")
        cls.bob = make_contact(first_name="Bob", last_name="Roux")
        soutiens = category("soutiens")
        shares_subscribe(
            actor=None,
            contact=cls.alice,
            shares=8,
            category=soutiens,
            on=D(2024, 2, 1),
            paid=Decimal(200),
        )
        shares_pay(actor=None, contact=cls.alice, amount=Decimal(300), on=D(2024, 3, 1))
        cls.bob_sub = shares_subscribe(
            actor=None, contact=cls.bob, shares=20, category=soutiens, on=D(2024, 3, 5)
        )
        request = refund_request(actor=None, contact=cls.alice, shares=8, on=D(2024, 6, 1))
        decision = refund_decide(actor=None, request=request, accepted=True, on=D(2024, 7, 1))
        approve_accounts(2024, D(2025, 6, 15))
        refund_pay(actor=None, decision=decision, on=D(2025, 7, 1))

    def test_every_fec_entry_is_balanced_with_18_columns_and_french_amounts(self):
        movement_cancel(actor=None, movement=self.bob_sub, reason="doublon", on=D(2024, 9, 1))
        rows = list(fec.fec_rows(D(2024, 1, 1), D(2025, 12, 31)))
        self.assertEqual(rows[0][0], "JournalCode")
        self.assertTrue(all(len(r) == 18 for r in rows))
        entries: dict[str, Decimal] = {}
        for r in rows[1:]:
            self.assertRegex(r[3], r"^\d{8}$")
            self.assertRegex(r[11], r"^\d+,\d\d$")
            entries[r[2]] = entries.get(r[2], Decimal(0)) + amount(r[11]) - amount(r[12])
        self.assertTrue(entries)
        self.assertTrue(all(total == 0 for total in entries.values()), entries)
        capital = {"1013": Decimal(0), "1012": Decimal(0)}
        for r in rows[1:]:
            if r[4] in capital:
                capital[r[4]] += amount(r[12]) - amount(r[11])
        # Alice left, Bob's subscription was cancelled: no capital remains.
        self.assertEqual(capital, {"1013": Decimal(0), "1012": Decimal(0)})
        self.assertIn("\t", fec.fec_text(D(2024, 1, 1), D(2024, 12, 31)))

    def test_the_export_register_command_writes_csv_xlsx_and_pdf_at_a_date(self):
        with tempfile.TemporaryDirectory() as folder:
            for fmt in ("csv", "xlsx", "pdf"):
                path = Path(folder) / f"registre.{fmt}"
                call_command(
                    "export_register",
                    date="2024-03-31",
                    format=fmt,
                    output=str(path),
                    stdout=io.StringIO(),
                )
                self.assertGreater(path.stat().st_size, 100)
            text = (Path(folder) / "registre.csv").read_text("utf-8-sig")
            self.assertIn("Alice MARTIN", text)
            self.assertNotIn("Demande de remboursement", text)
            self.assertIn("Bob ROUX", pdf_text((Path(folder) / "registre.pdf").read_bytes()))

    def test_the_yearly_snapshot_is_frozen_once_and_never_recomputed(self):
        snapshot = register_snapshot_create(actor=None, on=D(2024, 12, 31))
        self.assertEqual((snapshot.shares, snapshot.capital), (20, Decimal(2000)))
        before = Movement.objects.count()
        with self.assertRaisesMessage(Refusal, "le registre est arrêté au 31/12/2024"):
            shares_subscribe(actor=None, contact=self.bob, shares=5, on=D(2024, 12, 1))
        self.assertEqual(Movement.objects.count(), before)
        snapshot.refresh_from_db()
        self.assertEqual(snapshot.shares, 20)
        # the frozen totals still equal the recomputation at that date
        capital = projections.capital_on(D(2024, 12, 31))
        self.assertEqual((capital.shares, capital.subscribed), (snapshot.shares, snapshot.capital))
        with self.assertRaisesMessage(Refusal, "déjà arrêté"):
            register_snapshot_create(actor=None, on=D(2024, 12, 31))
        self.assertEqual(RegisterSnapshot.objects.count(), 1)

    def test_the_interest_statement_counts_the_days_held_in_the_year(self):
        loan = Instrument.objects.create(
            kind="titre_participatif",
            name="TP 2024",
            rate_percent=Decimal(2),
            duration_months=84,
            issued_on=D(2024, 1, 1),
        )
        instruments.instrument_subscribe(
            actor=None,
            instrument=loan,
            holder=self.bob,
            units=1,
            amount=Decimal(36500),
            subscribed_on=D(2024, 7, 1),
        )
        lines = instruments.interest_statement(holder=self.bob, year=2024)
        self.assertEqual((lines[0]["days"], lines[0]["interest"]), (184, Decimal("368.00")))
        text = pdf_text(instruments.interest_statement_pdf(holder=self.bob, year=2024))
        self.assertIn("368,00", text.replace(".", ","))

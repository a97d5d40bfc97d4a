"""The FEC an accountant imports, read back by an independent reader of the published format
(LPF art. A47 A-1: 18 columns, tab or pipe separated, dates AAAAMMJJ, amounts with a comma),
written here from the text of the rule, not from the exporter's code."""

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from django.urls import reverse

from placette.membership import fec
from placette.membership.models_requests import SubscriptionSettings
from placette.membership.services import (
    movement_cancel,
    refund_decide,
    refund_pay,
    refund_request,
    shares_pay,
    shares_subscribe,
)
from placette.membership.subscriptions import request_payment_record, subscription_request_approve
from placette.membership.tests.helpers import approve_accounts, category, make_statutes
from placette.membership.tests.test_subscription_public import payment_settings
from placette.membership.tests.test_subscription_queue import new_request
from placette.test import BaseTestCase, make_contact

D = dt.date

# The 18 fields of the FEC, in this order (article A. 47 A-1 of the LPF, I).
FIELDS = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
]
AMOUNT = re.compile(r"^\d+(,\d{1,2})?$")


def read_fec(raw: bytes, encoding: str) -> list[dict[str, object]]:
    """Parse a FEC file: first line the field names, then one record per line; the separator
    is the tab or the pipe; dates AAAAMMJJ; amounts without thousands separator, decimal
    comma. Returns the records with dates and amounts converted; raises on any deviation."""
    text = raw.decode(encoding)
    lines = text.split("\r\n") if "\r\n" in text else text.split("\n")
    if lines[-1] == "":
        lines.pop()
    separator = "\t" if "\t" in lines[0] else "|"
    header = lines[0].split(separator)
    assert header == FIELDS, header
    records = []
    for number, line in enumerate(lines[1:], start=2):
        values = line.split(separator)
        assert len(values) == 18, (number, values)
        record: dict[str, object] = dict(zip(FIELDS, values, strict=True))
        for name in ("EcritureDate", "PieceDate", "ValidDate"):
            record[name] = dt.datetime.strptime(str(record[name]), "%Y%m%d").date()
        for name in ("Debit", "Credit"):
            assert AMOUNT.match(str(record[name])), (number, name, record[name])
            record[name] = Decimal(str(record[name]).replace(",", "."))
        assert str(record["CompteNum"]).isdigit() and len(str(record["CompteNum"])) >= 3
        assert record["JournalCode"] and record["EcritureNum"] and record["EcritureLib"]
        records.append(record)
    return records


class FecTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        payment_settings()
        # Online: the money arrives on 20/12/2024, the board approves on 10/01/2025.
        cls.req = new_request(tax_resident_fr=True)
        request_payment_record(
            actor=None,
            request=cls.req,
            amount=cls.req.amount,
            paid_on=D(2024, 12, 20),
            method="transfer",
        )
        subscription_request_approve(actor=None, request=cls.req, on=D(2025, 1, 10))
        cls.alice = make_contact(first_name="Alice", last_name="Łukasiewicz")
        cls.bob = make_contact(first_name="Bob", last_name="Roux")
        soutiens = category("soutiens")
        shares_subscribe(
            actor=None, contact=cls.bob, shares=20, category=soutiens, on=D(2025, 3, 5)
        )
        # Booked by staff from paper, a quarter paid, the balance later.
        shares_subscribe(
            actor=None,
            contact=cls.alice,
            shares=8,
            category=soutiens,
            on=D(2025, 2, 1),
            paid=Decimal(200),
        )  # booked after Bob's (higher number) but dated before it
        shares_pay(actor=None, contact=cls.alice, amount=Decimal(600), on=D(2025, 4, 1))
        cls.typo = shares_subscribe(actor=None, contact=cls.bob, shares=3, on=D(2025, 4, 2))
        movement_cancel(actor=None, movement=cls.typo, reason="doublon", on=D(2025, 4, 3))
        request = refund_request(actor=None, contact=cls.alice, shares=8, on=D(2025, 5, 1))
        decision = refund_decide(actor=None, request=request, accepted=True, on=D(2025, 5, 10))
        approve_accounts(2025, D(2026, 6, 15))
        refund_pay(actor=None, decision=decision, on=D(2026, 7, 1))

    def records(self, start=None, end=None, encoding="iso-8859-15"):
        start, end = start or D(2025, 1, 1), end or D(2025, 12, 31)
        return read_fec(fec.fec_bytes(start, end, encoding), encoding)

    def test_the_independent_reader_finds_balanced_continuous_chronological_entries(self):
        start, end = D(2025, 1, 1), D(2025, 12, 31)
        records = self.records(start, end)
        by_entry: dict[int, list] = defaultdict(list)
        for record in records:
            by_entry[int(str(record["EcritureNum"]))].append(record)
        self.assertEqual(sorted(by_entry), list(range(1, len(by_entry) + 1)))  # no gap
        dates = [by_entry[n][0]["EcritureDate"] for n in sorted(by_entry)]
        self.assertEqual(dates, sorted(dates))  # chronological
        for number, lines in by_entry.items():
            self.assertEqual(len({line["EcritureDate"] for line in lines}), 1)
            debit = sum((line["Debit"] for line in lines), Decimal(0))
            credit = sum((line["Credit"] for line in lines), Decimal(0))
            self.assertEqual(debit, credit, number)  # balanced
            for line in lines:
                self.assertTrue(start <= line["EcritureDate"] <= end)
                self.assertGreaterEqual(line["ValidDate"], line["EcritureDate"])

    def test_money_received_before_approval_sits_on_4563_from_the_day_it_arrived(self):
        receipts = [r for r in self.records(D(2024, 1, 1), D(2024, 12, 31))]
        self.assertEqual(
            {(r["CompteNum"], r["EcritureDate"], r["Debit"], r["Credit"]) for r in receipts},
            {
                ("512", D(2024, 12, 20), Decimal(400), Decimal(0)),
                ("4563", D(2024, 12, 20), Decimal(0), Decimal(400)),
            },
        )
        self.req.refresh_from_db()
        approval = [r for r in self.records() if r["PieceRef"] == f"MVT{self.req.movement.number}"]
        self.assertEqual({r["EcritureDate"] for r in approval}, {D(2025, 1, 10)})
        self.assertIn(
            ("4563", Decimal(400), Decimal(0)),
            {(r["CompteNum"], r["Debit"], r["Credit"]) for r in approval},
        )
        self.assertNotIn("512", {r["CompteNum"] for r in approval})

    def test_called_unpaid_capital_is_on_4562_and_the_year_leaves_no_capital_of_alice(self):
        balance: dict[str, Decimal] = defaultdict(Decimal)
        for r in self.records(D(2024, 1, 1), D(2026, 12, 31)):
            balance[str(r["CompteNum"])] += r["Credit"] - r["Debit"]
        # Capital: Léa 400 + Bob 2,000, all paid; Alice left and was refunded; the typo undone.
        self.assertEqual(balance["1013"], Decimal(2400))
        self.assertEqual(balance["1012"], Decimal(0))
        self.assertEqual(balance["4562"], Decimal(0))
        self.assertEqual(balance["4563"], Decimal(0))
        self.assertEqual(balance["4567"], Decimal(0))
        self.assertIn("4562", {str(r["CompteNum"]) for r in self.records()})
        self.assertNotIn("4561", {str(r["CompteNum"]) for r in self.records()})

    def test_iso_8859_15_or_utf8_and_a_name_latin9_lacks_loses_only_its_accent(self):
        latin = fec.fec_bytes(D(2025, 1, 1), D(2025, 12, 31), "iso-8859-15")
        self.assertIn("Alice LUKASIEWICZ".encode("iso-8859-15"), latin)
        self.assertIn("Léa".encode("iso-8859-15"), latin)
        utf8 = self.records(encoding="utf-8")
        self.assertIn("Alice ŁUKASIEWICZ", {str(r["CompAuxLib"]) for r in utf8})

    def test_account_numbers_are_settings(self):
        current = SubscriptionSettings.current()
        current.pk = None
        current.fec_account_bank = "5121"
        current.fec_journal_code = "CS"
        current.save()
        records = self.records()
        self.assertIn("5121", {r["CompteNum"] for r in records})
        self.assertNotIn("512", {r["CompteNum"] for r in records})
        self.assertEqual({r["JournalCode"] for r in records}, {"CS"})

    def test_the_download_is_named_siren_fec_closing_date(self):
        self.client.force_login(self.staff)
        response = self.client.get(
            reverse("membership:fec"),
            {"start": "2025-01-01", "end": "2025-12-31", "encoding": "iso-8859-15"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn('filename="123456789FEC20251231.txt"', response["Content-Disposition"])
        self.assertIn("iso-8859-15", response["Content-Type"])
        self.assertTrue(read_fec(response.content, "iso-8859-15"))

    def test_without_a_siren_the_download_is_refused_with_a_french_message(self):
        current = SubscriptionSettings.current()
        current.pk = None
        current.siren = ""
        current.save()
        self.client.force_login(self.staff)
        response = self.client.get(
            reverse("membership:fec"),
            {"start": "2025-01-01", "end": "2025-12-31", "encoding": "utf-8"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Renseignez le SIREN")

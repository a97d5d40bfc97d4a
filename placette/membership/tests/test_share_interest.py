"""Interest on shares (intérêt aux parts): off by default, decided per year within the legal
cap, pro rata temporis of the paid-up capital held each day, the IFU listing read back with
the csv module. Figures computed by hand below (2024 has 366 days)."""

import csv
import datetime as dt
import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.management import CommandError, call_command

from placette.lib.audit import AuditEntry
from placette.lib.refusals import Refusal
from placette.membership.models import ShareInterestYear
from placette.membership.services import refund_decide, refund_request, shares_pay, shares_subscribe
from placette.membership.share_interest import interest, share_interest_decide
from placette.membership.tests.helpers import category, make_statutes
from placette.test import BaseTestCase, make_contact

D = dt.date


def test_a_holder_present_all_year_earns_exactly_the_rate_on_the_opening_capital():
    assert interest(opening=Decimal(1000), deltas=[], year=2025, rate=Decimal("1.5")) == (
        Decimal("1000.00"),
        Decimal("15.00"),
    )


def test_a_sum_paid_on_1_july_2024_counts_for_184_of_366_days():
    # (250 × 366 + 750 × 184) / 366 = 627.049… ; × 2 % = 12.540…
    assert interest(
        opening=Decimal(250), deltas=[(D(2024, 7, 1), Decimal(750))], year=2024, rate=Decimal(2)
    ) == (Decimal("627.05"), Decimal("12.54"))


def test_a_movement_of_another_year_is_not_taken_for_this_one():
    try:
        interest(opening=Decimal(0), deltas=[(D(2023, 7, 1), Decimal(1))], year=2024, rate=1)
    except ValueError:
        return
    raise AssertionError("a 2023 movement was counted in 2024")


class ShareInterestTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes(share_interest_allowed=True)
        soutiens = category("soutiens")
        cls.alice = make_contact(first_name="Alice", last_name="Martin")
        cls.bruno = make_contact(first_name="Bruno", last_name="Roux")
        cls.chloe = make_contact(first_name="Chloé", last_name="Blanc")
        shares_subscribe(
            actor=None,
            contact=cls.alice,
            shares=10,
            category=soutiens,
            on=D(2023, 1, 2),
            paid=Decimal(250),
        )
        shares_pay(actor=None, contact=cls.alice, amount=Decimal(750), on=D(2024, 7, 1))
        shares_subscribe(
            actor=None, contact=cls.bruno, shares=5, category=soutiens, on=D(2024, 3, 1)
        )
        shares_subscribe(
            actor=None, contact=cls.chloe, shares=3, category=soutiens, on=D(2020, 5, 4)
        )
        request = refund_request(actor=None, contact=cls.chloe, shares=3, on=D(2024, 3, 15))
        refund_decide(actor=None, request=request, accepted=True, on=D(2024, 4, 1))

    def decide(self, **kw):
        values = {
            "actor": self.staff_admin,
            "year": 2024,
            "rate_percent": Decimal(2),
            "cap_percent": Decimal("5.5"),
            "decided_on": D(2025, 6, 20),
            "decision": "AGO du 20/06/2025, 3e résolution",
        }
        return share_interest_decide(**{**values, **kw})

    def listing(self, year=2024) -> list[list[str]]:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "interets.csv"
            out = io.StringIO()
            call_command("share_interest", year=year, output=str(path), stdout=out)
            self.output = out.getvalue()
            with open(path, encoding="utf-8-sig", newline="") as handle:
                return list(csv.reader(handle, delimiter=";"))

    def test_the_ifu_listing_gives_each_holder_the_interest_of_the_days_held(self):
        self.decide()
        table = self.listing()
        header, rows = table[0], table[1:]
        self.assertEqual(header[-1], "intérêts bruts (€)")
        got = {row[1]: (row[6], row[7], row[8], row[10]) for row in rows}
        self.assertEqual(
            got,
            {
                # 250 on 1 January, 750 more from 1 July: 627.05 on average, 2 % = 12.54
                "Alice MARTIN": ("250,00", "1000,00", "627,05", "12,54"),
                # 500 from 1 March (306 days): 418.03 on average, 8.36
                "Bruno ROUX": ("0,00", "500,00", "418,03", "8,36"),
                # 300 until the refund of 1 April (91 days): 74.59 on average, 1.49
                "Chloé BLANC": ("300,00", "0,00", "74,59", "1,49"),
            },
        )
        self.assertTrue(all(row[9] == "2,000" for row in rows))
        self.assertIn("2024 : 3 titulaire(s), 22,39 € d’intérêts bruts", self.output)
        entry = AuditEntry.objects.get(action="membership.share_interest.decided")
        self.assertEqual(entry.details["year"], 2024)

    def test_a_rate_above_the_legal_cap_is_refused_and_nothing_is_written(self):
        with self.assertRaisesMessage(
            Refusal, "Le taux de 3,5\u00a0% dépasse le plafond légal de 3,2\u00a0%"
        ):
            self.decide(rate_percent=Decimal("3.5"), cap_percent=Decimal("3.2"))
        self.assertFalse(ShareInterestYear.objects.exists())

    def test_a_year_not_over_a_decision_inside_the_year_or_a_second_decision_are_refused(self):
        with self.assertRaisesMessage(Refusal, "n’est pas terminé"):
            self.decide(year=dt.date.today().year, decided_on=dt.date.today())
        with self.assertRaisesMessage(Refusal, "doit suivre la fin de l’exercice 2024"):
            self.decide(decided_on=D(2024, 12, 31))
        with self.assertRaisesMessage(Refusal, "Le taux servi doit être positif"):
            self.decide(rate_percent=Decimal(0))
        self.assertFalse(ShareInterestYear.objects.exists())
        self.decide()
        with self.assertRaisesMessage(Refusal, "déjà décidé"):
            self.decide(rate_percent=Decimal(1))
        decided = ShareInterestYear.objects.get()
        decided.rate_percent = Decimal(1)
        with self.assertRaisesMessage(Refusal, "ne se modifie pas"):
            decided.save()

    def test_statutes_that_do_not_provide_for_interest_refuse_it_and_the_listing_says_why(self):
        make_statutes(effective_from=D(2025, 1, 1))  # the default: no interest on shares
        with self.assertRaisesMessage(Refusal, "ne prévoient pas d’intérêt aux parts"):
            self.decide(year=2025, decided_on=D(2026, 6, 1))
        self.assertFalse(ShareInterestYear.objects.exists())
        with self.assertRaisesMessage(CommandError, "Aucun intérêt aux parts n’a été décidé"):
            self.listing(2025)

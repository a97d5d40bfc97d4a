"""Holdings, capital, members and the electoral roll at any date, computed by the database."""

import datetime as dt
from decimal import Decimal

from placette.membership import projections
from placette.membership.models import Member
from placette.membership.services import refund_decide, refund_request, shares_subscribe
from placette.membership.tests.helpers import category, make_statutes
from placette.test import BaseTestCase, make_contact

D = dt.date


class ProjectionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.ann = make_contact(first_name="Ann", last_name="Salariée")
        cls.bob = make_contact(first_name="Bob", last_name="Soutien")
        shares_subscribe(
            actor=None, contact=cls.ann, shares=5, category=category("salaries"), on=D(2020, 1, 1)
        )
        shares_subscribe(
            actor=None,
            contact=cls.bob,
            shares=20,
            category=category("soutiens"),
            on=D(2022, 6, 1),
            paid=Decimal(500),
        )
        request = refund_request(actor=None, contact=cls.ann, shares=5, on=D(2023, 1, 10))
        refund_decide(actor=None, request=request, accepted=True, on=D(2023, 3, 1))

    def test_the_holdings_and_the_capital_follow_the_date(self):
        self.assertEqual(projections.holding_of(self.ann, D(2022, 12, 31)).shares, 5)
        self.assertEqual(projections.holding_of(self.ann).shares, 0)
        on_2022 = projections.capital_on(D(2022, 12, 31))
        self.assertEqual(
            (on_2022.shares, on_2022.subscribed, on_2022.paid, on_2022.holders),
            (25, Decimal(2500), Decimal(1000), 2),
        )
        self.assertEqual(projections.capital_on(D(2019, 12, 31)).subscribed, 0)
        rows = list(projections.holdings_on(D(2024, 1, 1)))
        self.assertEqual([(r["holder_id"], r["shares"]) for r in rows], [(self.bob.pk, 20)])
        self.assertEqual(projections.highest_capital(), Decimal(2500))

    def test_members_active_on_a_date(self):
        self.assertEqual(
            set(Member.objects.active_on(D(2022, 12, 31)).values_list("contact", flat=True)),
            {self.ann.pk, self.bob.pk},
        )
        self.assertEqual(
            list(Member.objects.active_on(D(2023, 3, 1)).values_list("contact", flat=True)),
            [self.bob.pk],
        )

    def test_the_electoral_roll_gives_category_college_and_shares_at_the_cut_off_date(self):
        roll = projections.electoral_roll(D(2022, 12, 31))
        self.assertEqual(
            [(e.contact_id, e.member_number, e.category, e.college, e.shares) for e in roll],
            [
                (self.ann.pk, 1, "Salariés", "Salariés", 5),
                (self.bob.pk, 2, "Soutiens", "Soutiens", 20),
            ],
        )
        self.assertEqual(len(projections.electoral_roll(D(2024, 1, 1))), 1)
        self.assertEqual(projections.electoral_roll(D(2019, 1, 1)), [])

    def test_members_per_category_and_college(self):
        self.assertEqual(
            projections.members_by_category(D(2022, 12, 31)), [("Salariés", 1), ("Soutiens", 1)]
        )
        self.assertEqual(
            dict(projections.members_by_college(D(2022, 12, 31))),
            {"Salariés": 1, "Bénéficiaires": 0, "Partenaires": 0, "Soutiens": 1},
        )

    def test_the_running_balances_match_the_ledger_and_can_be_rebuilt(self):
        from django.db.models import Sum

        from placette.membership.models import HolderBalance, Movement

        def from_ledger():
            return {
                row["holder_id"]: (row["s"], row["p"])
                for row in Movement.objects.values("holder_id").annotate(
                    s=Sum("shares"), p=Sum("paid")
                )
            }

        def from_balances():
            return {b.holder_id: (b.shares, b.paid) for b in HolderBalance.objects.all()}

        self.assertEqual(from_balances(), from_ledger())
        self.assertEqual(projections.holding_of(self.bob).shares, 20)
        # A holding at a date before the last movement is summed from the movements.
        self.assertEqual(projections.holding_of(self.bob, D(2021, 1, 1)).shares, 0)
        self.assertEqual(projections.capital_on(D(2021, 1, 1)).holders, 1)
        HolderBalance.objects.all().delete()
        self.assertEqual(projections.balances_rebuild(), 2)
        self.assertEqual(from_balances(), from_ledger())

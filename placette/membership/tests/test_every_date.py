"""Every rule at every date (issue 10): each booking kind refuses a value date in the future,
before the movements it depends on, or inside a frozen register year or a closed accounting
period; every check is made at the value date and at every later date. Nothing is written
when a booking is refused."""

import datetime as dt
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from placette.lib.refusals import Refusal
from placette.membership import projections, register
from placette.membership.models import (
    CapitalDay,
    CategoryChange,
    ClosedFiscalYear,
    Member,
    Movement,
)
from placette.membership.services import (
    fiscal_year_close,
    member_category_change,
    movement_cancel,
    refund_decide,
    refund_pay,
    refund_request,
    register_snapshot_create,
    shares_give,
    shares_pay,
    shares_subscribe,
    shares_transfer,
)
from placette.membership.tests.helpers import category, make_statutes
from placette.test import BaseTestCase, make_contact

D = dt.date


class EveryDateTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_contact(first_name="Alice", last_name="Martin")
        cls.bruno = make_contact(first_name="Bruno", last_name="Roux")
        cls.chloe = make_contact(first_name="Chloé", last_name="Blanc")

    def subscribe(self, contact, shares, on, **kw):
        kw.setdefault("category", category("soutiens"))
        return shares_subscribe(actor=self.staff, contact=contact, shares=shares, on=on, **kw)

    def assertRefusedAndNothingWritten(self, text, book):
        counts = (
            Movement.objects.count(),
            Member.objects.count(),
            CategoryChange.objects.count(),
            list(CapitalDay.objects.values_list("date", "capital", "peak")),
        )
        with self.assertRaisesMessage(Refusal, text):
            book()
        self.assertEqual(
            (
                Movement.objects.count(),
                Member.objects.count(),
                CategoryChange.objects.count(),
                list(CapitalDay.objects.values_list("date", "capital", "peak")),
            ),
            counts,
        )

    def future(self, years=0):
        today = timezone.localdate()
        return today.replace(year=today.year + years) + dt.timedelta(days=1)

    # ---------------------------------------------------------------- in the future

    def test_each_booking_kind_dated_in_the_future_is_refused(self):
        self._history()
        for years in (0, 5, 14):  # tomorrow, in five years, in fourteen (2031, 2040 in 2026)
            on = self.future(years)
            for index, book in enumerate(self._every_kind_at(on)):
                with self.subTest(on=on, kind=index):
                    # « est dans le futur » (value date), « date future » (category change)
                    self.assertRefusedAndNothingWritten("futur", book)

    # ---------------------------------------------------------------- before dependencies

    def test_a_transfer_dated_before_the_giver_held_the_shares_is_refused(self):
        self.subscribe(self.alice, 10, D(2024, 3, 1))
        for book in (shares_transfer, shares_give):
            self.assertRefusedAndNothingWritten(
                "Le cédant ne détient que 0 part(s)",
                lambda book=book: book(
                    actor=None,
                    giver=self.alice,
                    receiver=self.bruno,
                    shares=3,
                    on=D(2023, 6, 1),
                    category=category("soutiens"),
                ),
            )

    def test_a_transfer_dated_before_the_shares_were_paid_up_is_refused(self):
        self.subscribe(self.alice, 4, D(2024, 3, 1), paid=Decimal(100))
        shares_pay(actor=None, contact=self.alice, amount=Decimal(300), on=D(2024, 9, 1))
        self.assertRefusedAndNothingWritten(
            "entièrement libérées",
            lambda: shares_transfer(
                actor=None,
                giver=self.alice,
                receiver=self.bruno,
                shares=1,
                on=D(2024, 6, 1),
                category=category("soutiens"),
            ),
        )
        shares_transfer(
            actor=None,
            giver=self.alice,
            receiver=self.bruno,
            shares=1,
            on=D(2024, 9, 2),
            category=category("soutiens"),
        )

    def test_a_payment_before_its_subscription_is_refused(self):
        self.subscribe(self.alice, 4, D(2024, 3, 1), paid=Decimal(100))
        self.assertRefusedAndNothingWritten(
            "ne peut pas précéder la souscription",
            lambda: shares_pay(
                actor=None, contact=self.alice, amount=Decimal(300), on=D(2024, 2, 1)
            ),
        )

    def test_a_refund_of_shares_not_yet_held_is_refused(self):
        self.subscribe(self.alice, 10, D(2024, 3, 1))
        self.assertRefusedAndNothingWritten(
            "dépasse la détention : 0 part(s)",
            lambda: refund_request(actor=None, contact=self.alice, shares=2, on=D(2024, 1, 5)),
        )

    def test_a_decision_before_its_request_and_a_payment_before_its_decision_are_refused(self):
        self.subscribe(self.alice, 10, D(2024, 3, 1))
        self.subscribe(self.bruno, 10, D(2024, 3, 1))
        request = refund_request(actor=None, contact=self.alice, shares=2, on=D(2024, 5, 1))
        self.assertRefusedAndNothingWritten(
            "précède le mouvement n° 3 du 01/05/2024",
            lambda: refund_decide(actor=None, request=request, accepted=True, on=D(2024, 4, 1)),
        )
        decision = refund_decide(actor=None, request=request, accepted=True, on=D(2024, 6, 1))
        self.assertRefusedAndNothingWritten(
            "précède le mouvement n° 4 du 01/06/2024",
            lambda: refund_pay(
                actor=None, decision=decision, on=D(2024, 5, 1), ago_on=D(2025, 6, 1)
            ),
        )

    def test_a_cancellation_dated_before_the_movement_it_cancels_is_refused(self):
        movement = self.subscribe(self.alice, 10, D(2024, 3, 1))
        self.assertRefusedAndNothingWritten(
            "L’annulation ne peut pas être datée du 01/03/2018",
            lambda: movement_cancel(
                actor=None, movement=movement, reason="erreur", on=D(2018, 3, 1)
            ),
        )

    # ---------------------------------------------------------------- frozen and closed periods

    def _every_kind_at(self, on):
        return [
            lambda: self.subscribe(self.chloe, 1, on),
            lambda: shares_pay(actor=None, contact=self.alice, amount=Decimal(10), on=on),
            lambda: shares_transfer(
                actor=None,
                giver=self.bruno,
                receiver=self.chloe,
                shares=1,
                on=on,
                category=category("soutiens"),
            ),
            lambda: shares_give(
                actor=None,
                giver=self.bruno,
                receiver=self.chloe,
                shares=1,
                on=on,
                category=category("soutiens"),
            ),
            lambda: refund_request(actor=None, contact=self.bruno, shares=1, on=on),
            lambda: refund_decide(actor=None, request=self.request, accepted=True, on=on),
            lambda: refund_pay(actor=None, decision=self.decision, on=on, ago_on=D(2024, 6, 1)),
            lambda: movement_cancel(actor=None, movement=self.request, reason="x", on=on),
            lambda: member_category_change(
                actor=None,
                member=Member.objects.get(contact=self.bruno),
                category=category("beneficiaires"),
                effective_on=on,
                reason="test",
            ),
        ]

    def _history(self):
        self.subscribe(self.alice, 10, D(2023, 3, 1), paid=Decimal(250))
        self.subscribe(self.bruno, 10, D(2023, 3, 1))
        first = refund_request(actor=None, contact=self.bruno, shares=1, on=D(2023, 4, 1))
        self.decision = refund_decide(actor=None, request=first, accepted=True, on=D(2023, 5, 1))
        self.request = refund_request(actor=None, contact=self.bruno, shares=1, on=D(2023, 6, 1))

    def test_every_booking_kind_inside_a_frozen_register_year_is_refused(self):
        self._history()
        with mock.patch.object(register, "pdf", return_value=b"%PDF-1.4"):
            snapshot = register_snapshot_create(actor=None, on=D(2024, 12, 31))
        for book in self._every_kind_at(D(2024, 7, 1)):
            self.assertRefusedAndNothingWritten("le registre est arrêté au 31/12/2024", book)
        capital = projections.capital_on(D(2024, 12, 31))
        self.assertEqual(
            (capital.shares, capital.subscribed, capital.paid),
            (snapshot.shares, snapshot.capital, snapshot.paid),
        )

    def test_every_booking_kind_inside_a_closed_fiscal_year_is_refused(self):
        self._history()
        fiscal_year_close(actor=self.staff_admin, year=2024)
        self.assertEqual(ClosedFiscalYear.last(), 2024)
        for book in self._every_kind_at(D(2024, 12, 31)):
            self.assertRefusedAndNothingWritten("l’exercice 2024 est clos", book)
        self.subscribe(self.chloe, 1, D(2025, 1, 2))  # the next year is open

    def test_closing_a_fiscal_year_not_over_or_already_closed_is_refused(self):
        this_year = timezone.localdate().year
        with self.assertRaisesMessage(Refusal, "n’est pas terminé"):
            fiscal_year_close(actor=None, year=this_year)
        fiscal_year_close(actor=None, year=this_year - 1)
        with self.assertRaisesMessage(Refusal, "déjà clos"):
            fiscal_year_close(actor=None, year=this_year - 2)
        self.assertEqual(ClosedFiscalYear.objects.count(), 1)

    # ---------------------------------------------------------------- at every later date

    def test_a_back_dated_refund_cannot_make_a_later_transfer_impossible(self):
        self.subscribe(self.alice, 10, D(2024, 1, 10))
        self.subscribe(self.bruno, 20, D(2024, 1, 10))
        shares_transfer(
            actor=None,
            giver=self.alice,
            receiver=self.chloe,
            shares=8,
            on=D(2024, 9, 1),
            category=category("soutiens"),
        )
        # at 1 June Alice holds 10 shares: withdrawing 5 leaves the transfer of 8 without cover
        self.assertRefusedAndNothingWritten(
            "céderait 8 part(s) alors que Alice MARTIN n’en détiendrait que 5",
            lambda: refund_request(actor=None, contact=self.alice, shares=5, on=D(2024, 6, 1)),
        )
        refund_request(actor=None, contact=self.alice, shares=2, on=D(2024, 6, 1))

    def test_a_back_dated_transfer_cannot_make_a_later_refund_decision_negative(self):
        self.subscribe(self.alice, 10, D(2024, 1, 10))
        self.subscribe(self.bruno, 20, D(2024, 1, 10))
        request = refund_request(actor=None, contact=self.alice, shares=10, on=D(2024, 9, 1))
        refund_decide(actor=None, request=request, accepted=True, on=D(2024, 10, 1))
        self.assertRefusedAndNothingWritten(
            "(demande de remboursement) du 01/09/2024 demanderait 10 part(s) alors que Alice "
            "MARTIN n’en détiendrait que 6",
            lambda: shares_transfer(
                actor=None, giver=self.alice, receiver=self.bruno, shares=4, on=D(2024, 3, 1)
            ),
        )

    def test_a_back_dated_cancellation_cannot_leave_a_later_state_negative(self):
        first = self.subscribe(self.alice, 10, D(2024, 1, 10))
        shares_transfer(
            actor=None,
            giver=self.alice,
            receiver=self.bruno,
            shares=10,
            on=D(2024, 6, 1),
            category=category("soutiens"),
        )
        self.assertRefusedAndNothingWritten(
            "(cession) du 01/06/2024 céderait 10 part(s) alors que Alice MARTIN n’en "
            "détiendrait que 0",
            lambda: movement_cancel(actor=None, movement=first, reason="x", on=D(2024, 3, 1)),
        )

    def test_a_back_dated_payment_cannot_overpay_after_a_later_refund(self):
        self.subscribe(self.alice, 4, D(2024, 1, 10), paid=Decimal(100))
        self.subscribe(self.bruno, 40, D(2024, 1, 10))
        request = refund_request(actor=None, contact=self.alice, shares=4, on=D(2024, 9, 1))
        refund_decide(actor=None, request=request, accepted=True, on=D(2024, 10, 1))
        self.assertRefusedAndNothingWritten(
            "dépasserait son capital appelé",
            lambda: shares_pay(
                actor=None, contact=self.alice, amount=Decimal(300), on=D(2024, 5, 1)
            ),
        )

    def test_a_category_minimum_holds_at_every_later_date(self):
        self.subscribe(self.alice, 6, D(2024, 1, 10))
        self.subscribe(self.bruno, 6, D(2024, 1, 10))
        shares_transfer(
            actor=None, giver=self.alice, receiver=self.bruno, shares=3, on=D(2024, 8, 1)
        )
        member = Member.objects.get(contact=self.alice)
        # « Partenaires » ask for 5 shares: true on 1 May (6 held), false from 1 August (3)
        self.assertRefusedAndNothingWritten(
            "Le 01/08/2024, il resterait 3 part(s), moins que le minimum de la catégorie "
            "« Partenaires » (5)",
            lambda: member_category_change(
                actor=None,
                member=member,
                category=category("partenaires"),
                effective_on=D(2024, 5, 1),
                reason="test",
            ),
        )

    def test_the_minimum_at_a_past_date_is_that_of_the_category_of_that_date(self):
        self.subscribe(self.alice, 6, D(2024, 1, 10))
        self.subscribe(self.bruno, 6, D(2024, 1, 10))
        member = Member.objects.get(contact=self.alice)
        member_category_change(
            actor=None,
            member=member,
            category=category("partenaires"),
            effective_on=D(2024, 9, 1),
            reason="test",
        )
        # before 1 September Alice was a « Soutien » (minimum 1): a transfer of 5 is fine
        # then; it would leave 1 share at the change, below the partners' minimum of 5
        self.assertRefusedAndNothingWritten(
            "moins que le minimum de la catégorie « Partenaires » (5)",
            lambda: shares_transfer(
                actor=None, giver=self.alice, receiver=self.bruno, shares=5, on=D(2024, 6, 1)
            ),
        )
        shares_transfer(
            actor=None, giver=self.alice, receiver=self.bruno, shares=1, on=D(2024, 6, 1)
        )
        # after the change the partners' minimum applies
        self.assertRefusedAndNothingWritten(
            "moins que le minimum de la catégorie (5)",
            lambda: refund_request(actor=None, contact=self.alice, shares=1, on=D(2024, 10, 1)),
        )

    def test_a_back_dated_booking_cannot_make_a_member_leave_and_come_back(self):
        self.subscribe(self.alice, 2, D(2024, 1, 10))
        self.subscribe(self.bruno, 20, D(2024, 1, 10))
        self.subscribe(self.alice, 3, D(2024, 9, 1))
        # withdrawing both shares in May would make Alice leave, then come back in September
        self.assertRefusedAndNothingWritten(
            "n’aurait plus aucune part du 01/05/2024 au 01/09/2024",
            lambda: refund_request(actor=None, contact=self.alice, shares=2, on=D(2024, 5, 1)),
        )

    def test_a_back_dated_subscription_moves_the_admission_to_its_date(self):
        self.subscribe(self.alice, 2, D(2024, 5, 10))
        self.subscribe(self.alice, 3, D(2023, 9, 1))
        member = Member.objects.get(contact=self.alice)
        self.assertEqual(member.admitted_on, D(2023, 9, 1))
        self.assertEqual(
            [e.contact_id for e in projections.electoral_roll(D(2023, 12, 31))], [self.alice.pk]
        )

    def test_a_back_dated_transfer_to_a_new_member_admits_them_on_its_date(self):
        self.subscribe(self.alice, 10, D(2024, 1, 10))
        shares_transfer(
            actor=None,
            giver=self.alice,
            receiver=self.bruno,
            shares=3,
            on=D(2024, 4, 1),
            category=category("soutiens"),
        )
        self.assertEqual(Member.objects.get(contact=self.bruno).admitted_on, D(2024, 4, 1))
        self.assertEqual(projections.holding_of(self.bruno, D(2024, 3, 31)).shares, 0)

    # ---------------------------------------------------------------- the capital floor

    def test_a_cancelled_booking_error_does_not_raise_the_floor(self):
        self.subscribe(self.alice, 10, D(2024, 1, 10))
        typo = self.subscribe(self.bruno, 10_000, D(2024, 2, 1))
        movement_cancel(actor=None, movement=typo, reason="faute de frappe", on=D(2024, 2, 2))
        self.assertEqual(projections.highest_capital(), Decimal("1000.00"))
        # 25 % of 1 000 € = 250 €: withdrawing 7 shares leaves 300 €, accepted
        request = refund_request(actor=None, contact=self.alice, shares=7, on=D(2024, 3, 1))
        refund_decide(actor=None, request=request, accepted=True, on=D(2024, 3, 2))
        self.assertEqual(projections.subscribed_on(), Decimal("300.00"))

    def test_the_floor_message_states_the_rule_that_applies(self):
        self.subscribe(self.alice, 10, D(2024, 1, 10))
        self.assertRefusedAndNothingWritten(
            "sous le plancher statutaire de 250,00\u00a0€ (25\u00a0% du capital le plus élevé "
            "atteint depuis la constitution, 1\u202f000,00\u00a0€, le 10/01/2024, hors "
            "mouvements annulés)",
            lambda: refund_request(actor=None, contact=self.alice, shares=8, on=D(2024, 3, 1)),
        )

    def test_the_floor_message_names_a_fixed_statutory_amount(self):
        make_statutes(effective_from=D(2024, 1, 1), floor_amount=Decimal(900))
        self.subscribe(self.alice, 10, D(2024, 1, 10))
        self.assertRefusedAndNothingWritten(
            "sous le plancher statutaire de 900,00\u00a0€ (montant minimal fixé par les statuts",
            lambda: refund_request(actor=None, contact=self.alice, shares=2, on=D(2024, 3, 1)),
        )

    def test_a_back_dated_refund_cannot_break_the_floor_at_a_later_date(self):
        self.subscribe(self.alice, 10, D(2024, 1, 10))
        self.subscribe(self.bruno, 10, D(2024, 1, 10))
        request = refund_request(actor=None, contact=self.bruno, shares=10, on=D(2024, 6, 1))
        refund_decide(actor=None, request=request, accepted=True, on=D(2024, 6, 2))
        # 1 000 € left in June, floor 500 € (25 % of 2 000 €); a refund of 6 shares of Alice
        # dated in March leaves 1 400 € in March but 400 € from June
        self.assertRefusedAndNothingWritten(
            "tomberait à 400,00\u00a0€ le 02/06/2024, sous le plancher statutaire de 500,00",
            lambda: refund_decide(
                actor=None,
                request=refund_request(actor=None, contact=self.alice, shares=6, on=D(2024, 3, 1)),
                accepted=True,
                on=D(2024, 3, 2),
            ),
        )

    # ---------------------------------------------------------------- local authorities

    def test_local_authorities_above_half_of_the_capital_at_a_later_date_are_refused(self):
        town = make_contact(
            kind="organisation", organisation_name="Commune de Die", org_kind="commune"
        )
        self.subscribe(self.alice, 10, D(2024, 1, 10))
        self.subscribe(self.bruno, 10, D(2024, 1, 10))
        self.subscribe(town, 15, D(2024, 2, 1), category=category("collectivites"))
        # 15 of 35 shares; Bruno's refund in May leaves 15 of 25 = 60 %, also at every later
        # date; a later refund of Alice's, decided first, makes it worse from June
        request = refund_request(actor=None, contact=self.bruno, shares=10, on=D(2024, 5, 1))
        self.assertRefusedAndNothingWritten(
            "les collectivités publiques détiendraient 60\u00a0% du capital au 01/05/2024, "
            "au-delà du plafond de 50\u00a0% (loi n° 47-1775 du 10 septembre 1947, art. 19 "
            "septies)",
            lambda: refund_decide(actor=None, request=request, accepted=True, on=D(2024, 5, 1)),
        )
        # a back-dated subscription of the commune over the cap is refused too
        self.assertRefusedAndNothingWritten(
            "au-delà du plafond de 50\u00a0%",
            lambda: self.subscribe(town, 10, D(2024, 3, 1), category=category("collectivites")),
        )

    # ---------------------------------------------------------------- cost

    def test_checking_a_back_dated_booking_costs_the_same_whatever_the_ledger_size(self):
        def cost(extra):
            for i in range(extra):
                self.subscribe(make_contact(last_name=f"Autre{extra}-{i}"), 1, D(2024, 1, 5))
            contact = make_contact(last_name=f"Mesure{extra}")
            self.subscribe(contact, 10, D(2024, 1, 10))
            with CaptureQueriesContext(connection) as queries:
                refund_request(actor=None, contact=contact, shares=1, on=D(2024, 2, 1))
            return len(queries)

        self.assertEqual(cost(2), cost(40))


class EveryDateViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_contact(first_name="Alice", last_name="Martin")
        cls.bruno = make_contact(first_name="Bruno", last_name="Roux")
        shares_subscribe(
            actor=None,
            contact=cls.alice,
            shares=6,
            category=category("soutiens"),
            on=D(2024, 1, 10),
        )
        shares_subscribe(
            actor=None,
            contact=cls.bruno,
            shares=2,
            category=category("soutiens"),
            on=D(2024, 3, 1),
        )
        member_category_change(
            actor=None,
            member=Member.objects.get(contact=cls.alice),
            category=category("beneficiaires"),
            effective_on=D(2024, 9, 1),
            reason="test",
        )

    def test_a_refused_back_dated_transfer_shows_the_rule_and_keeps_the_input(self):
        self.login(self.staff)
        data = {
            "key": "k-transfer-1",
            "on": "2023-06-01",
            "kind": "transfer",
            "receiver": str(self.bruno.pk),
            "shares": "3",
            "note": "cession familiale",
        }
        response = self.client.post(reverse("membership:transfer", args=[self.alice.pk]), data)
        self.assertContains(response, "Le cédant ne détient que 0 part(s)")
        self.assertContains(response, 'value="2023-06-01"')
        self.assertContains(response, 'value="cession familiale"')
        self.assertEqual(Movement.objects.count(), 2)

    def test_a_refused_booking_inside_a_frozen_year_shows_the_rule_on_the_date(self):
        with mock.patch.object(register, "pdf", return_value=b"%PDF-1.4"):
            register_snapshot_create(actor=None, on=D(2024, 12, 31))
        self.login(self.staff)
        data = {"key": "k-sub-1", "on": "2024-07-01", "shares": "2", "reference": "BS-PAPIER"}
        response = self.client.post(reverse("membership:subscribe", args=[self.bruno.pk]), data)
        self.assertContains(response, "le registre est arrêté au 31/12/2024")
        self.assertContains(response, 'value="BS-PAPIER"')
        self.assertEqual(Movement.objects.count(), 2)

    def test_the_holder_page_at_a_past_date_shows_that_dates_number_and_category(self):
        self.login(self.staff)
        url = reverse("membership:holder", args=[self.alice.pk])
        response = self.client.get(url, {"date": "2024-06-30"})
        self.assertContains(response, "Au 30/06/2024 :")
        self.assertContains(response, "Sociétaire n° 1 — Soutiens")
        response = self.client.get(url)
        self.assertContains(response, "Sociétaire n° 1 — Bénéficiaires")
        response = self.client.get(url, {"date": "2023-12-31"})
        self.assertContains(response, "Pas encore sociétaire (admis(e) le 10/01/2024)")

    def test_the_member_list_at_a_past_date_shows_the_category_of_that_date(self):
        self.login(self.staff)
        url = reverse("membership:members")
        response = self.client.get(url, {"date": "2024-06-30", "category": "soutiens"})
        self.assertContains(response, "Alice MARTIN")
        response = self.client.get(url, {"date": "2024-10-01", "category": "soutiens"})
        self.assertNotContains(response, "Alice MARTIN")

    def test_the_register_header_counts_holders_and_members_of_that_day(self):
        self.login(self.staff)
        response = self.client.get(reverse("membership:movements"), {"date": "2024-02-01"})
        self.assertContains(response, "1 titulaire et 1 sociétaire ce jour-là")
        response = self.client.get(reverse("membership:movements"))
        self.assertContains(response, "2 titulaires et 2 sociétaires ce jour-là")

    def test_the_register_csv_has_the_called_capital_in_french_format(self):
        import csv
        import io

        shares_subscribe(
            actor=None, contact=self.bruno, shares=4, on=D(2024, 10, 1), paid=Decimal(100)
        )
        self.login(self.staff)
        response = self.client.get(
            reverse("membership:register_export", args=["csv"]), {"date": "2024-12-31"}
        )
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(text), delimiter=";"))
        header = next(line for line in table if line[:1] == ["n°"])  # below the identity lines
        called = header.index("capital appelé (€)")
        paid = header.index("capital libéré (€)")
        last = table[-1]
        self.assertEqual((last[called], last[paid]), ("400,00", "100,00"))

    def test_staff_admins_close_a_fiscal_year_after_confirming_and_staff_cannot(self):
        url = reverse("membership:snapshots")
        self.login(self.staff)
        self.client.post(url, {"close_year": "1", "year": "2024", "confirm": "1"})
        self.assertFalse(ClosedFiscalYear.objects.exists())
        self.login(self.staff_admin)
        response = self.client.post(url, {"close_year": "1", "year": "2024"})
        self.assertContains(response, "Clore l’exercice 2024")
        self.assertFalse(ClosedFiscalYear.objects.exists())
        response = self.client.post(
            url, {"close_year": "1", "year": "2024", "confirm": "1"}, follow=True
        )
        self.assertContains(response, "Exercice 2024 clos")
        self.assertEqual(ClosedFiscalYear.last(), 2024)

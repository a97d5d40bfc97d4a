import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse

from placette.lib.refusals import Refusal
from placette.places.models import FinancingLine, Operation
from placette.places.services import financing_line_add, operation_update
from placette.places.tests.helpers import make_operation, make_place
from placette.test import BaseTestCase


class OperationTests(BaseTestCase):
    def test_staff_records_acquisition_works_and_surfaces(self):
        place = make_place()
        self.login(self.staff)
        response = self.client.post(
            reverse("places:operation", args=[place.pk]),
            {
                "acquired_on": "2023-04-12",
                "price": "95000",
                "notary_fees": "7500,50",
                "works_budget": "60000",
                "works_cost": "",
                "works_started_on": "2023-05-01",
                "works_ended_on": "",
                "land_area": "300",
                "built_area": "180,5",
                "renovated_area": "0",
            },
        )
        self.assertRedirects(response, place.get_absolute_url())
        operation = Operation.objects.get(place=place)
        self.assertEqual(operation.notary_fees, Decimal("7500.50"))
        self.assertEqual(operation.built_area, Decimal("180.50"))
        self.assertEqual(operation.total_cost, Decimal("162500.50"))

    def test_negative_surfaces_or_amounts_are_refused_and_nothing_is_saved(self):
        place = make_place()
        make_operation(place)
        self.login(self.staff)
        response = self.client.post(
            reverse("places:operation", args=[place.pk]),
            {"acquired_on": "2021-06-15", "price": "-5", "built_area": "-12", "land_area": "0"},
        )
        self.assertContains(response, "« Surface bâtie (m²) » ne peut pas être négatif.")
        self.assertContains(response, "« Prix d’achat (€) » ne peut pas être négatif.")
        self.assertContains(response, "rien n’a été enregistré")
        operation = Operation.objects.get(place=place)
        self.assertEqual(
            (operation.price, operation.built_area), (Decimal("120000"), Decimal("250"))
        )
        with self.assertRaisesMessage(Refusal, "La surface bâtie ne peut pas être négatif"):
            operation_update(actor=None, operation=operation, data={"built_area": Decimal("-1")})
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Operation.objects.filter(pk=operation.pk).update(renovated_area=Decimal("-1"))

    def test_works_ending_before_they_start_are_refused(self):
        place = make_place()
        self.login(self.staff)
        response = self.client.post(
            reverse("places:operation", args=[place.pk]),
            {"works_started_on": "2023-05-01", "works_ended_on": "2023-04-01", "price": "0"},
        )
        self.assertContains(response, "La fin des travaux précède leur début.")
        self.assertIsNone(Operation.objects.get(place=place).works_started_on)


class FinancingTests(BaseTestCase):
    def test_an_unbalanced_financing_plan_is_saved_and_shown_with_a_warning(self):
        place = make_place()
        make_operation(place)  # cost: 120 000 + 9 000 + 85 000 = 214 000 €
        self.login(self.staff)
        response = self.client.post(
            reverse("places:financing_add", args=[place.pk]),
            {"fin-source": "capital", "fin-amount": "150000", "fin-secured_on": "2021-05-01"},
            follow=True,
        )
        self.assertEqual(FinancingLine.objects.count(), 1)
        self.assertContains(
            response,
            "Plan de financement déséquilibré : il manque 64\u202f000,00\u00a0€ pour couvrir "
            "le coût de l’opération (214\u202f000,00\u00a0€).",
        )
        self.assertContains(response, 'id="financing-warning"')
        response = self.client.post(
            reverse("places:financing_add", args=[place.pk]),
            {"fin-source": "bank_loan", "fin-amount": "64000", "fin-secured_on": "2021-05-10"},
            follow=True,
        )
        self.assertContains(response, "Le plan de financement équilibre le coût de l’opération.")
        self.assertNotContains(response, 'id="financing-warning"')

    def test_a_financing_plan_above_the_cost_is_also_warned(self):
        place = make_place()
        make_operation(place)
        _, balance = financing_line_add(
            actor=None,
            operation=place.operation,
            data={
                "source": "subsidy",
                "amount": Decimal("214000.01"),
                "secured_on": dt.date(2021, 1, 1),
            },
        )
        self.assertFalse(balance.balanced)
        self.assertIn("dépassent de 0,01\u00a0€", balance.message)

    def test_a_negative_or_zero_financing_amount_is_refused_and_nothing_is_saved(self):
        place = make_place()
        self.login(self.staff)
        response = self.client.post(
            reverse("places:financing_add", args=[place.pk]),
            {"fin-source": "capital", "fin-amount": "-100", "fin-secured_on": "2021-05-01"},
            follow=True,
        )
        self.assertContains(response, "Le montant d’une source de financement doit être positif.")
        self.assertFalse(FinancingLine.objects.exists())
        with self.assertRaises(Refusal):
            financing_line_add(
                actor=None,
                operation=place.operation,
                data={
                    "source": "capital",
                    "amount": Decimal("0"),
                    "secured_on": dt.date(2021, 1, 1),
                },
            )

    def test_a_funder_sees_the_financing_on_its_timeline(self):
        from placette.test import make_contact

        bank = make_contact(kind="organisation", organisation_name="La Nef", org_kind="bank")
        place = make_place()
        financing_line_add(
            actor=self.staff,
            operation=place.operation,
            data={
                "source": "bank_loan",
                "funder": bank,
                "amount": Decimal("50000"),
                "secured_on": dt.date(2021, 1, 1),
            },
        )
        entry = bank.timeline.get()
        self.assertEqual((entry.area, entry.link), ("places", place.get_absolute_url()))

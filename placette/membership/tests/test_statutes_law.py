"""Statutes that cannot break the law: each version breaking a rule the law fixes is refused
with the article named, nothing written; bookings lifting the local authorities over half of
the capital are refused (not warned), also through other members' refunds."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from placette.contacts.models import ContactKind
from placette.lib.refusals import Refusal
from placette.membership.models import Movement, Statutes
from placette.membership.services import (
    movement_cancel,
    refund_decide,
    refund_request,
    shares_subscribe,
    shares_transfer,
)
from placette.membership.statutes_law import statutes_law_problems
from placette.membership.tests.helpers import COLLEGES, category, make_statutes
from placette.test import BaseTestCase, make_contact

D = dt.date


def plain(text: str) -> str:
    """The text with its no-break spaces (French typography) as plain spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


class StatutesVersionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()

    def refused(self, **overrides) -> str:
        before = Statutes.objects.count()
        with self.assertRaises(Refusal) as caught:
            make_statutes(effective_from=D(2024, 1, 1), **overrides)
        self.assertEqual(Statutes.objects.count(), before)
        return plain(caught.exception.message)

    def weights(self, *percents):
        import placette.membership.tests.helpers as helpers

        saved = helpers.COLLEGES
        helpers.COLLEGES = [
            (code, name, Decimal(p)) for (code, name, _), p in zip(COLLEGES, percents, strict=True)
        ]
        try:
            return self.refused()
        finally:
            helpers.COLLEGES = saved

    def test_a_version_with_a_college_weighing_60_percent_is_refused_with_the_article(self):
        message = self.weights(60, 10, 15, 15)
        self.assertIn("« Salariés » pèse 60 %", message)
        self.assertIn("art. 19 octies", message)

    def test_a_version_with_a_college_weighing_5_percent_is_refused_with_the_article(self):
        message = self.weights(5, 45, 25, 25)
        self.assertIn("« Salariés » pèse 5 %", message)
        self.assertIn("art. 19 octies", message)

    def test_the_college_bounds_of_a_version_cannot_be_looser_than_the_law(self):
        message = self.refused(min_college_percent=Decimal(5), max_college_percent=Decimal(60))
        self.assertIn("poids minimal d’un collège ne peut pas être inférieur à 10 %", message)
        self.assertIn("poids maximal d’un collège ne peut pas dépasser 50 %", message)
        message = self.refused(min_colleges=2)
        self.assertIn("minimal de collèges ne peut pas être inférieur à 3", message)

    def test_fewer_than_three_colleges_is_refused(self):
        problems = statutes_law_problems(
            {"colleges_enabled": True}, {"A": Decimal(50), "B": Decimal(50)}
        )
        self.assertIn("Il faut au moins 3 collèges de vote", plain(problems[0]))
        self.assertIn("art. 19 octies", problems[0])

    def test_an_sa_giving_0_days_of_notice_is_refused_with_the_article(self):
        message = self.refused(legal_form="SA", notice_days_first_call=0)
        self.assertIn("au moins 15 jours", message)
        self.assertIn("R225-69", message)

    def test_an_sa_without_a_capital_floor_is_refused(self):
        problems = statutes_law_problems({"legal_form": "SA", "floor_amount": None}, {})
        self.assertIn("plancher de capital d’au moins 18 500 €", plain(problems[0]))
        self.assertIn("art. 27", problems[0])

    def test_an_sa_with_a_floor_below_18500_euros_is_refused(self):
        message = self.refused(legal_form="SA", floor_amount=Decimal(10000))
        self.assertIn("ne peut pas être inférieur à 18 500 €", message)

    def test_a_proxy_cap_below_one_is_refused(self):
        self.assertIn("au moins 1", self.refused(proxy_cap=0))

    def test_a_lawful_sa_version_is_recorded(self):
        statutes = make_statutes(
            effective_from=D(2024, 1, 1), legal_form="SA", floor_amount=Decimal(18500)
        )
        self.assertEqual(Statutes.objects.in_force(D(2024, 6, 1)), statutes)

    def test_the_statutes_page_shows_the_refusal_and_records_nothing(self):
        self.client.force_login(self.staff_admin)
        page = self.client.get(reverse("membership:statutes_edit"))
        data = {}
        form = page.context["form"]
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or value is False:
                continue
            data[name] = "on" if value is True else str(value).replace(".", ",")
        data.update(
            {
                "reason": "AGE",
                "effective_from": "2024-01-01",
                "legal_form": "SA",
                "notice_days_first_call": "0",
                "floor_amount": "",
            }
        )
        for prefix in ("rules", "weights"):
            formset = page.context["rule_set" if prefix == "rules" else "weight_set"]
            data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.forms))
            data[f"{prefix}-INITIAL_FORMS"] = str(len(formset.forms))
            for index, sub in enumerate(formset.forms):
                for name, value in sub.initial.items():
                    if value is None or value is False:
                        continue
                    if hasattr(value, "pk"):
                        value = value.pk
                    elif value is True:
                        value = "on"
                    data[f"{prefix}-{index}-{name}"] = str(value).replace(".", ",")
        before = Statutes.objects.count()
        response = self.client.post(reverse("membership:statutes_edit"), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "R225-69")
        self.assertIn("plancher de capital d’au moins 18 500 €", plain(response.content.decode()))
        self.assertEqual(Statutes.objects.count(), before)


class AuthoritiesCapTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.commune = make_contact(
            kind=ContactKind.ORGANISATION, organisation_name="Commune de Die", org_kind="commune"
        )
        cls.alice = make_contact(first_name="Alice", last_name="Martin")
        cls.bruno = make_contact(first_name="Bruno", last_name="Roux")
        for person in (cls.alice, cls.bruno):
            shares_subscribe(
                actor=None,
                contact=person,
                shares=10,
                category=category("soutiens"),
                on=D(2020, 1, 2),
            )
        shares_subscribe(
            actor=None,
            contact=cls.commune,
            shares=20,
            category=category("collectivites"),
            on=D(2020, 2, 1),
        )

    def test_a_subscription_lifting_the_authorities_over_half_the_capital_is_refused(self):
        before = Movement.objects.count()
        with self.assertRaisesMessage(Refusal, "art. 19 septies"):
            shares_subscribe(actor=None, contact=self.commune, shares=1, on=D(2021, 1, 1))
        self.assertEqual(Movement.objects.count(), before)

    def test_another_members_refund_that_lifts_them_over_half_is_refused(self):
        request = refund_request(actor=None, contact=self.alice, shares=5, on=D(2021, 3, 1))
        with self.assertRaisesMessage(Refusal, "collectivités publiques détiendraient"):
            refund_decide(actor=None, request=request, accepted=True, on=D(2021, 4, 1))
        self.assertFalse(Movement.objects.filter(kind="refund_decision").exists())

    def test_cancelling_another_members_subscription_that_lifts_them_over_half_is_refused(self):
        bruno = Movement.objects.get(holder=self.bruno, kind="subscription")
        with self.assertRaisesMessage(Refusal, "au-delà du plafond de 50"):
            movement_cancel(actor=None, movement=bruno, reason="erreur", on=D(2021, 1, 1))
        self.assertFalse(Movement.objects.filter(kind="cancellation").exists())

    def test_a_transfer_to_the_authority_over_half_is_refused(self):
        with self.assertRaisesMessage(Refusal, "art. 19 septies"):
            shares_transfer(
                actor=None, giver=self.alice, receiver=self.commune, shares=1, on=D(2021, 1, 1)
            )

    def test_a_refund_keeping_them_at_half_is_accepted(self):
        shares_subscribe(actor=None, contact=self.alice, shares=5, on=D(2021, 1, 1))
        request = refund_request(actor=None, contact=self.alice, shares=5, on=D(2021, 3, 1))
        decision = refund_decide(actor=None, request=request, accepted=True, on=D(2021, 4, 1))
        self.assertEqual(decision.shares, -5)

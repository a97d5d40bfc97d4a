"""Removing a source of financing asks first, saying which source and what the plan becomes."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from placette.places.models import FinancingLine
from placette.places.tests.helpers import make_operation, make_place
from placette.test import BaseTestCase


class FinancingRemovalTests(BaseTestCase):
    def test_removing_a_financing_line_names_it_and_the_gap_it_leaves_and_waits_for_confirmation(
        self,
    ):
        place = make_place()
        make_operation(place)
        line = place.operation.financing.create(
            source="capital", amount=Decimal("1000"), secured_on=dt.date(2021, 1, 1)
        )
        self.login(self.staff)
        url = reverse("places:financing_remove", args=[line.pk])
        page = self.client.post(url)  # the « Retirer » button of the place page
        self.assertContains(page, "Retirer une source de financement")
        self.assertContains(page, "1\u202f000,00\u00a0€")
        self.assertContains(page, "Après le retrait : Plan de financement déséquilibré")
        self.assertContains(page, "Cette action ne peut pas être annulée.")
        self.assertTrue(FinancingLine.objects.filter(pk=line.pk).exists())
        response = self.client.post(url, {"confirm": "1"})
        self.assertRedirects(response, place.get_absolute_url())
        self.assertFalse(FinancingLine.objects.filter(pk=line.pk).exists())

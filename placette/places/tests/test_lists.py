"""The places and arrears lists on the shared list pages, and the other paginated pages of the
area (a lease's schedule, the index values): permissions, exports, constant queries."""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from placette.places.models import IndexValue, RentLine
from placette.places.services import lease_schedule_generate, payment_record
from placette.places.tests.helpers import (
    make_activity,
    make_lease,
    make_operation,
    make_place,
    make_tenant,
)
from placette.test import BaseTestCase

PLACES = reverse("places:list")
ARREARS = reverse("places:arrears")


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


class PlaceListTests(BaseTestCase):
    def setUp(self):
        self.login(self.staff)

    def test_the_places_list_and_its_export_are_for_the_team_only(self):
        self.assert_staff_only(reverse("lists:export", args=["places", "csv"]))
        self.assert_staff_only(reverse("lists:export", args=["arrears", "csv"]))

    def test_the_export_holds_the_places_shown_with_their_area_and_activities(self):
        cafe = make_place(name="Café de Saillans")
        make_operation(cafe)
        make_activity(cafe)
        make_place(name="Épicerie de Die")
        response = self.client.get(
            reverse("lists:export", args=["places", "xlsx"]),
            {"q": "café", "cols": ["name", "built_area", "activities"]},
        )
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertEqual(rows[0], ("Lieu", "Surface bâtie (m²)", "Activités"))
        self.assertEqual(rows[1][0], "Café de Saillans")
        self.assertEqual(rows[1][2], 1)
        self.assertEqual(Decimal(str(rows[1][1])), cafe.operation.built_area)
        self.assertEqual(len(rows), 2)

    def test_the_places_sort_by_name_either_way_and_the_map_follows_the_filters(self):
        make_place(name="Alpha", latitude=Decimal("44.7"), longitude=Decimal("5.2"))
        make_place(name="Beta", latitude=None, longitude=None)
        response = self.client.get(PLACES, {"sort": "-name"})
        self.assertEqual([r.record.name for r in response.context["list"].rows], ["Beta", "Alpha"])
        self.assertEqual(len(response.context["markers"]), 1)
        response = self.client.get(PLACES, {"q": "beta"})
        self.assertEqual(response.context["list"].count, 1)
        self.assertEqual(response.context["markers"], [])

    def test_the_places_list_costs_the_same_queries_with_5_and_60_places(self):
        def add(n: int) -> None:
            for i in range(n):
                make_activity(make_place(name=f"Lieu {RentLine.objects.count()}-{i}-{n}"))

        self.assert_constant_queries(PLACES, add)


class ArrearsListTests(BaseTestCase):
    def setUp(self):
        self.login(self.staff)
        tenant = make_tenant(name="Association Café", email="cafe@ex.fr")
        self.lease = make_lease(
            make_activity(make_place(name="Café"), tenant=tenant), until=dt.date(2022, 7, 31)
        )
        self.first, self.second, self.third = self.lease.schedule.order_by("due_on")
        payment_record(
            actor=None,
            line=self.first,
            amount=self.first.amount,
            paid_on=self.first.due_on,
            method="transfer",
        )

    def test_the_arrears_export_gives_the_unpaid_lines_with_numbers_for_a_spreadsheet(self):
        response = self.client.get(
            reverse("lists:export", args=["arrears", "xlsx"]),
            {"cols": ["due_on", "tenant", "balance", "late"], "date": "2022-08-01"},
        )
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertEqual(rows[0], ("Échéance", "Locataire", "Reste dû", "Retard (jours)"))
        self.assertEqual([r[0].date() for r in rows[1:]], [self.second.due_on, self.third.due_on])
        self.assertEqual(Decimal(str(rows[1][2])), self.second.amount)
        self.assertEqual(rows[1][3], (dt.date(2022, 8, 1) - self.second.due_on).days)
        self.assertEqual(rows[1][1], "Association Café")

    def test_the_actions_column_is_shown_but_never_exported(self):
        page = self.client.get(ARREARS)
        self.assertContains(page, "Encaisser")
        header = _csv(self.client.get(dict(page.context["list"].export_links)["CSV"]))[0]
        self.assertNotIn("Actions", header)
        self.assertNotIn("actions", [name for name, _ in page.context["list"].page.all_columns()])

    def test_arrears_sort_by_the_balance_left(self):
        payment_record(
            actor=None,
            line=self.second,
            amount=Decimal("100"),
            paid_on=timezone.localdate(),
            method="cheque",
        )
        rows = self.client.get(ARREARS, {"sort": "balance"}).context["list"].rows
        self.assertEqual([r.record.pk for r in rows], [self.second.pk, self.third.pk])
        rows = self.client.get(ARREARS, {"sort": "-balance"}).context["list"].rows
        self.assertEqual([r.record.pk for r in rows], [self.third.pk, self.second.pk])


class LeaseAndIndexPagesTests(BaseTestCase):
    def setUp(self):
        self.login(self.staff)

    def test_a_lease_page_costs_the_same_queries_with_5_and_60_schedule_lines(self):
        lease = make_lease(make_activity(make_place()), until=dt.date(2022, 5, 31))
        target = [lease.schedule.count()]

        def add(n: int) -> None:
            target[0] += n
            month = dt.date(2022, 5, 1)
            for _ in range(target[0] - 1):
                month = (month + dt.timedelta(days=32)).replace(day=1)
            lease_schedule_generate(lease=lease, until=month)
            self.assertEqual(lease.schedule.count(), target[0])

        self.assert_constant_queries(reverse("places:lease", args=[lease.pk]), add)

    def test_the_index_values_page_costs_the_same_queries_with_5_and_60_values(self):
        made = [0]

        def add(n: int) -> None:
            for _ in range(n):
                year, quarter = divmod(made[0], 4)
                IndexValue.objects.create(
                    kind="ICC", year=1990 + year, quarter=quarter + 1, value=Decimal("100.00")
                )
                made[0] += 1

        self.assert_constant_queries(reverse("places:indexes"), add)

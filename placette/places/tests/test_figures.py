import datetime as dt
import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from placette.places.figures import headline_figures
from placette.places.models import PlacesSettings
from placette.places.services import financing_line_add, lease_revise
from placette.places.tests.helpers import (
    make_activity,
    make_index,
    make_lease,
    make_operation,
    make_place,
)
from placette.test import BaseTestCase


def _portfolio():
    PlacesSettings.get()
    drome = make_place()
    make_operation(drome)
    financing_line_add(
        actor=None,
        operation=drome.operation,
        data={"source": "capital", "amount": Decimal("150000"), "secured_on": dt.date(2021, 5, 1)},
    )
    financing_line_add(
        actor=None,
        operation=drome.operation,
        data={"source": "bdt", "amount": Decimal("64000"), "secured_on": dt.date(2022, 1, 10)},
    )
    lease = make_lease(make_activity(drome), until=dt.date(2023, 6, 30))
    ardeche = make_place(name="Épicerie de Jaujac", commune_code="07107", postcode="07380")
    make_operation(
        ardeche,
        acquired_on=dt.date(2023, 2, 1),
        built_area=Decimal("100.5"),
        renovated_area=Decimal("80"),
        works_ended_on=None,
        works_started_on=None,
    )
    return drome, ardeche, lease


class FigureTests(BaseTestCase):
    def test_the_headline_figures_are_computed_at_any_date(self):
        _, _, lease = _portfolio()
        make_index("ILC", 2022, 1, "132.63")
        make_index("ILC", 2023, 1, "136.23")
        lease_revise(actor=None, lease=lease, effective_on=dt.date(2023, 5, 1))
        PlacesSettings.objects.update_or_create(pk=1, defaults={"network_goal": 50})

        early = headline_figures(dt.date(2021, 12, 31))
        self.assertEqual((early.operations, early.departments), (1, 1))
        self.assertEqual((early.area_bought, early.area_renovated), (Decimal("250"), Decimal("0")))
        self.assertEqual(dict(early.by_source)["Capital citoyen"], Decimal("150000"))
        self.assertEqual(dict(early.by_source)["Banque des Territoires"], Decimal("0"))
        self.assertEqual((early.activities_open, early.rent_roll), (0, Decimal("0")))
        self.assertEqual(early.invested, Decimal("129000"))  # works not finished yet

        mid = headline_figures(dt.date(2023, 1, 15))
        self.assertEqual(
            (mid.operations, mid.activities_open, mid.jobs_fte), (1, 1, Decimal("2.5"))
        )
        self.assertEqual(mid.area_renovated, Decimal("220"))
        self.assertEqual(mid.invested, Decimal("214000"))
        self.assertEqual(mid.rent_roll, Decimal("10200.00"))  # 850 € × 12

        late = headline_figures(dt.date(2023, 6, 1))
        self.assertEqual((late.operations, late.departments, late.places_held), (2, 2, 2))
        self.assertEqual(late.area_bought, Decimal("350.5"))
        self.assertEqual(late.rent_roll, Decimal("10476.84"))  # 873,07 € × 12
        self.assertEqual(late.financed, Decimal("214000"))
        self.assertEqual((late.goal, late.progress_percent), (50, 4))

    def test_the_figures_cost_a_fixed_number_of_queries(self):
        _portfolio()
        with CaptureQueriesContext(connection) as few:
            headline_figures(dt.date(2024, 1, 1))
        for i in range(5):
            make_lease(make_activity(make_place(name=f"Lieu {i}")), until=dt.date(2024, 1, 1))
        with self.assertNumQueries(len(few)):
            headline_figures(dt.date(2024, 1, 1))

    def test_the_figures_page_and_export_follow_the_date_parameter(self):
        _portfolio()
        self.login(self.staff)
        response = self.client.get(reverse("places:figures"), {"date": "2021-12-31"})
        self.assertEqual(response.context["figures"].at, dt.date(2021, 12, 31))
        self.assertContains(response, "Chiffres clés au 31/12/2021")
        response = self.client.get(
            reverse("places:figures_export", args=["xlsx"]), {"date": "2023-06-01"}
        )
        rows = dict(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertEqual(rows["Opérations (acquisitions réalisées)"], 2)
        self.assertEqual(rows["Départements"], 2)
        response = self.client.get(
            reverse("places:figures_export", args=["csv"]), {"date": "2023-06-01"}
        )
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        self.assertIn("Surface achetée (m²);350,50", text)  # decimal comma

    def test_the_staff_dashboard_gets_the_places_figures(self):
        from placette.places.dashboard import figures

        _portfolio()
        found = figures()
        self.assertEqual(
            [f.label for f in found], ["Lieux", "Surfaces", "Activités ouvertes", "Loyers annuels"]
        )
        self.assertEqual(found[0].value, "2 / 50")
        self.assertEqual(found[1].value, "351\u202fm²".replace("\u202f", " "))
        self.login(self.staff)
        response = self.client.get(reverse("backoffice:dashboard"))
        self.assertIn(found[0], response.context["figures"])
        self.assertContains(response, "2 / 50")

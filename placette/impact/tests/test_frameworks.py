import json
from decimal import Decimal

from placette.impact import framework_io, queries, services
from placette.impact.models import Dimension, Framework, Indicator
from placette.lib.audit import AuditEntry
from placette.lib.refusals import Refusal
from placette.places.tests.helpers import make_activity, make_operation, make_place
from placette.test import BaseTestCase


def csv_bytes(framework):
    import io

    from placette.lib.exports import csv_write

    out = io.StringIO()
    csv_write(
        out,
        framework_io.CSV_HEADER,
        framework_io.framework_csv_rows(queries.framework_dimensions(framework)),
    )
    return out.getvalue().encode("utf-8-sig")


def shape(framework):
    return [
        framework_io.indicator_dict(i) | {"dimension": i.dimension.name}
        for i in framework.indicators.select_related("dimension").order_by("position")
    ]


class FrameworkTests(BaseTestCase):
    def test_the_starter_framework_has_its_24_indicators_in_11_dimensions(self):
        framework = services.framework_seed(year=2025, actor=self.staff)
        self.assertEqual(framework.indicators.count(), 24)
        self.assertEqual(framework.dimensions.count(), 11)
        ucla = framework.indicators.get(position=15)
        self.assertEqual((ucla.kind, len(ucla.items), ucla.threshold), ("instrument", 3, 6))
        self.assertEqual(
            dict(framework.indicators.exclude(source="").values_list("position", "source")),
            {1: "places.area_renovated", 2: "places.invested", 20: "membership.members"},
        )
        surface = framework.indicators.get(position=1)
        self.assertEqual((surface.nature, surface.respondents), ("stock", ["fonciere"]))
        self.assertEqual(
            framework.indicators.get(position=18).respondents, ["inhabitants", "committee"]
        )
        self.assertEqual(framework.indicators.get(position=23).kind, "text")
        self.assertTrue(framework.indicators.get(position=17).optional)
        self.assertTrue(AuditEntry.objects.filter(action="impact.framework.create").exists())

    def test_a_framework_exported_in_json_or_csv_comes_back_identical(self):
        framework = services.framework_seed(year=2025, actor=self.staff)
        dims = queries.framework_dimensions(framework)
        from_json = services.framework_import(
            year=2026,
            title="",
            content=framework_io.framework_json(framework, dims).encode(),
            name="partenaire.json",
            actor=self.staff,
        )
        from_csv = services.framework_import(
            year=2027, title="Réseau", content=csv_bytes(framework), name="r.csv", actor=self.staff
        )
        self.assertEqual(shape(from_json), shape(framework))
        self.assertEqual(shape(from_csv), shape(framework))
        self.assertEqual(from_json.title, framework.title)

    def test_next_years_copy_keeps_the_codes_so_years_compare(self):
        framework = services.framework_seed(year=2025, actor=self.staff)
        copy = services.framework_copy(source=framework, year=2026, actor=self.staff)
        self.assertEqual(
            list(copy.indicators.values_list("code", flat=True)),
            list(framework.indicators.values_list("code", flat=True)),
        )
        self.assertEqual(
            Indicator.objects.filter(framework=copy, dimension__framework=framework).count(), 0
        )

    def test_a_second_framework_for_the_same_year_is_refused(self):
        services.framework_seed(year=2025, actor=self.staff)
        with self.assertRaisesMessage(Refusal, "existe déjà pour 2025"):
            services.framework_create(year=2025, title="Bis", actor=self.staff)
        with self.assertRaisesMessage(Refusal, "entre 2000 et 2100"):
            services.framework_create(year=1999, title="Vieux", actor=self.staff)

    def test_a_bad_file_is_refused_and_creates_nothing(self):
        bad = {
            "x.json": b"{pas du json",
            "y.json": json.dumps({"format": "autre"}).encode(),
            "z.csv": b"dimension;indicator\n",
            "b.csv": b"\x00\x01binaire",
            "k.csv": b"number,dimension,indicator,type,answered_by\n1,D,I,magic,activity\n",
            "s.json": json.dumps(
                {
                    "format": framework_io.FORMAT,
                    "dimensions": [
                        {
                            "name": "D",
                            "indicators": [
                                {
                                    "label": "I",
                                    "kind": "number",
                                    "respondents": ["fonciere"],
                                    "source": "rien.du.tout",
                                }
                            ],
                        }
                    ],
                }
            ).encode(),
            "t.txt": b"bonjour",
        }
        for name, content in bad.items():
            with self.assertRaises(Refusal, msg=name):
                services.framework_import(
                    year=2025, title="", content=content, name=name, actor=self.staff
                )
        self.assertEqual(Framework.objects.count(), 0)
        self.assertEqual(Dimension.objects.count(), 0)

    def test_computed_indicators_read_the_places_and_membership_figures_of_the_year(self):
        place = make_place()
        make_operation(place)  # acquired 2021-06-15, 220 m² renovated, 214 000 € invested
        make_activity(place)
        framework = services.framework_seed(year=2023, actor=self.staff)
        dims = queries.framework_dimensions(framework)
        queries.computed_attach(framework, dims)
        values = {i.position: i.computed for d in dims for i in d.indicators.all() if i.source}
        self.assertEqual(values[1], Decimal("220"))
        self.assertEqual(values[2], Decimal("214000.00"))
        self.assertEqual(values[20], Decimal(0))
        before = services.framework_seed(year=2020, actor=self.staff)
        dims = queries.framework_dimensions(before)
        queries.computed_attach(before, dims)
        self.assertEqual(
            [i.computed for d in dims for i in d.indicators.all() if i.position == 1], [Decimal(0)]
        )

    def test_an_indicator_added_by_the_staff_is_checked_and_numbered_last(self):
        framework = services.framework_seed(year=2025, actor=self.staff)
        dimension = framework.dimensions.first()
        fields = {
            "dimension": dimension,
            "label": "Repas partagés",
            "kind": "number",
            "unit": "repas par an",
            "respondents": ["activity"],
            "nature": "flow",
            "source": "",
            "choices": [],
            "items": [],
            "item_min": 1,
            "item_max": 3,
            "threshold": None,
            "optional": True,
            "notes": "",
        }
        indicator = services.indicator_add(framework=framework, actor=self.staff, **fields)
        self.assertEqual((indicator.position, indicator.code), (25, "repas-partages"))
        with self.assertRaisesMessage(Refusal, "existe déjà"):
            services.indicator_add(framework=framework, actor=self.staff, **fields)
        with self.assertRaisesMessage(Refusal, "deux réponses"):
            services.indicator_add(
                framework=framework, actor=self.staff, **(fields | {"kind": "choice", "label": "X"})
            )
        other = services.framework_create(year=2026, title="Autre", actor=self.staff)
        with self.assertRaisesMessage(Refusal, "pas de ce référentiel"):
            services.indicator_add(framework=other, actor=self.staff, **fields)
        self.assertEqual(framework.indicators.count(), 25)

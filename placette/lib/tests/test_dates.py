"""Sane bounds for every date: not before 1900, value dates never in the future, other dates
at most ten years ahead (ninety-nine for the end of a long contract)."""

import datetime as dt
import importlib
import inspect
import pkgutil

from django import forms
from django.test import SimpleTestCase
from django.utils import timezone

import placette
from placette.lib.dates import DateBoundsMixin, date_check, date_problem
from placette.lib.refusals import Refusal


def _form_classes():
    for module_info in pkgutil.walk_packages(placette.__path__, "placette."):
        name = module_info.name
        if ".tests" in name or ".migrations" in name or not name.split(".")[-1].startswith("forms"):
            continue
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                yield cls


class DateBoundsTests(SimpleTestCase):
    def test_year_one_and_year_9999_are_refused_with_a_french_message(self):
        self.assertIn("trop ancienne", date_problem(dt.date(1, 1, 1)))
        self.assertIn("01/01/0001", date_problem(dt.date(1, 1, 1)))
        self.assertIn("trop lointaine", date_problem(dt.date(9999, 12, 31)))

    def test_a_value_date_in_the_future_is_refused_but_today_passes(self):
        today = timezone.localdate()
        self.assertIsNone(date_problem(today, past_only=True))
        self.assertIn("dans le futur", date_problem(today + dt.timedelta(days=1), past_only=True))

    def test_an_ordinary_date_may_be_ten_years_ahead_and_a_contract_end_ninety_nine(self):
        today = timezone.localdate()
        in_nine_years = today.replace(year=today.year + 9)
        in_fifty_years = today.replace(year=today.year + 50)
        self.assertIsNone(date_problem(in_nine_years))
        self.assertIsNotNone(date_problem(in_fifty_years))
        self.assertIsNone(date_problem(in_fifty_years, future_years=99))

    def test_a_datetime_in_year_one_is_refused_without_crashing_on_time_zones(self):
        moment = timezone.make_aware(dt.datetime(1, 1, 1, 0, 30))
        self.assertIn("trop ancienne", date_problem(moment))

    def test_a_service_check_raises_a_refusal_on_the_field(self):
        with self.assertRaises(Refusal) as caught:
            date_check(dt.date(9999, 12, 31), label="Date du mouvement", field="on")
        self.assertEqual(caught.exception.field, "on")
        self.assertTrue(caught.exception.message.startswith("Date du mouvement : "))

    def test_a_form_with_the_mixin_refuses_an_absurd_date_on_that_field(self):
        class Form(DateBoundsMixin, forms.Form):
            past_dates = ("paid_on",)
            paid_on = forms.DateField()
            starts_at = forms.DateTimeField()

        form = Form({"paid_on": "9999-12-31", "starts_at": "0001-01-01 10:00"})
        self.assertFalse(form.is_valid())
        self.assertIn("dans le futur", form.errors["paid_on"][0])
        self.assertIn("trop ancienne", form.errors["starts_at"][0])

    def test_every_form_with_a_date_field_has_the_bounds(self):
        missing = []
        for cls in _form_classes():
            dated = [
                name
                for name, field in cls.base_fields.items()
                if isinstance(field, forms.DateField | forms.DateTimeField)
            ]
            if dated and not issubclass(cls, DateBoundsMixin):
                missing.append(f"{cls.__module__}.{cls.__name__} ({', '.join(dated)})")
        self.assertEqual(missing, [])

"""The one French format of euros, numbers, percentages and vote shares (placette.lib.money)."""

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from placette.lib import money

NNBSP, NBSP = "\u202f", "\u00a0"
amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=4
)
GROUPED = re.compile(r"^-?\d{1,3}(\u202f\d{3})*(,\d+)?$")


def _read_back(text: str) -> Decimal:
    return Decimal(text.replace(NNBSP, "").replace(",", "."))


def test_an_amount_is_written_with_narrow_spaces_a_comma_and_the_euro_sign_after():
    assert money.euros(Decimal("1234567.5")) == f"1{NNBSP}234{NNBSP}567,50{NBSP}€"
    assert money.euros(Decimal("120000")) == f"120{NNBSP}000,00{NBSP}€"
    assert money.euros(7) == f"7,00{NBSP}€"


def test_an_amount_is_rounded_half_up_to_the_cent_and_never_shows_minus_zero():
    assert money.euros(Decimal("0.005")) == f"0,01{NBSP}€"
    assert money.euros(Decimal("2.675")) == f"2,68{NBSP}€"
    assert money.euros(Decimal("-0.004")) == f"0,00{NBSP}€"
    assert money.euros(Decimal("-1234.5")) == f"-1{NNBSP}234,50{NBSP}€"


def test_an_amount_before_rounding_keeps_its_decimals():
    assert money.euros_exact(Decimal("873.07170323456789")) == f"873,0717032346{NBSP}€"
    assert money.euros_exact(Decimal("1200.50")) == f"1{NNBSP}200,5{NBSP}€"


def test_a_headline_amount_can_be_shown_without_cents():
    assert money.euros(Decimal("120000.50"), cents=False) == f"120{NNBSP}001{NBSP}€"


def test_a_float_is_refused_as_money_because_it_would_hide_an_inexact_sum():
    with pytest.raises(TypeError):
        money.euros(0.1 + 0.2)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        money.euros(True)
    with pytest.raises(ValueError):
        money.euros(Decimal("NaN"))


@given(amounts)
def test_any_amount_reads_back_as_the_same_number_of_cents(value):
    text = money.euros(value)
    assert text.endswith(f"{NBSP}€")
    body = text.removesuffix(f"{NBSP}€")
    assert GROUPED.match(body), text
    assert " " not in text  # never a breakable space inside an amount
    assert _read_back(body) == money.to_cents(value) or money.to_cents(value) == 0


@given(amounts, st.integers(min_value=0, max_value=6))
def test_any_number_has_exactly_the_decimals_asked_and_reads_back_rounded(value, digits):
    text = money.number(value, digits)
    assert GROUPED.match(text), text
    assert len(text.partition(",")[2]) == digits
    assert abs(_read_back(text) - value) <= Decimal(1).scaleb(-digits) / 2


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_digits_are_grouped_by_three_with_narrow_no_break_spaces(value):
    text = money.group_digits(value)
    assert GROUPED.match(text)
    assert int(text.replace(NNBSP, "")) == value


def test_a_decimal_shows_the_decimals_it_has_and_no_trailing_zero():
    assert money.decimal_text(Decimal("130.640")) == "130,64"
    assert money.decimal_text(Decimal("2.000")) == "2"
    assert money.decimal_text(Decimal("1234.56789012345")) == f"1{NNBSP}234,5678901235"


def test_a_value_already_in_percent_is_shown_with_its_decimals_only():
    assert money.percent(Decimal("25.00")) == f"25{NBSP}%"
    assert money.percent(Decimal("12.50")) == f"12,5{NBSP}%"
    assert money.percent(Decimal("33.3333")) == f"33,3333{NBSP}%"


def test_a_ratio_is_an_exact_percentage_or_says_it_is_approximate():
    assert money.ratio_percent(Fraction(11, 20)) == f"55{NBSP}%"
    assert money.ratio_percent(Fraction(1, 8)) == f"12,5{NBSP}%"
    assert money.ratio_percent(Fraction(1, 3)) == f"environ 33,33{NBSP}%"
    assert money.ratio_percent(Decimal("0.25")) == f"25{NBSP}%"


@given(st.fractions(min_value=-10, max_value=10, max_denominator=10**6))
def test_any_exact_percentage_reads_back_as_the_same_fraction(ratio):
    text = money.ratio_percent(ratio)
    body = text.removesuffix(f"{NBSP}%")
    if body.startswith("environ "):
        approx = _read_back(body.removeprefix("environ "))
        assert abs(Fraction(approx) - ratio * 100) <= Fraction(1, 200)
        assert (ratio * 10**6).denominator != 1
    else:
        assert Fraction(_read_back(body)) == ratio * 100


def test_a_vote_share_shows_the_fraction_and_its_percentage():
    assert money.fraction(Fraction(2, 3)) == f"2/3 (environ 66,67{NBSP}%)"
    assert money.fraction(Fraction(1)) == f"100{NBSP}%"


def test_a_spreadsheet_number_has_a_decimal_comma_and_no_grouping():
    assert money.plain_decimal(Decimal("1234.50")) == "1234,50"
    assert money.plain_decimal(-3) == "-3"


def test_a_typed_amount_is_read_exactly_whatever_its_spaces_and_separators():
    assert money.parse_decimal(f"12{NNBSP}345,50{NBSP}€") == Decimal("12345.50")
    assert money.parse_decimal("1.234,56") == Decimal("1234.56")
    assert money.parse_decimal(" 12345.5 ") == Decimal("12345.5")
    assert money.parse_decimal("-3") == Decimal(-3)
    for bad in ("1e400", "NaN", "inf", "", "12,3,4", "douze", "1" * 16):
        with pytest.raises(ValueError):
            money.parse_decimal(bad)


@given(amounts)
def test_any_amount_written_by_the_money_module_is_read_back_by_the_parser(value):
    assert money.parse_decimal(money.euros(value)) == money.to_cents(value)
    assert money.parse_decimal(money.plain_decimal(value)) == value


def test_chart_axes_show_whole_euros_and_counts_in_french():
    assert money.axis_euros(120000.0, 0) == f"120{NNBSP}000{NBSP}€"
    assert money.axis_number(1200.0) == f"1{NNBSP}200"
    assert money.axis_euros(float("nan")) == f"0{NBSP}€"


def test_the_template_filters_need_no_load_and_show_a_dash_for_nothing():
    template = Template(
        "{{ a|euros }}|{{ a|euros:0 }}|{{ n|number }}|{{ n|number:1 }}|{{ p|percent }}|"
        "{{ r|ratio_percent }}|{{ r|fraction }}|{{ none|euros }}|{{ i|decimal }}|{{ avg|number:1 }}"
    )
    text = template.render(
        Context(
            {
                "a": Decimal("1234.5"),
                "n": 12345,
                "p": Decimal("2.500"),
                "r": Fraction(2, 3),
                "none": None,
                "i": Decimal("130.640"),
                "avg": 3.25,
            }
        )
    )
    assert text == (
        f"1{NNBSP}234,50{NBSP}€|1{NNBSP}235{NBSP}€|12{NNBSP}345|12{NNBSP}345,0|2,5{NBSP}%|"
        f"environ 66,67{NBSP}%|2/3 (environ 66,67{NBSP}%)|—|130,64|3,3"
    )

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from placette.lib.refusals import Refusal
from placette.places.indexation import rent_revise


def test_the_revised_rent_matches_the_hand_computed_example():
    # 850,00 € × 136,23 ÷ 132,63 = 115 795,50 ÷ 132,63 = 873,0717… € → 873,07 €
    result = rent_revise(Decimal("850.00"), Decimal("132.63"), Decimal("136.23"))
    assert result.revised_rent == Decimal("873.07")
    assert str(result.exact).startswith("873.0717032345")
    assert "850,00\u00a0€ × 136,23 ÷ 132,63" in result.explanation
    assert result.explanation.endswith("873,07\u00a0€")


def test_it_rounds_only_at_the_end_not_the_ratio():
    # Rounding the ratio first (1,0271) would give 873,04 €: wrong by 3 cents.
    ratio_first = (Decimal("850.00") * Decimal("1.0271")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert ratio_first == Decimal("873.04")
    assert rent_revise(Decimal("850.00"), Decimal("132.63"), Decimal("136.23")).revised_rent == (
        Decimal("873.07")
    )


def test_half_a_cent_is_rounded_up_not_to_even():
    # 10,03 × 150 ÷ 100 = 15,045 exactly → 15,05 € (banker's rounding would give 15,04 €)
    assert rent_revise(Decimal("10.03"), Decimal("100"), Decimal("150")).revised_rent == Decimal(
        "15.05"
    )


def test_it_refuses_floats_and_non_positive_indexes():
    for args in [
        (850.0, Decimal("100"), Decimal("101")),
        (Decimal("850"), Decimal("0"), Decimal("101")),
        (Decimal("-1"), Decimal("100"), Decimal("101")),
    ]:
        try:
            rent_revise(*args)
        except Refusal:
            continue
        raise AssertionError(f"accepted {args}")


@given(
    rent=st.decimals(min_value=0, max_value=100_000, places=2),
    reference=st.decimals(min_value=50, max_value=300, places=2),
    new=st.decimals(min_value=50, max_value=300, places=2),
)
def test_the_result_is_within_half_a_cent_of_the_exact_value(rent, reference, new):
    result = rent_revise(rent, reference, new)
    assert result.revised_rent == result.revised_rent.quantize(Decimal("0.01"))
    assert abs(result.revised_rent - rent * new / reference) <= Decimal("0.005")
    if new == reference:
        assert result.revised_rent == rent

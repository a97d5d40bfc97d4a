from decimal import Decimal
from types import SimpleNamespace

import pytest

from placette.impact.framework_io import UCLA_ITEMS
from placette.impact.scoring import answer_clean, definition_check, scale_bounds
from placette.lib.refusals import Refusal


def spec(kind, **extra):
    fields = {"label": "Q", "choices": [], "items": [], "item_min": 1, "item_max": 3, **extra}
    return SimpleNamespace(kind=kind, **fields)


def test_a_scale_answer_outside_its_scale_is_refused_with_the_scale_said():
    with pytest.raises(Refusal, match="de 1 à 5"):
        answer_clean(spec("scale5"), "6")
    with pytest.raises(Refusal, match="de 0 à 10"):
        answer_clean(spec("scale10"), "-1")
    with pytest.raises(Refusal, match="entier"):
        answer_clean(spec("scale5"), "3,5")
    assert answer_clean(spec("scale10"), "0") == (Decimal(0), "")


def test_the_ucla_scale_keeps_its_native_score_from_three_to_nine():
    ucla = spec("instrument", items=UCLA_ITEMS)
    assert scale_bounds(ucla) == (3, 9)
    assert answer_clean(ucla, None, ["3", "2", "3"]) == (Decimal(8), "3,2,3")
    with pytest.raises(Refusal, match="chacune des 3 questions"):
        answer_clean(ucla, None, ["3", "", "1"])
    with pytest.raises(Refusal, match="de 1 à 3"):
        answer_clean(ucla, None, ["4", "1", "1"])
    assert answer_clean(ucla, None, ["", "", ""]) == (None, "")


def test_numbers_percentages_yes_no_and_choices_are_checked():
    assert answer_clean(spec("number"), "1 234,5") == (Decimal("1234.5"), "")
    for bad in ("-3", "1e9", "NaN", "beaucoup"):
        with pytest.raises(Refusal):
            answer_clean(spec("number"), bad)
    with pytest.raises(Refusal, match="de 0 à 100"):
        answer_clean(spec("percent"), "101")
    assert answer_clean(spec("yesno"), "oui") == (Decimal(1), "oui")
    with pytest.raises(Refusal, match="oui ou par non"):
        answer_clean(spec("yesno"), "peut-être")
    with pytest.raises(Refusal, match="proposées"):
        answer_clean(spec("choice", choices=["a", "b"]), "c")
    assert answer_clean(spec("text"), "  Un beau moment  ") == (None, "Un beau moment")
    assert answer_clean(spec("number"), "  ") == (None, "")


def test_an_instrument_needs_two_questions_and_a_choice_two_answers():
    with pytest.raises(Refusal) as caught:
        definition_check(spec("instrument", items=["une seule"], item_min=3, item_max=3))
    assert len(caught.value.messages) == 2
    with pytest.raises(Refusal, match="deux réponses"):
        definition_check(spec("choice", choices=["seul"]))
    definition_check(spec("instrument", items=UCLA_ITEMS))

"""Worked examples of docs/governance.md, edge cases and input validation of the tally."""

from fractions import Fraction as F
from pathlib import Path

import pytest

from placette.governance.tally import (
    BOARD_QUORUM,
    EXTRAORDINARY,
    EXTRAORDINARY_PRESENT_OR_REPRESENTED,
    NO_QUORUM,
    ORDINARY,
    SINGLE_COLLEGE_NAME,
    CollegeVotes,
    EmptyCollegePolicy,
    MajorityRule,
    QuorumRule,
    board_outcome,
    check_college_weights,
    default_quorum,
    equal_weights,
    quorum_reached,
    quorum_threshold,
    single_college,
    weighted_outcome,
)
from placette.lib.refusals import Refusal

DOC = Path(__file__).resolve().parents[3] / "docs" / "governance.md"

# The public weights quoted in the reference (40 % / 25 % / 25 % / 10 %).
A, B, C, D = (
    "Bénévoles et salariés",
    "Bénéficiaires individuels",
    "Bénéficiaires professionnels et collectivités",
    "Soutiens",
)
PUBLIC_WEIGHTS = {A: F(2, 5), B: F(1, 4), C: F(1, 4), D: F(1, 10)}


def public(*counts: tuple[int, int, int]) -> list[CollegeVotes]:
    return [
        CollegeVotes(name, weight, *count)
        for (name, weight), count in zip(PUBLIC_WEIGHTS.items(), counts, strict=True)
    ]


def plain(message: object) -> str:
    """The message with its no-break spaces turned into plain spaces."""
    return str(message).replace("\u00a0", " ")


# --------------------------------------------------------------------------------------------
# Worked examples (docs/governance.md)
# --------------------------------------------------------------------------------------------


def test_example_1_weighting_adopts_an_ordinary_resolution_the_headcount_would_reject() -> None:
    colleges = public((12, 3, 1), (150, 170, 10), (4, 6, 0), (20, 60, 0))

    outcome = ORDINARY.outcome(colleges)

    assert outcome.by_college == {A: F(4, 5), B: F(15, 32), C: F(2, 5), D: F(1, 4)}
    assert outcome.effective_weights == PUBLIC_WEIGHTS
    assert outcome.yes_share == F(1799, 3200)
    assert outcome.adopted
    assert not EXTRAORDINARY.outcome(colleges).adopted
    headcount = ORDINARY.outcome([single_college(186, 239, 11)])
    assert headcount.yes_share == F(186, 425)
    assert not headcount.adopted


def test_example_2_exactly_one_half_with_colleges_is_rejected() -> None:
    colleges = public((8, 2, 0), (0, 3, 0), (4, 6, 0), (4, 1, 0))

    outcome = ORDINARY.outcome(colleges)

    assert outcome.by_college == {A: F(4, 5), B: F(0), C: F(2, 5), D: F(4, 5)}
    assert outcome.yes_share == F(1, 2)
    assert not outcome.adopted


def test_example_2_floats_would_have_adopted_the_exact_half() -> None:
    as_floats = sum(
        w * (yes / (yes + no))
        for w, (yes, no) in zip(
            [0.4, 0.25, 0.25, 0.1], [(8, 2), (0, 3), (4, 6), (4, 1)], strict=True
        )
    )
    assert as_floats > 0.5


def test_example_3_exactly_two_thirds_passes_an_extraordinary_resolution() -> None:
    colleges = [
        CollegeVotes("Salariés", F(1, 2), 7, 7),
        CollegeVotes("Usagers", F(3, 10), 13, 5),
        CollegeVotes("Soutiens", F(1, 5), 4, 0, abstain=2),
    ]

    outcome = EXTRAORDINARY.outcome(colleges)

    assert outcome.by_college == {"Salariés": F(1, 2), "Usagers": F(13, 18), "Soutiens": F(1)}
    assert outcome.yes_share == F(2, 3)
    assert outcome.adopted
    assert ORDINARY.outcome(colleges).adopted


def test_example_3_one_more_no_in_the_smallest_college_rejects_it() -> None:
    colleges = [
        CollegeVotes("Salariés", F(1, 2), 7, 7),
        CollegeVotes("Usagers", F(3, 10), 13, 5),
        CollegeVotes("Soutiens", F(1, 5), 4, 1, abstain=1),
    ]

    outcome = EXTRAORDINARY.outcome(colleges)

    assert outcome.yes_share == F(47, 75)
    assert not outcome.adopted


def test_example_4_an_empty_college_is_redistributed_and_the_resolution_passes() -> None:
    colleges = public((3, 5, 0), (30, 10, 0), (5, 5, 0), (0, 0, 2))

    outcome = ORDINARY.outcome(colleges, empty_colleges="redistribute")

    assert outcome.by_college == {A: F(3, 8), B: F(3, 4), C: F(1, 2), D: None}
    assert outcome.effective_weights == {A: F(4, 9), B: F(5, 18), C: F(5, 18), D: F(0)}
    assert outcome.yes_share == F(37, 72)
    assert outcome.adopted
    assert outcome.empty_college_names == (D,)
    assert outcome.weight_lost == 0
    assert outcome.empty_colleges == "redistribute"


def test_example_4_an_empty_college_counted_as_zero_makes_the_resolution_fail() -> None:
    colleges = public((3, 5, 0), (30, 10, 0), (5, 5, 0), (0, 0, 2))

    outcome = ORDINARY.outcome(colleges, empty_colleges="zero")

    assert outcome.by_college == {A: F(3, 8), B: F(3, 4), C: F(1, 2), D: None}
    assert outcome.effective_weights == {A: F(2, 5), B: F(1, 4), C: F(1, 4), D: F(0)}
    assert outcome.yes_share == F(37, 80)
    assert not outcome.adopted
    assert outcome.weight_lost == F(1, 10)
    assert outcome.empty_colleges == "zero"


def test_example_5_exactly_one_half_without_colleges_is_rejected() -> None:
    outcome = ORDINARY.outcome([single_college(40, 40, 7)])

    assert outcome.yes_share == F(1, 2)
    assert not outcome.adopted
    assert outcome.by_college == {SINGLE_COLLEGE_NAME: F(1, 2)}
    assert outcome.effective_weights == {SINGLE_COLLEGE_NAME: F(1)}


def test_example_5_one_more_yes_without_colleges_is_adopted() -> None:
    outcome = ORDINARY.outcome([single_college(41, 40, 7)])

    assert outcome.yes_share == F(41, 81)
    assert outcome.adopted


def test_example_6_abstentions_not_cast_leave_the_extraordinary_resolution_adopted() -> None:
    outcome = EXTRAORDINARY.outcome([single_college(60, 25, 8)])

    assert outcome.yes_share == F(12, 17)
    assert outcome.adopted


def test_example_6_abstentions_counted_against_reject_it_as_in_a_sarl() -> None:
    outcome = EXTRAORDINARY_PRESENT_OR_REPRESENTED.outcome([single_college(60, 25, 8)])

    assert outcome.yes_share == F(20, 31)
    assert not outcome.adopted


@pytest.mark.parametrize("policy", ["redistribute", "zero"])
def test_example_7_nobody_voting_adopts_nothing_and_divides_by_nothing(
    policy: EmptyCollegePolicy,
) -> None:
    weights = equal_weights(["Salariés", "Usagers", "Soutiens"])
    colleges = [
        CollegeVotes(name, weight, 0, 0, abstain)
        for (name, weight), abstain in zip(weights.items(), [5, 0, 2], strict=True)
    ]

    outcome = weighted_outcome(
        colleges,
        majority=F(1, 2),
        inclusive=False,
        empty_colleges=policy,
    )

    assert outcome.yes_share is None
    assert not outcome.adopted
    assert outcome.by_college == dict.fromkeys(weights, None)
    assert outcome.effective_weights == dict.fromkeys(weights, F(0))
    assert outcome.weight_lost == 1


def test_example_8_the_public_weights_and_equal_weights_are_valid() -> None:
    check_college_weights(PUBLIC_WEIGHTS)
    check_college_weights(equal_weights(["Salariés", "Usagers", "Soutiens"]))


def test_example_8_it_rejects_a_college_weighing_more_than_half() -> None:
    with pytest.raises(Refusal) as error:
        check_college_weights({"Salariés": F(55, 100), "Usagers": F(1, 4), "Soutiens": F(1, 5)})

    assert plain(error.value) == (
        "Le collège « Salariés » pèse 55 % : chaque collège doit peser entre 10 % et 50 %."
    )


def test_example_8_it_rejects_fewer_than_three_colleges() -> None:
    with pytest.raises(Refusal) as error:
        check_college_weights({"Salariés": F(1, 2), "Usagers": F(1, 2)})

    assert plain(error.value) == "Il faut au moins 3 collèges de vote ; il n'y en a que 2."


def test_example_8_it_lists_every_college_weighing_less_than_a_tenth() -> None:
    weights = {"A": F(45, 100), "B": F(45, 100), "C": F(5, 100), "D": F(5, 100)}

    with pytest.raises(Refusal) as error:
        check_college_weights(weights)

    assert [plain(m) for m in error.value.messages] == [
        f"Le collège « {name} » pèse 5 % : chaque collège doit peser entre 10 % et 50 %."
        for name in ("C", "D")
    ]


def test_example_8_it_rejects_weights_that_do_not_total_one_hundred_percent() -> None:
    with pytest.raises(Refusal) as error:
        check_college_weights({"A": F(2, 5), "B": F(3, 10), "C": F(1, 5)})

    assert plain(error.value) == (
        "Les poids des collèges totalisent 90 % : ils doivent totaliser exactement 100 %."
    )


def test_example_9_the_quorum_of_an_ordinary_assembly_needs_a_fifth_rounded_up() -> None:
    rule = default_quorum("SA", "AGO", 1)

    assert rule == QuorumRule(F(1, 5))
    assert rule.threshold(803) == 161
    assert not rule.reached(160, 803)
    assert rule.reached(161, 803)
    assert default_quorum("SA", "AGO", 2) == NO_QUORUM


def test_example_9_the_quorum_of_an_extraordinary_assembly_is_a_quarter_then_a_fifth() -> None:
    first, second = default_quorum("SA", "AGE", 1), default_quorum("SA", "AGE", 2)

    assert first is not None and second is not None
    assert first.threshold(803) == 201
    assert second.threshold(803) == 161


def test_example_9_more_than_half_needs_one_more_than_exactly_half() -> None:
    rule = default_quorum("SARL", "AGO", 1)

    assert rule is not None
    assert rule.threshold(800) == 401
    assert not rule.reached(400, 800)
    assert rule.reached(401, 800)


def test_example_10_the_board_quorum_is_half_of_the_directors_rounded_up() -> None:
    assert BOARD_QUORUM.threshold(9) == 5
    assert not BOARD_QUORUM.reached(4, 9)
    assert BOARD_QUORUM.reached(5, 9)


def test_example_10_the_chairs_casting_vote_breaks_a_tie() -> None:
    assert board_outcome(3, 2, 1, chair_vote="yes", casting_vote=True)
    assert not board_outcome(3, 2, 1, chair_vote="yes", casting_vote=False)
    assert not board_outcome(3, 2, 1, chair_vote="no", casting_vote=True)
    assert not board_outcome(3, 2, 1, chair_vote=None, casting_vote=True)


def test_example_10_a_board_abstention_weighs_like_a_no_so_there_is_no_tie_to_break() -> None:
    assert not board_outcome(2, 2, 1, chair_vote="yes", casting_vote=True)
    assert board_outcome(2, 2, 1, chair_vote="yes", casting_vote=True, abstentions="not_cast")


def test_example_10_a_board_majority_needs_no_casting_vote() -> None:
    assert board_outcome(3, 2, 0, chair_vote="no", casting_vote=True)
    assert board_outcome(3, 2, 0, chair_vote=None, casting_vote=False)


@pytest.mark.parametrize(
    "result",
    [
        "**1799/3200**",
        "**1/2** → ordinary",
        "120/180 = **2/3**",
        "**47/75**",
        "**37/72**",
        "**37/80**",
        "**41/81**",
        "**12/17**",
        "**20/31**",
        "**None**",
        "**161**",
        "**201**",
        "**401**",
        "**5** present",
    ],
)
def test_the_documented_results_are_still_in_the_doc(result: str) -> None:
    assert result in DOC.read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Thresholds and edge cases
# --------------------------------------------------------------------------------------------


def test_the_ordinary_and_extraordinary_rules_are_more_than_half_and_at_least_two_thirds() -> None:
    assert MajorityRule(F(1, 2), inclusive=False) == ORDINARY
    assert MajorityRule(F(2, 3), inclusive=True) == EXTRAORDINARY
    assert not ORDINARY.is_met(F(1, 2))
    assert ORDINARY.is_met(F(1, 2) + F(1, 10**9))
    assert EXTRAORDINARY.is_met(F(2, 3))
    assert not EXTRAORDINARY.is_met(F(2, 3) - F(1, 10**9))
    assert not ORDINARY.is_met(None)


def test_the_rules_describe_themselves_in_french_for_the_minutes() -> None:
    assert ORDINARY.label == "plus de la moitié des suffrages exprimés"
    assert EXTRAORDINARY.label == "au moins les deux tiers des suffrages exprimés"
    assert EXTRAORDINARY_PRESENT_OR_REPRESENTED.label == (
        "au moins les deux tiers des voix des associés présents ou représentés"
    )
    assert plain(MajorityRule(F(3, 4), inclusive=True).label) == (
        "au moins 75 % des suffrages exprimés"
    )


def test_no_vote_at_all_without_colleges_is_not_adopted() -> None:
    outcome = ORDINARY.outcome([single_college(0, 0)])

    assert outcome.yes_share is None
    assert not outcome.adopted


def test_unanimous_no_is_a_share_of_zero_not_an_empty_college() -> None:
    outcome = ORDINARY.outcome([single_college(0, 12)])

    assert outcome.yes_share == 0
    assert outcome.by_college == {SINGLE_COLLEGE_NAME: F(0)}
    assert not outcome.adopted


def test_weighted_outcome_takes_the_rule_as_keywords() -> None:
    colleges = public((12, 3, 1), (150, 170, 10), (4, 6, 0), (20, 60, 0))

    assert weighted_outcome(colleges, majority=F(1, 2), inclusive=False) == ORDINARY.outcome(
        colleges
    )


def test_a_college_of_abstainers_is_not_empty_when_abstentions_count_against() -> None:
    colleges = public((3, 5, 0), (30, 10, 0), (5, 5, 0), (0, 0, 2))

    outcome = weighted_outcome(colleges, majority=F(1, 2), inclusive=False, abstentions="against")

    assert outcome.by_college[D] == 0
    assert outcome.effective_weights == PUBLIC_WEIGHTS
    assert outcome.yes_share == F(37, 80)


def test_the_zero_policy_without_empty_college_equals_redistribution() -> None:
    colleges = public((12, 3, 1), (150, 170, 10), (4, 6, 0), (20, 60, 0))

    zero = ORDINARY.outcome(colleges, empty_colleges="zero")
    redistribute = ORDINARY.outcome(colleges, empty_colleges="redistribute")

    assert zero.yes_share == redistribute.yes_share
    assert zero.effective_weights == redistribute.effective_weights


def test_equal_weights_are_exact_thirds() -> None:
    assert equal_weights(["a", "b", "c"]) == {"a": F(1, 3), "b": F(1, 3), "c": F(1, 3)}
    assert sum(equal_weights([str(n) for n in range(7)]).values()) == 1


def test_quorum_reached_compares_exact_shares() -> None:
    assert quorum_reached(1, 4, required=F(1, 4))
    assert not quorum_reached(1, 4, required=F(1, 4), inclusive=False)
    assert quorum_reached(0, 4, required=F(0))
    assert quorum_threshold(4, required=F(0)) == 0
    assert quorum_threshold(4, required=F(1), inclusive=False) == 5


def test_an_sas_has_no_default_quorum() -> None:
    assert default_quorum("SAS", "AGO", 1) is None
    assert default_quorum("SAS", "AGE", 3) is None


def test_nobody_voting_on_the_board_is_no_decision() -> None:
    assert not board_outcome(0, 0, 0, chair_vote=None, casting_vote=True)
    assert not board_outcome(0, 0, 3, chair_vote=None, casting_vote=True)


# --------------------------------------------------------------------------------------------
# Input validation (French messages)
# --------------------------------------------------------------------------------------------


def test_it_rejects_a_negative_count_of_votes() -> None:
    with pytest.raises(ValueError) as error:
        CollegeVotes("Salariés", F(1, 2), yes=-1, no=3)

    assert plain(error.value) == (
        "Collège « Salariés » : le nombre de voix pour ne peut pas être négatif (reçu -1)."
    )


@pytest.mark.parametrize("field", ["no", "abstain"])
def test_it_rejects_negative_no_votes_and_abstentions(field: str) -> None:
    counts = {"yes": 1, "no": 1, "abstain": 1} | {field: -2}

    with pytest.raises(ValueError, match="négatif"):
        CollegeVotes("Salariés", F(1, 2), **counts)


@pytest.mark.parametrize("weight", [F(0), F(-1, 10), F(11, 10)])
def test_it_rejects_a_weight_outside_zero_to_one(weight: F) -> None:
    with pytest.raises(ValueError, match="Salariés"):
        CollegeVotes("Salariés", weight, 1, 1)


def test_it_names_the_college_and_its_weight_when_the_weight_is_out_of_range() -> None:
    with pytest.raises(ValueError) as error:
        CollegeVotes("Salariés", F(3, 2), 1, 1)

    assert plain(error.value) == (
        "Le collège « Salariés » pèse 150 % : un poids doit être supérieur à 0 % "
        "et au plus égal à 100 %."
    )


def test_it_refuses_a_float_weight() -> None:
    with pytest.raises(TypeError, match="virgule flottante"):
        CollegeVotes("Salariés", 0.5, 1, 1)  # type: ignore[arg-type]


def test_it_refuses_a_count_that_is_not_an_integer() -> None:
    with pytest.raises(TypeError, match="entier"):
        CollegeVotes("Salariés", F(1, 2), 1.0, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="entier"):
        CollegeVotes("Salariés", F(1, 2), True, 1)


def test_it_rejects_a_college_without_a_name() -> None:
    with pytest.raises(ValueError, match="nom"):
        CollegeVotes("  ", F(1, 2), 1, 1)


@pytest.mark.parametrize("majority", [F(0), F(1), F(-1, 2), F(3, 2)])
def test_it_rejects_a_majority_outside_zero_to_one(majority: F) -> None:
    with pytest.raises(ValueError, match="majorité requise"):
        weighted_outcome([single_college(1, 0)], majority=majority, inclusive=True)


def test_it_refuses_a_float_majority() -> None:
    with pytest.raises(TypeError):
        MajorityRule(0.5, inclusive=False)  # type: ignore[arg-type]


def test_it_rejects_an_unknown_empty_college_policy() -> None:
    with pytest.raises(ValueError) as error:
        ORDINARY.outcome([single_college(1, 0)], empty_colleges="ignore")  # type: ignore[arg-type]

    assert plain(error.value) == (
        "Valeur inconnue pour la règle des collèges vides : « ignore » "
        "(attendu « redistribute » ou « zero »)."
    )


def test_it_rejects_an_unknown_abstention_rule() -> None:
    with pytest.raises(ValueError, match="abstentions"):
        MajorityRule(F(1, 2), inclusive=False, abstentions="blank")  # type: ignore[arg-type]


def test_it_rejects_a_tally_without_any_college() -> None:
    with pytest.raises(ValueError, match="Aucun collège"):
        ORDINARY.outcome([])


def test_it_rejects_two_colleges_with_the_same_name() -> None:
    colleges = [CollegeVotes("Salariés", F(1, 2), 1, 0), CollegeVotes("Salariés", F(1, 2), 0, 1)]

    with pytest.raises(ValueError, match="apparaît deux fois"):
        ORDINARY.outcome(colleges)


def test_it_rejects_a_tally_whose_weights_do_not_total_one_hundred_percent() -> None:
    colleges = [CollegeVotes("Salariés", F(1, 2), 1, 0), CollegeVotes("Usagers", F(1, 4), 0, 1)]

    with pytest.raises(ValueError) as error:
        ORDINARY.outcome(colleges)

    assert plain(error.value) == (
        "Les poids des collèges totalisent 75 % : ils doivent totaliser exactement 100 %."
    )


def test_it_rejects_more_than_ten_colleges() -> None:
    weights = {f"Collège {n}": F(1, 11) for n in range(11)}

    with pytest.raises(Refusal) as error:
        check_college_weights(weights, min_weight=F(1, 20))

    assert [plain(m) for m in error.value.messages] == [
        "Il ne peut pas y avoir plus de 10 collèges de vote ; il y en a 11."
    ]


def test_the_weight_bounds_are_statutes_settings() -> None:
    weights = {"A": F(60, 100), "B": F(30, 100), "C": F(10, 100)}

    with pytest.raises(Refusal):
        check_college_weights(weights)
    check_college_weights(weights, max_weight=F(2, 3))


def test_it_rounds_a_weight_that_is_not_a_whole_percentage_in_its_message() -> None:
    weights = {"A": F(1, 12), "B": F(11, 24), "C": F(11, 24)}

    with pytest.raises(Refusal) as error:
        check_college_weights(weights)

    assert plain(error.value) == (
        "Le collège « A » pèse environ 8,33 % : chaque collège doit peser entre 10 % et 50 %."
    )


def test_it_rejects_no_college_at_all_when_checking_weights() -> None:
    with pytest.raises(Refusal) as error:
        check_college_weights({})

    assert plain(error.value) == "Il faut au moins 3 collèges de vote ; il n'y en a aucun."


def test_it_rejects_more_members_present_than_on_the_roll() -> None:
    with pytest.raises(ValueError, match="plus d'associés présents"):
        quorum_reached(11, 10, required=F(1, 4))


def test_it_rejects_a_quorum_on_an_empty_roll() -> None:
    with pytest.raises(ValueError, match="Aucun associé"):
        quorum_reached(0, 0, required=F(1, 4))


@pytest.mark.parametrize("required", [F(-1, 4), F(5, 4)])
def test_it_rejects_a_required_quorum_outside_zero_to_one(required: F) -> None:
    with pytest.raises(ValueError, match="quorum requis"):
        quorum_reached(1, 4, required=required)


def test_it_rejects_a_negative_attendance() -> None:
    with pytest.raises(ValueError, match="négatif"):
        quorum_reached(-1, 4, required=F(1, 4))


def test_it_rejects_an_unknown_legal_form_or_a_call_number_below_one() -> None:
    with pytest.raises(ValueError, match="forme juridique"):
        default_quorum("SCOP", "AGO", 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="convocation"):
        default_quorum("SA", "AGO", 0)


def test_it_rejects_a_chair_vote_that_is_not_among_the_counted_votes() -> None:
    with pytest.raises(ValueError, match="voté pour"):
        board_outcome(0, 2, 0, chair_vote="yes", casting_vote=True)
    with pytest.raises(ValueError, match="voté contre"):
        board_outcome(2, 0, 0, chair_vote="no", casting_vote=True)


def test_it_rejects_negative_board_votes() -> None:
    with pytest.raises(ValueError, match="négatif"):
        board_outcome(1, -1, 0, chair_vote=None, casting_vote=True)

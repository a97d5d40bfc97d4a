"""Hypothesis properties of the weighted college tally, the quorum and the board vote."""

from fractions import Fraction as F

from hypothesis import given
from hypothesis import strategies as st

from placette.governance.tally import (
    EXTRAORDINARY,
    EXTRAORDINARY_PRESENT_OR_REPRESENTED,
    ORDINARY,
    ChairVote,
    CollegeVotes,
    EmptyCollegePolicy,
    MajorityRule,
    QuorumRule,
    board_outcome,
    check_college_weights,
    equal_weights,
    single_college,
)

RULES = st.sampled_from([ORDINARY, EXTRAORDINARY, EXTRAORDINARY_PRESENT_OR_REPRESENTED])
POLICIES: st.SearchStrategy[EmptyCollegePolicy] = st.sampled_from(["redistribute", "zero"])
COUNTS = st.integers(min_value=0, max_value=60)


@st.composite
def colleges(draw: st.DrawFn, *, min_size: int = 1, max_size: int = 6) -> list[CollegeVotes]:
    """Colleges with exact weights totalling 1 (any positive ratios, normalised)."""
    ratios = draw(
        st.lists(st.integers(min_value=1, max_value=20), min_size=min_size, max_size=max_size)
    )
    total = sum(ratios)
    return [
        CollegeVotes(f"Collège {n}", F(ratio, total), draw(COUNTS), draw(COUNTS), draw(COUNTS))
        for n, ratio in enumerate(ratios)
    ]


@given(colleges(), RULES, POLICIES, st.data())
def test_moving_a_no_to_a_yes_never_rejects_an_adopted_resolution(
    votes: list[CollegeVotes], rule: MajorityRule, policy: EmptyCollegePolicy, data: st.DataObject
) -> None:
    with_no = [i for i, college in enumerate(votes) if college.no > 0]
    if not with_no:
        return
    i = data.draw(st.sampled_from(with_no))
    college = votes[i]
    more_yes = [
        *votes[:i],
        CollegeVotes(
            college.name, college.weight, college.yes + 1, college.no - 1, college.abstain
        ),
        *votes[i + 1 :],
    ]

    before = rule.outcome(votes, empty_colleges=policy)
    after = rule.outcome(more_yes, empty_colleges=policy)

    assert before.yes_share is not None and after.yes_share is not None
    assert after.yes_share >= before.yes_share
    assert after.adopted or not before.adopted


@given(colleges(), RULES, POLICIES, st.data())
def test_the_result_does_not_depend_on_the_order_of_the_colleges(
    votes: list[CollegeVotes], rule: MajorityRule, policy: EmptyCollegePolicy, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(votes))

    assert rule.outcome(shuffled, empty_colleges=policy) == rule.outcome(
        votes, empty_colleges=policy
    )


@given(colleges(), RULES, POLICIES, st.integers(min_value=1, max_value=50), st.data())
def test_scaling_the_counts_of_a_college_does_not_change_any_share(
    votes: list[CollegeVotes],
    rule: MajorityRule,
    policy: EmptyCollegePolicy,
    k: int,
    data: st.DataObject,
) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(votes) - 1))
    scaled = [*votes[:i], votes[i].scaled(k), *votes[i + 1 :]]

    before = rule.outcome(votes, empty_colleges=policy)
    after = rule.outcome(scaled, empty_colleges=policy)

    assert after.by_college == before.by_college
    assert after == before


@given(COUNTS, COUNTS, COUNTS)
def test_one_college_is_a_plain_majority_of_votes_cast(yes: int, no: int, abstain: int) -> None:
    ordinary = ORDINARY.outcome([single_college(yes, no, abstain)])
    extraordinary = EXTRAORDINARY.outcome([single_college(yes, no, abstain)])

    assert ordinary.adopted == (2 * yes > yes + no)
    assert extraordinary.adopted == (yes + no > 0 and 3 * yes >= 2 * (yes + no))
    assert ordinary.yes_share == (F(yes, yes + no) if yes + no else None)


@given(COUNTS, COUNTS, COUNTS)
def test_one_college_counting_abstentions_is_a_majority_of_those_present(
    yes: int, no: int, abstain: int
) -> None:
    outcome = EXTRAORDINARY_PRESENT_OR_REPRESENTED.outcome([single_college(yes, no, abstain)])

    present = yes + no + abstain
    assert outcome.adopted == (present > 0 and 3 * yes >= 2 * present)


@given(colleges(), RULES)
def test_redistributed_weights_total_one_when_any_college_voted(
    votes: list[CollegeVotes], rule: MajorityRule
) -> None:
    outcome = rule.outcome(votes, empty_colleges="redistribute")

    if outcome.yes_share is None:
        assert sum(outcome.effective_weights.values()) == 0
    else:
        assert sum(outcome.effective_weights.values()) == 1
        assert outcome.weight_lost == 0


@given(colleges(), RULES)
def test_the_zero_policy_loses_exactly_the_weight_of_the_empty_colleges(
    votes: list[CollegeVotes], rule: MajorityRule
) -> None:
    outcome = rule.outcome(votes, empty_colleges="zero")

    empty = {name for name, share in outcome.by_college.items() if share is None}
    assert outcome.weight_lost == sum((c.weight for c in votes if c.name in empty), F(0))


@given(colleges(), RULES, POLICIES)
def test_the_yes_share_is_the_effectively_weighted_sum_of_the_college_shares(
    votes: list[CollegeVotes], rule: MajorityRule, policy: EmptyCollegePolicy
) -> None:
    outcome = rule.outcome(votes, empty_colleges=policy)

    if outcome.yes_share is None:
        assert all(share is None for share in outcome.by_college.values())
        assert not outcome.adopted
        return
    assert 0 <= outcome.yes_share <= 1
    assert outcome.yes_share == sum(
        (
            outcome.effective_weights[name] * share
            for name, share in outcome.by_college.items()
            if share is not None
        ),
        F(0),
    )
    assert all(
        outcome.effective_weights[name] == 0
        for name, share in outcome.by_college.items()
        if share is None
    )


@given(colleges(), RULES)
def test_the_zero_policy_never_adopts_what_redistribution_rejects(
    votes: list[CollegeVotes], rule: MajorityRule
) -> None:
    zero = rule.outcome(votes, empty_colleges="zero")
    redistribute = rule.outcome(votes, empty_colleges="redistribute")

    assert redistribute.adopted or not zero.adopted
    if zero.yes_share is not None:
        assert redistribute.yes_share is not None
        assert redistribute.yes_share >= zero.yes_share


@given(colleges(), RULES, POLICIES)
def test_colleges_with_the_same_share_give_that_share(
    votes: list[CollegeVotes], rule: MajorityRule, policy: EmptyCollegePolicy
) -> None:
    same = [CollegeVotes(c.name, c.weight, 2, 1) for c in votes]

    outcome = rule.outcome(same, empty_colleges=policy)

    assert outcome.yes_share == F(2, 3)
    assert outcome.adopted


@given(st.integers(min_value=3, max_value=10))
def test_equal_weights_are_valid_for_three_to_ten_colleges(count: int) -> None:
    check_college_weights(equal_weights([f"Collège {n}" for n in range(count)]))


@given(
    st.integers(min_value=1, max_value=5000),
    st.fractions(min_value=0, max_value=1, max_denominator=100),
    st.booleans(),
    st.data(),
)
def test_the_quorum_threshold_is_the_first_attendance_that_reaches_the_quorum(
    on_roll: int, required: F, inclusive: bool, data: st.DataObject
) -> None:
    rule = QuorumRule(required, inclusive)
    present = data.draw(st.integers(min_value=0, max_value=on_roll))

    share = F(present, on_roll)
    assert rule.reached(present, on_roll) == (share >= required if inclusive else share > required)
    assert rule.reached(present, on_roll) == (present >= rule.threshold(on_roll))


@given(COUNTS, COUNTS, COUNTS, st.booleans())
def test_the_casting_vote_only_matters_on_an_exact_tie(
    yes: int, no: int, abstain: int, casting_vote: bool
) -> None:
    chair: ChairVote | None = "yes" if yes else None
    with_chair = board_outcome(yes, no, abstain, chair_vote=chair, casting_vote=casting_vote)
    without = board_outcome(yes, no, abstain, chair_vote=None, casting_vote=False)

    present = yes + no + abstain
    assert without == (2 * yes > present)
    if with_chair != without:
        assert 2 * yes == present and casting_vote and chair == "yes"


@given(COUNTS, COUNTS, COUNTS, st.booleans())
def test_one_more_yes_on_the_board_never_undoes_a_decision(
    yes: int, no: int, abstain: int, casting_vote: bool
) -> None:
    if no == 0:
        return
    before = board_outcome(yes, no, abstain, chair_vote=None, casting_vote=casting_vote)
    after = board_outcome(yes + 1, no - 1, abstain, chair_vote=None, casting_vote=casting_vote)

    assert after or not before

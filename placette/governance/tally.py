"""Exact vote arithmetic for the general assembly (AG) and the board (CA) of a SCIC.

This module is pure Python with no Django import, so that an auditor can read it on its own
and hypothesis can test it. Every share is a :class:`fractions.Fraction`; floats are refused
(a float sum can turn an exact 1/2 into 0.5000000000000001 and adopt a rejected resolution).

Rules and sources (see ``docs/governance.md`` for the worked examples, and
``shared/reference/scic-rules.md``). Article numbers of the 1947 law were renumbered in 2022:
check them before printing them in the UI.

- Voting colleges (collèges de vote): loi n° 47-1775 du 10 septembre 1947, art. 19 octies.
  Optional; at least 3; each weighs between 10 % and 50 % of the votes; total 100 %.
- Votes cast (suffrages exprimés): abstentions, blank and void ballots are not votes cast
  (Code de commerce L225-96, L225-98 and L225-107 since 2019). The older rule, still the one
  of L223-30 for an extraordinary decision of a SARL, counts them against.
- Ordinary resolution: adopted iff the yes share is more than 1/2; extraordinary: at least 2/3.
- Board (conseil d'administration of an SA): quorum half of the directors; majority of those
  present or represented; the chair's vote decides a tie unless the statutes say otherwise.

Every value the reference marks *to verify* is a parameter with the reference value as its
default, so the Django layer can read it from the statutes settings.

User-facing messages are in French and use no-break spaces (U+00A0) inside « » and before
``%`` and ``:``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal, cast, get_args

from placette.lib.money import ratio_percent as _percent

# The statutory weights rule lives with the statutes (membership); re-exported here.
from placette.membership.colleges import (
    MAX_COLLEGE_WEIGHT,
    MAX_COLLEGES,
    MIN_COLLEGE_WEIGHT,
    MIN_COLLEGES,
    check_college_weights,
    equal_weights,
)
from placette.membership.colleges import NBSP as _NBSP
from placette.membership.colleges import count_value as _count
from placette.membership.colleges import exact_fraction as _exact
from placette.membership.colleges import quoted as _quoted
from placette.membership.colleges import weights_total_message as _weights_total_message

__all__ = [
    "BOARD_QUORUM",
    "EXTRAORDINARY",
    "EXTRAORDINARY_PRESENT_OR_REPRESENTED",
    "MAX_COLLEGES",
    "MAX_COLLEGE_WEIGHT",
    "MIN_COLLEGES",
    "MIN_COLLEGE_WEIGHT",
    "NO_QUORUM",
    "ORDINARY",
    "SINGLE_COLLEGE_NAME",
    "AbstentionRule",
    "ChairVote",
    "CollegeVotes",
    "EmptyCollegePolicy",
    "LegalForm",
    "MajorityRule",
    "MeetingKind",
    "Outcome",
    "QuorumRule",
    "board_outcome",
    "check_college_weights",
    "default_quorum",
    "equal_weights",
    "quorum_reached",
    "quorum_threshold",
    "single_college",
    "weighted_outcome",
]

EmptyCollegePolicy = Literal["redistribute", "zero"]
"""What happens to the weight of a college in which no vote was cast (statutes setting)."""

AbstentionRule = Literal["not_cast", "against"]
"""Whether abstentions, blank and void ballots are left out ("not_cast") or count as no."""

ChairVote = Literal["yes", "no"]
LegalForm = Literal["SA", "SARL", "SAS"]
MeetingKind = Literal["AGO", "AGE"]


SINGLE_COLLEGE_NAME: Final = "Ensemble des associés"
"""Name of the one college of weight 1 used by a meeting without voting colleges."""


# --------------------------------------------------------------------------------------------
# Formatting and validation helpers (French messages)
# --------------------------------------------------------------------------------------------


def _flag(value: object, *, label: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{label} doit valoir True ou False, pas {value!r}.")
    return value


def _choice[T: str](value: object, allowed: tuple[T, ...], *, label: str) -> T:
    for option in allowed:
        if value == option:
            return option
    expected = " ou ".join(_quoted(option) for option in allowed)
    raise ValueError(
        f"Valeur inconnue pour {label}{_NBSP}: {_quoted(str(value))} (attendu {expected})."
    )


# --------------------------------------------------------------------------------------------
# Majority rules
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MajorityRule:
    """The threshold a resolution must reach, and what counts as a vote.

    ``majority`` is a fraction strictly between 0 and 1. With ``inclusive=False`` the yes share
    must be *more than* ``majority`` (ordinary resolution: more than half, so exactly 1/2 fails);
    with ``inclusive=True`` it must be *at least* ``majority`` (extraordinary resolution: at
    least two thirds, so exactly 2/3 passes).

    ``abstentions="not_cast"`` (default, Code de commerce L225-96 / L225-98 / L225-107 since
    2019): abstentions, blank and void ballots are not votes cast and are left out of the
    count. ``abstentions="against"``: the count is over those present or represented, so an
    abstention weighs like a no (older SA rule, and L223-30 for an extraordinary decision of a
    SARL). Rule sets are versioned: the statutes setting says which one applies.
    """

    majority: Fraction
    inclusive: bool
    abstentions: AbstentionRule = "not_cast"

    def __post_init__(self) -> None:
        majority = _exact(self.majority, label="La majorité requise")
        if not 0 < majority < 1:
            raise ValueError(
                f"La majorité requise doit être strictement comprise entre 0{_NBSP}% et "
                f"100{_NBSP}% (reçu {_percent(majority)})."
            )
        object.__setattr__(self, "majority", majority)
        _flag(self.inclusive, label="Le caractère inclusif du seuil (inclusive)")
        abstentions = _choice(
            self.abstentions, get_args(AbstentionRule), label="la règle de compte des abstentions"
        )
        object.__setattr__(self, "abstentions", abstentions)

    def counted(self, college: CollegeVotes) -> int:
        """Number of votes the share is computed over: votes cast, or all present."""
        if self.abstentions == "against":
            return college.yes + college.no + college.abstain
        return college.yes + college.no

    def college_share(self, college: CollegeVotes) -> Fraction | None:
        """Yes share inside one college, or None when nothing was counted there (empty)."""
        counted = self.counted(college)
        return Fraction(college.yes, counted) if counted else None

    def is_met(self, share: Fraction | None) -> bool:
        """True iff ``share`` reaches the threshold; no vote at all (None) is never adopted."""
        if share is None:
            return False
        return share >= self.majority if self.inclusive else share > self.majority

    def outcome(
        self,
        colleges: Sequence[CollegeVotes],
        *,
        empty_colleges: EmptyCollegePolicy = "redistribute",
    ) -> Outcome:
        """Shortcut for :func:`weighted_outcome` with this rule."""
        return weighted_outcome(
            colleges,
            majority=self.majority,
            inclusive=self.inclusive,
            empty_colleges=empty_colleges,
            abstentions=self.abstentions,
        )

    @property
    def label(self) -> str:
        """The rule in French for the minutes: « plus de la moitié des suffrages exprimés »."""
        names = {Fraction(1, 2): "la moitié", Fraction(2, 3): "les deux tiers"}
        amount = names.get(self.majority, _percent(self.majority))
        base = (
            "des voix des associés présents ou représentés"
            if self.abstentions == "against"
            else "des suffrages exprimés"
        )
        return f"{'au moins' if self.inclusive else 'plus de'} {amount} {base}"


ORDINARY: Final = MajorityRule(Fraction(1, 2), inclusive=False)
"""Ordinary resolution (AGO): more than half of the votes cast; exactly 1/2 is rejected."""

EXTRAORDINARY: Final = MajorityRule(Fraction(2, 3), inclusive=True)
"""Extraordinary resolution (AGE, SA, L225-96): at least two thirds of the votes cast."""

EXTRAORDINARY_PRESENT_OR_REPRESENTED: Final = MajorityRule(
    Fraction(2, 3), inclusive=True, abstentions="against"
)
"""Extraordinary decision of a SARL (L223-30): two thirds of those present or represented."""


# --------------------------------------------------------------------------------------------
# Colleges and the weighted tally
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CollegeVotes:
    """The ballots of one voting college.

    ``weight`` is the statutory weight of the college (e.g. ``Fraction(20, 100)``), in (0, 1].
    ``abstain`` gathers abstentions, blank and void ballots: they are not votes cast under the
    default rule. A proxy vote is counted in the college of the member who *gave* the proxy.
    """

    name: str
    weight: Fraction
    yes: int
    no: int
    abstain: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("Chaque collège doit avoir un nom.")
        college = f"Collège {_quoted(self.name)}{_NBSP}:"
        weight = _exact(self.weight, label=f"{college} le poids")
        if not 0 < weight <= 1:
            raise ValueError(
                f"Le collège {_quoted(self.name)} pèse {_percent(weight)}{_NBSP}: un poids doit "
                f"être supérieur à 0{_NBSP}% et au plus égal à 100{_NBSP}%."
            )
        object.__setattr__(self, "weight", weight)
        _count(self.yes, label=f"{college} le nombre de voix pour")
        _count(self.no, label=f"{college} le nombre de voix contre")
        _count(self.abstain, label=f"{college} le nombre d'abstentions, blancs et nuls")

    @property
    def cast(self) -> int:
        """Votes cast (suffrages exprimés): yes + no."""
        return self.yes + self.no

    def scaled(self, factor: int) -> CollegeVotes:
        """The same college with every count multiplied by ``factor`` (same shares)."""
        return CollegeVotes(
            self.name, self.weight, self.yes * factor, self.no * factor, self.abstain * factor
        )


@dataclass(frozen=True)
class Outcome:
    """The result of a weighted college vote.

    - ``adopted``: whether the resolution passes under ``rule``.
    - ``yes_share``: the weighted yes share P; None when no vote was counted in any college.
    - ``by_college``: the yes share p_c inside each college (None for an empty college).
    - ``effective_weights``: the weight with which each college's p_c actually counted, after
      the empty-college policy. Always ``yes_share == Σ effective_weights[c] · by_college[c]``
      over the colleges that voted; an empty college always has effective weight 0.
    - ``rule`` and ``empty_colleges``: the settings used, to be shown with the result (the
      empty-college policy can flip an outcome).
    """

    adopted: bool
    yes_share: Fraction | None
    by_college: dict[str, Fraction | None]
    effective_weights: dict[str, Fraction]
    rule: MajorityRule
    empty_colleges: EmptyCollegePolicy

    @property
    def empty_college_names(self) -> tuple[str, ...]:
        """Colleges in which no vote was counted, in input order."""
        return tuple(name for name, share in self.by_college.items() if share is None)

    @property
    def weight_lost(self) -> Fraction:
        """Statutory weight that counted for nobody: the empty colleges' under "zero", else 0.

        When no vote was counted at all, the whole weight (1) is lost under both policies.
        """
        return 1 - sum(self.effective_weights.values(), Fraction(0))


def single_college(yes: int, no: int, abstain: int = 0) -> CollegeVotes:
    """The one college of weight 1 of a meeting without voting colleges (plain headcount)."""
    return CollegeVotes(SINGLE_COLLEGE_NAME, Fraction(1), yes, no, abstain)


def weighted_outcome(
    colleges: Sequence[CollegeVotes],
    *,
    majority: Fraction,
    inclusive: bool,
    empty_colleges: EmptyCollegePolicy = "redistribute",
    abstentions: AbstentionRule = "not_cast",
) -> Outcome:
    """Tally a resolution voted by weighted colleges (loi 47-1775 art. 19 octies).

    Rule (reference ``scic-rules.md``, « Computing a college vote »):

    1. Inside each college c, p_c = yes_c / (yes_c + no_c): abstentions, blank and void ballots
       are not votes cast (L225-96 / L225-98 / L225-107 since 2019). With
       ``abstentions="against"`` the denominator is yes + no + abstain instead (L223-30).
       A college is *empty* when that denominator is 0 (by default: yes + no == 0).
    2. The law is silent on empty colleges; the statutes decide (setting ``empty_colleges``):

       - ``"redistribute"`` (default): the empty colleges' weight is shared among the colleges
         that voted, in proportion to their own weights. With V the colleges that voted,
         effective weight e_c = w_c / Σ_{d∈V} w_d, so the e_c sum to 1 and
         P = Σ_{c∈V} w_c · p_c / Σ_{c∈V} w_c.
       - ``"zero"``: an empty college keeps its weight but it counts for nobody; it is weight
         lost, which in effect weighs against adoption since the threshold is measured on the
         full 100 %. e_c = w_c for the colleges that voted, so the e_c sum to 1 - (weight of the
         empty colleges) and P = Σ_{c∈V} w_c · p_c. The same as counting an empty college as
         p_c = 0.

       Under both policies an empty college has effective weight 0. Redistribution divides by
       Σ_{c∈V} w_c ≤ 1, so it never gives a lower P than "zero": "zero" never adopts a
       resolution that "redistribute" rejects, but the converse can happen.
    3. Adopted iff P > ``majority`` (``inclusive=False``, ordinary: more than 1/2) or
       P ≥ ``majority`` (``inclusive=True``, extraordinary: at least 2/3). If no vote was
       counted in any college, P is None and the resolution is not adopted (no division by 0).

    A meeting without colleges passes ``[single_college(yes, no, abstain)]``: the result is the
    plain headcount of votes cast. The colleges' weights must total exactly 1 (checked here);
    the stricter statutory bounds are checked by :func:`check_college_weights`.

    Raises ValueError (French message) on an empty list of colleges, duplicate names, weights
    not totalling 100 %, a majority outside (0, 1) or an unknown policy.
    """
    rule = MajorityRule(majority, inclusive, abstentions)
    policy = _choice(
        empty_colleges, get_args(EmptyCollegePolicy), label="la règle des collèges vides"
    )
    if not colleges:
        raise ValueError(
            f"Aucun collège de vote n'a été fourni{_NBSP}: une assemblée sans collèges compte ses "
            f"voix comme un collège unique de poids 100{_NBSP}%."
        )
    seen: set[str] = set()
    for college in colleges:
        if not isinstance(college, CollegeVotes):
            raise TypeError(f"Attendu un CollegeVotes, reçu {type(college).__name__}.")
        if college.name in seen:
            raise ValueError(f"Le collège {_quoted(college.name)} apparaît deux fois.")
        seen.add(college.name)
    total = sum((college.weight for college in colleges), Fraction(0))
    if total != 1:
        raise ValueError(_weights_total_message(total))

    by_college = {college.name: rule.college_share(college) for college in colleges}
    voted_weight = sum(
        (college.weight for college in colleges if by_college[college.name] is not None),
        Fraction(0),
    )
    if voted_weight == 0:
        return Outcome(
            adopted=False,
            yes_share=None,
            by_college=by_college,
            effective_weights={college.name: Fraction(0) for college in colleges},
            rule=rule,
            empty_colleges=policy,
        )

    # "zero" keeps the statutory weights (the empty colleges' weight is lost); "redistribute"
    # scales the voting colleges up so that their weights total 100 %.
    scale = 1 / voted_weight if policy == "redistribute" else Fraction(1)
    effective_weights = {
        college.name: college.weight * scale
        if by_college[college.name] is not None
        else Fraction(0)
        for college in colleges
    }
    yes_share = sum(
        (
            effective_weights[name] * share
            for name, share in by_college.items()
            if share is not None
        ),
        Fraction(0),
    )
    return Outcome(
        adopted=rule.is_met(yes_share),
        yes_share=yes_share,
        by_college=by_college,
        effective_weights=effective_weights,
        rule=rule,
        empty_colleges=policy,
    )


# --------------------------------------------------------------------------------------------
# Quorum
# --------------------------------------------------------------------------------------------


def quorum_threshold(on_roll: int, *, required: Fraction, inclusive: bool = True) -> int:
    """Smallest number of members present or represented that reaches the quorum.

    ``inclusive=True`` (the usual wording, « au moins le quart »): ⌈required · on_roll⌉.
    ``inclusive=False`` (« plus de la moitié »): ⌊required · on_roll⌋ + 1. It can exceed
    ``on_roll`` (e.g. more than 100 % required), in which case the quorum cannot be reached.
    """
    on_roll = _count(on_roll, label="Le nombre d'associés ayant le droit de vote")
    required = _check_required(required)
    _flag(inclusive, label="Le caractère inclusif du quorum (inclusive)")
    exact = required * on_roll
    return math.ceil(exact) if inclusive else math.floor(exact) + 1


def _check_required(required: object) -> Fraction:
    value = _exact(required, label="Le quorum requis")
    if not 0 <= value <= 1:
        raise ValueError(
            f"Le quorum requis doit être compris entre 0{_NBSP}% et 100{_NBSP}% "
            f"(reçu {_percent(value)})."
        )
    return value


def quorum_reached(
    present_or_represented: int, on_roll: int, *, required: Fraction, inclusive: bool = True
) -> bool:
    """Whether the members present or represented reach the quorum.

    Rule: present_or_represented / on_roll ≥ ``required`` (``inclusive=True``, « au moins »)
    or > ``required`` (``inclusive=False``, « plus de »), exactly. Members present, taking part
    remotely (when the statutes allow it), represented by a proxy, and postal votes received
    before the meeting all count (Code de commerce L225-107). ``on_roll`` is the number of
    members with a right to vote on the day. The quorum is one member one vote: colleges do
    not weigh in it (the reference describes no weighted quorum). The required share depends
    on the legal form, the kind of meeting and the call (statutes setting; see
    :func:`default_quorum`); ``required=0`` means no quorum.
    """
    present = _count(present_or_represented, label="Le nombre d'associés présents ou représentés")
    roll = _count(on_roll, label="Le nombre d'associés ayant le droit de vote")
    if roll == 0:
        raise ValueError(
            f"Aucun associé n'a le droit de vote{_NBSP}: le quorum ne peut pas être calculé."
        )
    if present > roll:
        raise ValueError(
            f"Il y a plus d'associés présents ou représentés ({present}) que d'associés ayant "
            f"le droit de vote ({roll})."
        )
    share = Fraction(present, roll)
    value = _check_required(required)
    _flag(inclusive, label="Le caractère inclusif du quorum (inclusive)")
    return share >= value if inclusive else share > value


@dataclass(frozen=True)
class QuorumRule:
    """A quorum as a statutes setting: the share of members that must be present or
    represented, and whether reaching it exactly is enough (``inclusive``)."""

    required: Fraction
    inclusive: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "required", _check_required(self.required))
        _flag(self.inclusive, label="Le caractère inclusif du quorum (inclusive)")

    def reached(self, present_or_represented: int, on_roll: int) -> bool:
        return quorum_reached(
            present_or_represented, on_roll, required=self.required, inclusive=self.inclusive
        )

    def threshold(self, on_roll: int) -> int:
        return quorum_threshold(on_roll, required=self.required, inclusive=self.inclusive)


NO_QUORUM: Final = QuorumRule(Fraction(0))

BOARD_QUORUM: Final = QuorumRule(Fraction(1, 2))
"""Board (CA of an SA): at least half of the directors."""

_DEFAULT_QUORUMS: Final[dict[tuple[LegalForm, MeetingKind, bool], QuorumRule]] = {
    # (legal form, meeting, first call?) → reference table « Quorum (defaults) »
    ("SA", "AGO", True): QuorumRule(Fraction(1, 5)),  # to verify
    ("SA", "AGO", False): NO_QUORUM,
    ("SA", "AGE", True): QuorumRule(Fraction(1, 4)),  # L225-96
    ("SA", "AGE", False): QuorumRule(Fraction(1, 5)),  # L225-96
    ("SARL", "AGO", True): QuorumRule(Fraction(1, 2), inclusive=False),  # to verify
    ("SARL", "AGO", False): NO_QUORUM,  # to verify: majority of votes cast
    ("SARL", "AGE", True): QuorumRule(Fraction(1, 4)),  # L223-30
    ("SARL", "AGE", False): QuorumRule(Fraction(1, 5)),  # L223-30
}


def default_quorum(legal_form: LegalForm, meeting: MeetingKind, call: int) -> QuorumRule | None:
    """The legal default quorum, used as the initial value of the statutes setting.

    From the reference table: SA AGO 1/5 on first call (to verify), none on later calls; SA AGE
    1/4 then 1/5 (L225-96); SARL AGO more than 1/2 on first consultation (to verify), then none;
    SARL AGE 1/4 then 1/5 (L223-30). Statutes may raise them. Returns None for an SAS: the
    statutes decide (L227-9), there is no legal default.
    """
    form = _choice(legal_form, get_args(LegalForm), label="la forme juridique")
    kind = _choice(meeting, get_args(MeetingKind), label="le type d'assemblée")
    number = _count(call, label="Le numéro de convocation")
    if number < 1:
        raise ValueError("Le numéro de convocation commence à 1.")
    if form == "SAS":
        return None
    return _DEFAULT_QUORUMS[(form, kind, number == 1)]


# --------------------------------------------------------------------------------------------
# Board
# --------------------------------------------------------------------------------------------


def board_outcome(
    yes: int,
    no: int,
    abstain: int,
    *,
    chair_vote: ChairVote | None,
    casting_vote: bool,
    abstentions: AbstentionRule = "against",
) -> bool:
    """Decision of the board (CA): a headcount majority, with the chair's casting vote on a tie.

    Rule (reference « Board (CA, SA) »): decisions are taken by a majority of the directors
    present or represented (one proxy per director, counted in ``yes``/``no``/``abstain``).
    So by default (``abstentions="against"``) the base is yes + no + abstain and an abstention
    weighs like a no: adopted iff 2 · yes > yes + no + abstain. A *tie* is when exactly half of
    the base voted yes (2 · yes == base); then, if the statutes give the chair a casting vote
    (``casting_vote``, the default of the law unless the statutes say otherwise), the chair's
    own vote decides: adopted iff ``chair_vote == "yes"``. ``chair_vote=None`` means the chair
    abstained or did not vote, so nothing breaks the tie. Nobody voting is never a decision.

    With ``abstentions="not_cast"`` (possible in an SAS, whose statutes decide) the base is
    yes + no and a tie is yes == no.

    The board quorum (half of the directors, :data:`BOARD_QUORUM`) is checked separately.
    """
    yes = _count(yes, label="Le nombre de voix pour")
    no = _count(no, label="Le nombre de voix contre")
    abstain = _count(abstain, label="Le nombre d'abstentions")
    _flag(casting_vote, label="La voix prépondérante du président (casting_vote)")
    rule = _choice(
        abstentions, get_args(AbstentionRule), label="la règle de compte des abstentions"
    )
    if chair_vote is not None:
        _choice(chair_vote, get_args(ChairVote), label="le vote du président")
    if chair_vote == "yes" and yes == 0:
        raise ValueError("Le président a voté pour, mais aucune voix pour n'est comptée.")
    if chair_vote == "no" and no == 0:
        raise ValueError("Le président a voté contre, mais aucune voix contre n'est comptée.")

    base = yes + no + abstain if rule == "against" else yes + no
    if base == 0:
        return False
    if 2 * yes > base:
        return True
    # Only a tie can be broken, and only in favour of the side the chair voted with.
    return 2 * yes == base and casting_vote and chair_vote == "yes"


# --------------------------------------------------------------------------------------------
# Elections: who fills the seats
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One candidate of an election: whether their resolution (« élection de … ») was adopted,
    its weighted share of yes, and their seniority (the member number: lower is older), the
    statutes' tie rule."""

    key: int
    adopted: bool
    yes_share: Fraction | None
    seniority: int


@dataclass(frozen=True)
class ElectionOutcome:
    elected: tuple[int, ...]
    """Keys of the elected, in rank order."""
    ranking: tuple[int, ...]
    """Keys of every candidate whose resolution was adopted, in rank order."""
    tie_broken: tuple[int, ...]
    """Keys of the candidates tied at the last seat, separated by seniority."""


def election_outcome(candidates: list[Candidate], *, seats: int) -> ElectionOutcome:
    """The elected: among the candidates whose resolution was adopted (the majority of their
    resolution, with the college weights), the `seats` with the highest weighted share of yes;
    at equal share the oldest member (lowest member number) comes first."""
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise ValueError("Une élection pourvoit au moins un siège.")
    if len({c.key for c in candidates}) != len(candidates):
        raise ValueError("Chaque candidat·e n’est compté·e qu’une fois.")
    for c in candidates:
        if c.adopted and c.yes_share is None:
            raise ValueError("Un·e candidat·e élu·e a une part de voix « pour ».")
    adopted = sorted(
        (c for c in candidates if c.adopted),
        key=lambda c: (-cast(Fraction, c.yes_share), c.seniority, c.key),
    )
    elected = adopted[:seats]
    tie_broken: tuple[int, ...] = ()
    if len(adopted) > seats and adopted[seats - 1].yes_share == adopted[seats].yes_share:
        share = adopted[seats].yes_share
        tie_broken = tuple(c.key for c in adopted if c.yes_share == share)
    return ElectionOutcome(
        elected=tuple(c.key for c in elected),
        ranking=tuple(c.key for c in adopted),
        tie_broken=tie_broken,
    )

"""The statutory weights of the voting colleges of a SCIC (loi n° 47-1775 du 10 septembre
1947, art. 19 octies): at least 3 colleges, each weighing between 10 % and 50 % of the votes,
100 % in all. The statutes (membership's settings) fix them; governance's tally weighs the
votes with them.

Pure Python with no Django import, like ``governance/tally.py`` which imports it (governance
may read membership, never the reverse). User-facing messages are in French and use no-break
spaces (U+00A0) inside « » and before ``%`` and ``:``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Final

from placette.lib.money import ratio_percent
from placette.lib.refusals import Refusal

__all__ = [
    "MAX_COLLEGES",
    "MAX_COLLEGE_WEIGHT",
    "MIN_COLLEGES",
    "MIN_COLLEGE_WEIGHT",
    "NBSP",
    "check_college_weights",
    "count_value",
    "equal_weights",
    "exact_fraction",
    "quoted",
    "weights_total_message",
]

NBSP: Final = "\u00a0"

# Loi 47-1775 art. 19 octies (to verify): statutes settings, these are only the defaults.
MIN_COLLEGES: Final = 3
MAX_COLLEGES: Final = 10
MIN_COLLEGE_WEIGHT: Final = Fraction(1, 10)
MAX_COLLEGE_WEIGHT: Final = Fraction(1, 2)


def quoted(name: str) -> str:
    return f"«{NBSP}{name}{NBSP}»"


def exact_fraction(value: object, *, label: str) -> Fraction:
    """Return ``value`` as a Fraction; only ``Fraction`` and ``int`` are accepted (no floats)."""
    if isinstance(value, bool) or not isinstance(value, Fraction | int):
        raise TypeError(
            f"{label} doit être une fraction exacte (Fraction ou entier), "
            f"pas {type(value).__name__}{NBSP}: les nombres à virgule flottante sont refusés."
        )
    return Fraction(value)


def count_value(value: object, *, label: str) -> int:
    """Check that ``value`` is a non-negative integer count of votes or people."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{label} doit être un nombre entier, pas {type(value).__name__}.")
    if value < 0:
        raise ValueError(f"{label} ne peut pas être négatif (reçu {value}).")
    return value


def weights_total_message(total: Fraction) -> str:
    return (
        f"Les poids des collèges totalisent {ratio_percent(total)}{NBSP}: ils doivent totaliser "
        f"exactement 100{NBSP}%."
    )


def equal_weights(names: Sequence[str]) -> dict[str, Fraction]:
    """Equal weights, the default of art. 19 octies: each of n colleges weighs exactly 1/n."""
    if not names:
        raise ValueError("Il faut au moins un collège pour répartir les voix.")
    if len(set(names)) != len(names):
        raise ValueError("Deux collèges portent le même nom.")
    return {name: Fraction(1, len(names)) for name in names}


def check_college_weights(
    weights: Mapping[str, Fraction],
    *,
    min_colleges: int = MIN_COLLEGES,
    max_colleges: int = MAX_COLLEGES,
    min_weight: Fraction = MIN_COLLEGE_WEIGHT,
    max_weight: Fraction = MAX_COLLEGE_WEIGHT,
) -> None:
    """Check the statutory weights of the voting colleges (loi 47-1775 art. 19 octies).

    Rule: at least 3 colleges and at most 10; each college weighs between 10 % and 50 % of the
    votes, bounds included; the weights total exactly 100 %. Equal weights are the legal
    default (see :func:`equal_weights`). Capital may never be a weighting criterion: that is a
    rule on how the statutes choose the weights, not on their values, so it is not checked here.

    The reference marks these bounds *to verify* (and the maximum of 10 colleges is not in it):
    they are keyword parameters with these defaults, read from the statutes settings.

    Raises a :class:`~placette.lib.refusals.Refusal` listing every problem, each naming the
    offending college and value, e.g. « Le collège « Salariés » pèse 55 % : chaque collège doit
    peser entre 10 % et 50 %. »
    """
    min_weight = exact_fraction(min_weight, label="Le poids minimal d'un collège")
    max_weight = exact_fraction(max_weight, label="Le poids maximal d'un collège")
    count_value(min_colleges, label="Le nombre minimal de collèges")
    count_value(max_colleges, label="Le nombre maximal de collèges")
    if not 0 < min_weight <= max_weight <= 1 or not 1 <= min_colleges <= max_colleges:
        raise ValueError("Les bornes des collèges (nombre et poids) sont incohérentes.")

    messages: list[str] = []
    count = len(weights)
    if count < min_colleges:
        found = f"il n'y en a que {count}" if count else "il n'y en a aucun"
        messages.append(f"Il faut au moins {min_colleges} collèges de vote{NBSP}; {found}.")
    elif count > max_colleges:
        messages.append(
            f"Il ne peut pas y avoir plus de {max_colleges} collèges de vote{NBSP}; "
            f"il y en a {count}."
        )
    total = Fraction(0)
    for name, raw in weights.items():
        if not isinstance(name, str) or not name.strip():
            messages.append("Chaque collège doit avoir un nom.")
            continue
        weight = exact_fraction(raw, label=f"Le poids du collège {quoted(name)}")
        total += weight
        if not min_weight <= weight <= max_weight:
            messages.append(
                f"Le collège {quoted(name)} pèse {ratio_percent(weight)}{NBSP}: chaque collège "
                f"doit peser entre {ratio_percent(min_weight)} et {ratio_percent(max_weight)}."
            )
    if count and total != 1:
        messages.append(weights_total_message(total))
    if messages:
        raise Refusal(messages)

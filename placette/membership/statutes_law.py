"""What the law fixes in a SCIC's statutes: a statutes version that breaks it is refused.

Pure Python (no Django import), like `ledger.py`: `statutes_law_problems(data, weights)` lists
every rule of the law a proposed statutes version breaks, each French sentence naming the
article. The statutes settings may be *stricter* than the law (a college minimum of 15 %, a
higher floor, a longer notice) but never looser:

- voting colleges (loi n° 47-1775 du 10 septembre 1947, art. 19 octies): at least three, each
  weighing between 10 % and 50 % of the votes — the legal bounds are checked whatever the
  bounds the version itself states, and those bounds may not be looser than the law;
- an SA's capital may never fall below 18 500 € (art. 27, al. 2 of the same law: half the
  capital of an ordinary SA), so an SA's statutes state a floor of at least that amount
  (the « plancher : montant fixe » setting);
- an SA's general meeting is convened at least 15 days before on first call and 10 days on
  later calls (Code de commerce R225-69);
- a holder may carry at least one proxy (Code de commerce L225-106: a member may be
  represented by another member);
- local authorities together hold at most 50 % of the capital (art. 19 septies): the
  setting cannot exceed it (also a database constraint).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

from placette.lib.money import euros, percent, ratio_percent

ART_COLLEGES: Final = "loi n° 47-1775 du 10 septembre 1947, art. 19 octies"
ART_AUTHORITIES: Final = "loi n° 47-1775 du 10 septembre 1947, art. 19 septies"
ART_SA_CAPITAL: Final = "loi n° 47-1775 du 10 septembre 1947, art. 27, al. 2"
ART_NOTICE: Final = "code de commerce, art. R225-69"
ART_PROXY: Final = "code de commerce, art. L225-106"

LEGAL_MIN_COLLEGES: Final = 3
LEGAL_MIN_COLLEGE: Final = Fraction(1, 10)
LEGAL_MAX_COLLEGE: Final = Fraction(1, 2)
SA_MIN_CAPITAL: Final = Decimal(18500)
SA_NOTICE_FIRST_CALL: Final = 15
SA_NOTICE_LATER_CALLS: Final = 10
AUTHORITIES_MAX: Final = Decimal(50)


def _fraction(value: Any) -> Fraction:
    return Fraction(Decimal(value)) if not isinstance(value, Fraction) else value


def statutes_law_problems(data: Mapping[str, Any], weights: Mapping[str, Any]) -> list[str]:
    """Every rule of the law broken by a statutes version (`data`: the settings by field name;
    `weights`: college name → weight in %). Empty when the version is lawful."""
    problems: list[str] = []
    if data.get("colleges_enabled"):
        problems += _college_problems(data, weights)
    legal_form = data.get("legal_form")
    if legal_form == "SA":
        floor = data.get("floor_amount")
        if floor is None:
            problems.append(
                f"Une SCIC SA doit fixer un plancher de capital d’au moins "
                f"{euros(SA_MIN_CAPITAL, cents=False)} ({ART_SA_CAPITAL}) : renseignez "
                "« plancher : montant fixe »."
            )
        elif Decimal(floor) < SA_MIN_CAPITAL:
            problems.append(
                f"Le plancher de capital d’une SCIC SA ne peut pas être inférieur à "
                f"{euros(SA_MIN_CAPITAL, cents=False)} ({ART_SA_CAPITAL}) ; il est de "
                f"{euros(Decimal(floor))}."
            )
        first = data.get("notice_days_first_call")
        if first is not None and int(first) < SA_NOTICE_FIRST_CALL:
            problems.append(
                f"L’assemblée d’une SA est convoquée au moins {SA_NOTICE_FIRST_CALL} jours à "
                f"l’avance sur première convocation ({ART_NOTICE}) ; les statuts disent {first}."
            )
        later = data.get("notice_days_second_call")
        if later is not None and int(later) < SA_NOTICE_LATER_CALLS:
            problems.append(
                f"L’assemblée d’une SA est convoquée au moins {SA_NOTICE_LATER_CALLS} jours à "
                f"l’avance sur convocation suivante ({ART_NOTICE}) ; les statuts disent {later}."
            )
    cap = data.get("proxy_cap")
    if cap is not None and int(cap) < 1:
        problems.append(
            "Chaque associé peut recevoir au moins un pouvoir : le plafond de pouvoirs par "
            f"mandataire est d’au moins 1 ({ART_PROXY})."
        )
    authorities = data.get("local_authorities_cap_percent")
    if authorities is not None and not 0 < Decimal(authorities) <= AUTHORITIES_MAX:
        problems.append(
            f"Les collectivités publiques détiennent au plus {percent(AUTHORITIES_MAX)} du "
            f"capital ({ART_AUTHORITIES}) ; le plafond des statuts est de "
            f"{percent(Decimal(authorities))}."
        )
    return problems


def _college_problems(data: Mapping[str, Any], weights: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    minimum = data.get("min_colleges")
    if minimum is not None and int(minimum) < LEGAL_MIN_COLLEGES:
        problems.append(
            f"Le nombre minimal de collèges ne peut pas être inférieur à {LEGAL_MIN_COLLEGES} "
            f"({ART_COLLEGES}) ; les statuts disent {minimum}."
        )
    low = data.get("min_college_percent")
    if low is not None and _fraction(low) / 100 < LEGAL_MIN_COLLEGE:
        problems.append(
            f"Le poids minimal d’un collège ne peut pas être inférieur à "
            f"{ratio_percent(LEGAL_MIN_COLLEGE)} ({ART_COLLEGES}) ; les statuts disent "
            f"{percent(Decimal(low))}."
        )
    high = data.get("max_college_percent")
    if high is not None and _fraction(high) / 100 > LEGAL_MAX_COLLEGE:
        problems.append(
            f"Le poids maximal d’un collège ne peut pas dépasser "
            f"{ratio_percent(LEGAL_MAX_COLLEGE)} ({ART_COLLEGES}) ; les statuts disent "
            f"{percent(Decimal(high))}."
        )
    if len(weights) < LEGAL_MIN_COLLEGES:
        problems.append(
            f"Il faut au moins {LEGAL_MIN_COLLEGES} collèges de vote ({ART_COLLEGES}) ; "
            f"les statuts en prévoient {len(weights)}."
        )
    for name, raw in weights.items():
        weight = _fraction(raw) / 100
        if not LEGAL_MIN_COLLEGE <= weight <= LEGAL_MAX_COLLEGE:
            problems.append(
                f"Le collège « {name} » pèse {ratio_percent(weight)} : chaque collège pèse entre "
                f"{ratio_percent(LEGAL_MIN_COLLEGE)} et {ratio_percent(LEGAL_MAX_COLLEGE)} des "
                f"voix ({ART_COLLEGES})."
            )
    return problems

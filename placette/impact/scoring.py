"""Pure rules of an answer: what each kind of indicator accepts and how a validated instrument
is scored (its native scale is kept: the 3-question UCLA scale gives 3 to 9). No Django model
here; `Refusal` carries the French sentence."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from placette.lib.refusals import Refusal

YES, NO = "oui", "non"
NUMBER_MAX = Decimal("1000000000")


class Spec(Protocol):
    kind: str
    label: str
    choices: list[str]
    items: list[str]
    item_min: int
    item_max: int


def _decimal(raw: Any, label: str) -> Decimal:
    text = str(raw).strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Refusal(f"« {label} » : « {raw} » n’est pas un nombre.") from None
    if not value.is_finite() or "e" in text.lower():
        raise Refusal(f"« {label} » : « {raw} » n’est pas un nombre.")
    return value


def _whole_in(raw: Any, low: int, high: int, label: str) -> int:
    value = _decimal(raw, label)
    if value != value.to_integral_value() or not low <= value <= high:
        raise Refusal(f"« {label} » : la réponse doit être un nombre entier de {low} à {high}.")
    return int(value)


def scale_bounds(spec: Spec) -> tuple[int, int] | None:
    """The native range of a scored answer (None for what is not on a scale)."""
    if spec.kind == "scale5":
        return 1, 5
    if spec.kind == "scale10":
        return 0, 10
    if spec.kind == "instrument":
        n = len(spec.items)
        return n * spec.item_min, n * spec.item_max
    return None


def answer_clean(spec: Spec, raw: Any, items: Sequence[Any] = ()) -> tuple[Decimal | None, str]:
    """The stored value of one answer: (number, text). A blank answer is (None, ""). An
    instrument takes its `items` answers and stores their sum (every item must be answered)."""
    label = spec.label
    if spec.kind == "instrument":
        if not any(str(x).strip() for x in items):
            return None, ""
        if len(items) != len(spec.items) or not all(str(x).strip() for x in items):
            raise Refusal(f"« {label} » : répondez à chacune des {len(spec.items)} questions.")
        scores = [_whole_in(x, spec.item_min, spec.item_max, label) for x in items]
        return Decimal(sum(scores)), ",".join(str(s) for s in scores)
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None, ""
    if spec.kind == "number":
        value = _decimal(text, label)
        if value < 0 or value >= NUMBER_MAX:
            raise Refusal(f"« {label} » : le nombre doit être positif et raisonnable.")
        return value, ""
    if spec.kind == "percent":
        value = _decimal(text, label)
        if not 0 <= value <= 100:
            raise Refusal(f"« {label} » : un pourcentage va de 0 à 100.")
        return value, ""
    if spec.kind in ("scale5", "scale10"):
        low, high = scale_bounds(spec) or (0, 0)
        return Decimal(_whole_in(text, low, high, label)), ""
    if spec.kind == "yesno":
        if text not in (YES, NO):
            raise Refusal(f"« {label} » : répondez par oui ou par non.")
        return Decimal(1 if text == YES else 0), text
    if spec.kind == "choice":
        if text not in spec.choices:
            raise Refusal(f"« {label} » : choisissez une des réponses proposées.")
        return None, text
    if len(text) > 5000:
        raise Refusal(f"« {label} » : le témoignage dépasse 5 000 caractères.")
    return None, text


def definition_check(spec: Spec) -> None:
    """An indicator's own definition: an instrument has at least two questions on a range, a
    choice at least two answers."""
    problems = []
    if spec.kind == "instrument":
        if len(spec.items) < 2:
            problems.append("Un instrument validé compte au moins deux questions.")
        if spec.item_min >= spec.item_max:
            problems.append("La note maximale d’une question doit dépasser la note minimale.")
    if spec.kind == "choice" and len(spec.choices) < 2:
        problems.append("Une question à choix propose au moins deux réponses.")
    if problems:
        raise Refusal(problems, field="kind")

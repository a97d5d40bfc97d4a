"""Money and numbers in French: the one way every page, PDF, email, export, chart and timeline
line writes a euro, a number, a percentage or a vote share. Pure Python (no Django), so it is
read and tested on its own.

French typography (Imprimerie nationale, as LibreOffice and CLDR `fr` write it):

- thousands are grouped by a narrow no-break space U+202F: « 12 345 »;
- the decimal separator is a comma: « 12 345,5 »;
- the unit follows after a no-break space U+00A0: « 12 345,50 € », « 55 % »;
- a negative number starts with a hyphen-minus « -12,50 € » (copied into a spreadsheet it stays a
  number);
- money is shown to the cent, rounded half up (0,005 € → 0,01 €).

Money is ``Decimal`` and vote shares are ``Fraction``: a ``float`` is refused by the money
functions (it would hide an inexact sum), only the chart axis formatters take floats, because
matplotlib's ticks are floats.
"""

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Final

__all__ = [
    "CENT",
    "NBSP",
    "NNBSP",
    "ZERO",
    "axis_euros",
    "axis_number",
    "decimal_text",
    "euros",
    "euros_exact",
    "exact_decimal",
    "fraction",
    "group_digits",
    "number",
    "parse_decimal",
    "percent",
    "plain_decimal",
    "ratio_percent",
    "to_cents",
]

NNBSP: Final = "\u202f"  # narrow no-break space: between thousands
NBSP: Final = "\u00a0"  # no-break space: before « € » and « % »
CENT: Final = Decimal("0.01")
ZERO: Final = Decimal("0.00")

Exact = Decimal | int | Fraction


def exact_decimal(value: object, *, label: str = "Le nombre") -> Decimal:
    """``value`` as an exact ``Decimal``; floats, booleans, NaN and infinities are refused."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | Fraction):
        raise TypeError(
            f"{label} doit être un Decimal, un entier ou une Fraction, pas {type(value).__name__}."
        )
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{label} n’est pas un nombre fini ({value}).")
    return result


def to_cents(value: Exact) -> Decimal:
    """Rounded half up to the cent: the only rounding applied to an amount for display."""
    return exact_decimal(value, label="Le montant").quantize(CENT, rounding=ROUND_HALF_UP)


def _fixed(value: Decimal, digits: int) -> str:
    """``value`` rounded half up to ``digits`` decimals, grouped the French way."""
    if digits < 0:
        raise ValueError("Le nombre de décimales ne peut pas être négatif.")
    rounded = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never « -0,00 »
    sign = "-" if rounded < 0 else ""
    whole, _, part = f"{abs(rounded):f}".partition(".")
    text = group_digits(int(whole))
    return f"{sign}{text},{part}" if part else f"{sign}{text}"


def _trimmed(value: Decimal, max_digits: int) -> str:
    """As many decimals as the value needs, at most ``max_digits`` (rounded half up there)."""
    rounded = value.quantize(Decimal(1).scaleb(-max_digits), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    digits = len(text.partition(".")[2].rstrip("0"))
    return _fixed(rounded, digits)


def group_digits(value: int) -> str:
    """12345 → « 12 345 » (narrow no-break spaces); the sign is kept."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"Un entier est attendu, pas {type(value).__name__}.")
    return f"{value:,}".replace(",", NNBSP)


def euros(value: Exact, *, cents: bool = True) -> str:
    """« 12 345,50 € » (to the cent, half up); ``cents=False`` → « 12 346 € » (headline figures)."""
    amount = exact_decimal(value, label="Le montant")
    return f"{_fixed(amount, 2 if cents else 0)}{NBSP}€"


def euros_exact(value: Exact, *, max_digits: int = 10) -> str:
    """An amount before rounding, with the decimals it has (at most ``max_digits``): the exact
    quotient of a rent indexation « 873,0717032345 € »."""
    return f"{decimal_text(value, max_digits=max_digits)}{NBSP}€"


def number(value: Exact, digits: int = 0) -> str:
    """A plain number with ``digits`` fixed decimals, half up: ``number(Decimal("1234.5"), 1)``
    → « 1 234,5 »."""
    return _fixed(exact_decimal(value), digits)


def decimal_text(value: Exact, *, max_digits: int = 10) -> str:
    """A decimal with the decimals it has (trailing zeros dropped), at most ``max_digits``:
    an index « 130,64 », an exact quotient « 1 234,5678901235 »."""
    return _trimmed(exact_decimal(value), max_digits)


def percent(points: Exact, *, max_digits: int = 4) -> str:
    """A value already in percent (a rate, a statutes setting): ``Decimal("25.00")`` → « 25 % »,
    ``Decimal("12.50")`` → « 12,5 % »."""
    return f"{_trimmed(exact_decimal(points, label='Le pourcentage'), max_digits)}{NBSP}%"


def ratio_percent(ratio: Exact) -> str:
    """A ratio as a percentage: ``Fraction(11, 20)`` → « 55 % ». Exact when the percentage has at
    most four decimals (« 12,5 % »); otherwise rounded to two decimals and said to be approximate
    (« environ 33,33 % ») — a vote result must never look more exact than it is."""
    if isinstance(ratio, bool) or not isinstance(ratio, Decimal | int | Fraction):
        raise TypeError(f"Une Fraction ou un Decimal est attendu, pas {type(ratio).__name__}.")
    pct = Fraction(ratio) * 100
    for digits in range(5):
        if (pct * 10**digits).denominator == 1:
            return f"{_fixed(exact_decimal(pct), digits)}{NBSP}%"
    return f"environ {_fixed(exact_decimal(pct), 2)}{NBSP}%"


def fraction(value: Fraction | int) -> str:
    """A vote share: « 2/3 (environ 66,67 %) »; a whole number shows its percentage only."""
    share = Fraction(value)
    pct = ratio_percent(share)
    return pct if share.denominator == 1 else f"{share.numerator}/{share.denominator} ({pct})"


def plain_decimal(value: Exact) -> str:
    """A number for a French spreadsheet cell of a CSV file: decimal comma, no grouping, no unit
    (« 1234,50 »), so LibreOffice and Excel in French read it as a number."""
    text = f"{exact_decimal(value):f}"
    return text.replace(".", ",")


_READABLE = re.compile(r"^[+-]?\d{1,15}(\.\d+)?$")


def parse_decimal(text: str) -> Decimal:
    """A number typed or pasted by a person, read exactly: « 12 345,50 € », « 12345.50 »,
    « 1.234,56 » (dots then group thousands), « -3 ». Spaces of any kind and « € » are ignored.
    Raises ``ValueError`` (French message) for anything else — exponents, NaN, infinities and
    more than 15 integer digits included, so « 1e400 » never reaches a database column."""
    compact = re.sub(r"[\s\u00a0\u202f€]", "", text or "")
    if "," in compact:
        compact = compact.replace(".", "").replace(",", ".")
    if not _READABLE.match(compact):
        raise ValueError(f"« {text.strip()} » n’est pas un nombre lisible.")
    return Decimal(compact)


def _from_float(value: float) -> Decimal:
    value = float(value)
    return Decimal(repr(value)) if math.isfinite(value) else ZERO


def axis_euros(value: float, _position: object = None) -> str:
    """Chart axis tick (matplotlib ``FuncFormatter``): « 120 000 € »."""
    return euros(_from_float(value), cents=False)


def axis_number(value: float, _position: object = None) -> str:
    """Chart axis tick for counts: « 1 200 »."""
    return number(_from_float(value))

"""Rent indexation: pure Decimal arithmetic, no Django, so an auditor can read and test it.

Rule (clause d'indexation of French commercial and professional leases, article L. 145-39 and
L. 112-2 of the Code monétaire et financier for the choice of index):

    revised rent = current rent × new index ÷ reference index

- the *reference index* is the value of the index chosen in the lease (ILC, ILAT or ICC) for the
  quarter named in the lease (or used at the previous revision);
- the *new index* is the value of the same index for the same quarter one year later;
- the quotient is computed exactly (Decimal with 28 significant digits, no float ever), then the
  result only is rounded to the cent, half up (0,005 € → 0,01 €).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from placette.lib.money import decimal_text, euros, euros_exact
from placette.lib.refusals import Refusal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Revision:
    current_rent: Decimal
    reference_index: Decimal
    new_index: Decimal
    exact: Decimal
    revised_rent: Decimal

    @property
    def explanation(self) -> str:
        return (
            f"{euros(self.current_rent)} × {decimal_text(self.new_index)} ÷ "
            f"{decimal_text(self.reference_index)} = {euros_exact(self.exact)} "
            f"arrondi au centime : {euros(self.revised_rent)}"
        )


def rent_revise(current_rent: Decimal, reference_index: Decimal, new_index: Decimal) -> Revision:
    """The revised rent, rounded half up to the cent only once, at the very end."""
    for name, value in (("loyer", current_rent), ("indice de référence", reference_index)):
        if not isinstance(value, Decimal):
            raise Refusal(f"Le {name} doit être un nombre décimal exact.")
    if not isinstance(new_index, Decimal):
        raise Refusal("Le nouvel indice doit être un nombre décimal exact.")
    if current_rent < 0:
        raise Refusal("Le loyer ne peut pas être négatif.")
    if reference_index <= 0 or new_index <= 0:
        raise Refusal("Un indice est toujours strictement positif.")
    with localcontext() as ctx:
        ctx.prec = 28
        exact = current_rent * new_index / reference_index
        rounded = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    return Revision(current_rent, reference_index, new_index, exact.normalize(), rounded)

"""The money arithmetic of quotes and invoices, pure (no Django), so it can be read by an
auditor and tested on its own.

A line is quantity × unit price rounded to the cent (half up); VAT is computed once on the net
total of the document (EN 16931 BR-CO-14: VAT of a rate = basis × rate, rounded), so the
document's total is exactly net + VAT. Days are counted in half-days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from placette.lib.money import CENT, ZERO
from placette.lib.refusals import Refusal

HALF_DAY = Decimal("0.5")
MAX_DAYS = Decimal(999)
MAX_PRICE = Decimal(1_000_000)
MAX_VAT_RATE = Decimal(100)


def _finite(value: object, label: str, field: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise Refusal(f"{label} : ce n’est pas un nombre.", field=field) from None
    if not number.is_finite():
        raise Refusal(f"{label} : ce n’est pas un nombre.", field=field)
    return number


def days_check(days: object, *, field: str = "quantity", allow_zero: bool = False) -> Decimal:
    """A number of days: positive, by half-days, at most 999."""
    value = _finite(days, "Nombre de jours", field)
    if value < 0:
        raise Refusal("Le nombre de jours ne peut pas être négatif.", field=field, code="negative")
    if value == 0 and not allow_zero:
        raise Refusal("Le nombre de jours doit être supérieur à zéro.", field=field)
    if value % HALF_DAY:
        raise Refusal("Les jours se comptent par demi-journées (0,5).", field=field)
    if value > MAX_DAYS:
        raise Refusal("Au plus 999 jours sur une ligne.", field=field)
    return value


def price_check(
    price: object, *, label: str = "Prix unitaire", field: str = "unit_price"
) -> Decimal:
    """A unit price or daily rate in euros: not negative, to the cent, below 1,000,000 €."""
    value = _finite(price, label, field)
    if value < 0:
        raise Refusal(
            f"{label} : un montant ne peut pas être négatif.", field=field, code="negative"
        )
    if value != value.quantize(CENT):
        raise Refusal(f"{label} : au centime près.", field=field)
    if value >= MAX_PRICE:
        raise Refusal(f"{label} : montant trop élevé.", field=field)
    return value


def quantity_check(quantity: object, *, field: str = "quantity") -> Decimal:
    value = _finite(quantity, "Quantité", field)
    if value <= 0:
        raise Refusal("La quantité doit être supérieure à zéro.", field=field, code="negative")
    if value > Decimal(100_000) or value != value.quantize(Decimal("0.01")):
        raise Refusal("Quantité : au plus 100 000, deux décimales.", field=field)
    return value


def vat_rate_check(rate: object, *, field: str = "vat_rate") -> Decimal:
    value = _finite(rate, "Taux de TVA", field)
    if value < 0 or value > MAX_VAT_RATE:
        raise Refusal("Le taux de TVA est un pourcentage entre 0 et 100.", field=field)
    return value


def line_net(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_of(net: Decimal, rate: Decimal) -> Decimal:
    return (net * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Totals:
    net: Decimal
    vat: Decimal
    gross: Decimal

    @classmethod
    def of(cls, nets: Iterable[Decimal], vat_rate: Decimal) -> Totals:
        net = sum(nets, ZERO).quantize(CENT)
        vat = vat_of(net, vat_rate)
        return cls(net, vat, net + vat)


def remaining_to_invoice(sold: Decimal, invoiced: Decimal, credited: Decimal) -> Decimal:
    """What the accepted quote still allows to invoice (net): sold − invoiced + credited."""
    return (sold - invoiced + credited).quantize(CENT)

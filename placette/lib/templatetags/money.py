"""The template filters of `placette.lib.money` (a builtin: no ``{% load %}`` needed).

``{{ amount|euros }}`` « 12 345,50 € » · ``{{ amount|euros:0 }}`` « 12 346 € » ·
``{{ count|number }}`` « 12 345 » · ``{{ area|number:1 }}`` « 1 234,5 » ·
``{{ index|decimal }}`` « 130,64 » · ``{{ rate_percent|percent }}`` « 2,5 % » (a value already in
percent) · ``{{ ratio|ratio_percent }}`` « 55 % » (a ratio) · ``{{ share|fraction }}``
« 2/3 (environ 66,67 %) ».

An empty value (``None``, "") shows « — ». A float (an average computed by the database) is read
through its shortest representation; money itself always arrives as a ``Decimal``.
"""

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django import template

from placette.lib import money

register = template.Library()

EMPTY = "—"


def _value(value: Any) -> Decimal | int | Fraction | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int | Fraction):
        return value
    try:
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def _digits(arg: Any, default: int) -> int:
    try:
        return int(arg)
    except (TypeError, ValueError):
        return default


@register.filter(is_safe=True)
def euros(value: Any, arg: Any = 2) -> str:
    amount = _value(value)
    if amount is None:
        return EMPTY
    return money.euros(amount, cents=_digits(arg, 2) != 0)


@register.filter(is_safe=True)
def number(value: Any, arg: Any = 0) -> str:
    amount = _value(value)
    return EMPTY if amount is None else money.number(amount, _digits(arg, 0))


@register.filter(is_safe=True)
def decimal(value: Any, arg: Any = 10) -> str:
    amount = _value(value)
    return EMPTY if amount is None else money.decimal_text(amount, max_digits=_digits(arg, 10))


@register.filter(is_safe=True)
def percent(value: Any, arg: Any = 4) -> str:
    amount = _value(value)
    return EMPTY if amount is None else money.percent(amount, max_digits=_digits(arg, 4))


@register.filter(is_safe=True)
def ratio_percent(value: Any) -> str:
    amount = _value(value)
    return EMPTY if amount is None else money.ratio_percent(amount)


@register.filter(is_safe=True)
def fraction(value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    return money.fraction(value if isinstance(value, Fraction | int) else Fraction(str(value)))

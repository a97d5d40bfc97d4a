"""Exact money arithmetic in the database, on SQLite as on PostgreSQL.

SQLite has no decimal type: it stores a ``DecimalField`` as a binary float and adds floats, so
``SUM(amount)`` or ``rent + charges`` computed by SQLite is off by a few 1e-13 — a fully paid line
then compares as unpaid, and Django hands back ``Decimal('2.27373675443232E-13')`` for any
expression that is not a plain column. PostgreSQL's ``numeric`` is exact. Two rules make both
databases give the same answer:

- every money expression computed in SQL (a sum, a difference, an update ``F() + x``) is rounded
  to the cent *in SQL* (:func:`decimal_exact`), so comparing it with a stored amount is exact
  (SQLite's ``ROUND`` yields the same float as the stored text « 857.47 »);
- every value read back is quantized to the cent by its output field (:class:`MoneyOutput`),
  so Python always receives a ``Decimal`` with two places.

:func:`decimal_sum` is the one money aggregate: ``.aggregate(total=decimal_sum("amount"))`` is a
``Decimal`` (``0.00`` when there is no row).
"""

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Expression, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Round

from placette.lib.money import CENT, ZERO

__all__ = ["MoneyOutput", "decimal_exact", "decimal_sum"]


class MoneyOutput(DecimalField):
    """Output field of a money expression: the value read back is a Decimal to the cent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value) if isinstance(value, float) else value).quantize(CENT)


def _expression(value: str | Expression | Any) -> Any:
    return F(value) if isinstance(value, str) else value


def decimal_exact(expression: str | Expression | Any) -> Round:
    """``expression`` rounded to the cent by the database, read back as a Decimal."""
    return Round(_expression(expression), 2, output_field=MoneyOutput())


def decimal_sum(expression: str | Expression | Any, *, filter: Q | None = None) -> Coalesce:
    """The exact sum of a money column or expression (``0.00`` over no row)."""
    total = Sum(_expression(expression), filter=filter)
    return Coalesce(decimal_exact(total), Value(ZERO), output_field=MoneyOutput())

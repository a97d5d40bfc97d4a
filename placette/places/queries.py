"""Places: reads that several pages and services share (no writes here)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from placette.lib.money import euros
from placette.lib.sums import decimal_sum
from placette.places.models import Operation


@dataclass(frozen=True)
class FinancingBalance:
    cost: Decimal
    financed: Decimal

    @property
    def gap(self) -> Decimal:
        return self.cost - self.financed

    @property
    def balanced(self) -> bool:
        return self.gap == 0

    @property
    def message(self) -> str:
        if self.balanced:
            return _("Le plan de financement équilibre le coût de l’opération.")
        if self.gap > 0:
            return _(
                "Plan de financement déséquilibré : il manque %(gap)s pour couvrir le coût de "
                "l’opération (%(cost)s)."
            ) % {"gap": euros(self.gap), "cost": euros(self.cost)}
        return _(
            "Plan de financement déséquilibré : les sources dépassent de %(excess)s le coût de "
            "l’opération (%(cost)s)."
        ) % {"excess": euros(-self.gap), "cost": euros(self.cost)}


def financing_balance(*, operation: Operation) -> FinancingBalance:
    financed = operation.financing.aggregate(total=decimal_sum("amount"))["total"]
    return FinancingBalance(cost=operation.total_cost, financed=financed)

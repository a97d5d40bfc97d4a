"""The operation of a place (acquisition, works) and its financing plan.
Keyword-only, atomic, audited."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from placette.contacts.models import TimelineKind
from placette.contacts.services import timeline_append
from placette.lib.audit import audit_log
from placette.lib.money import euros
from placette.lib.refusals import Refusal
from placette.places.models import (
    FinancingLine,
    Operation,
)
from placette.places.queries import FinancingBalance, financing_balance
from placette.places.services._common import OPERATION_FIELDS, _not_negative


@transaction.atomic
def operation_update(*, actor: Any, operation: Operation, data: dict[str, Any]) -> Operation:
    _not_negative(
        data,
        {
            "price": "Le prix d’achat",
            "notary_fees": "Le montant des frais de notaire",
            "works_budget": "Le budget des travaux",
            "works_cost": "Le coût des travaux",
            "sale_price": "Le prix de vente",
            "land_area": "La surface du terrain",
            "built_area": "La surface bâtie",
            "renovated_area": "La surface rénovée",
        },
    )
    start, end = data.get("works_started_on"), data.get("works_ended_on")
    if start and end and end < start:
        raise Refusal(
            _(
                "La fin des travaux précède leur début : corrigez les dates, rien "
                "n’a été enregistré."
            )
        )
    changed = {}
    for name in OPERATION_FIELDS:
        if name in data and getattr(operation, name) != data[name]:
            changed[name] = [getattr(operation, name), data[name]]
            setattr(operation, name, data[name])
    operation.save()
    if changed:
        audit_log(
            actor=actor, action="places.operation.updated", obj=operation.place, changes=changed
        )
    return operation


@transaction.atomic
def financing_line_add(
    *, actor: Any, operation: Operation, data: dict[str, Any]
) -> tuple[FinancingLine, FinancingBalance]:
    """Add a source to the plan. A plan that does not balance is saved; the caller shows the
    returned balance as a warning."""
    amount = data.get("amount")
    if amount is None or amount <= 0:
        raise Refusal(
            _("Le montant d’une source de financement doit être positif : rien n’a été enregistré.")
        )
    line = FinancingLine.objects.create(
        operation=operation,
        source=data["source"],
        funder=data.get("funder"),
        amount=amount,
        secured_on=data["secured_on"],
        note=data.get("note", ""),
    )
    balance = financing_balance(operation=operation)
    audit_log(
        actor=actor,
        action="places.financing.added",
        obj=operation.place,
        source=line.source,
        amount=amount,
        balanced=balance.balanced,
    )
    if line.funder:
        timeline_append(
            contact=line.funder,
            kind=TimelineKind.OTHER,
            title=_("Financement de %(place)s : %(amount)s")
            % {"place": operation.place, "amount": euros(amount)},
            actor=actor,
            area="places",
            link=operation.place.get_absolute_url(),
        )
    return line, balance


@transaction.atomic
def financing_line_remove(*, actor: Any, line: FinancingLine) -> FinancingBalance:
    operation = line.operation
    audit_log(
        actor=actor,
        action="places.financing.removed",
        obj=operation.place,
        source=line.source,
        amount=line.amount,
    )
    line.delete()
    return financing_balance(operation=operation)

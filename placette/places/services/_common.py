"""What the places services share: field lists, small checks."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from placette.lib.refusals import Refusal

CENT = Decimal("0.01")
PLACE_FIELDS = [
    "name",
    "kind",
    "address_line1",
    "postcode",
    "commune_code",
    "latitude",
    "longitude",
    "description",
]
OPERATION_FIELDS = [
    "acquired_on",
    "price",
    "notary_fees",
    "works_budget",
    "works_cost",
    "works_started_on",
    "works_ended_on",
    "land_area",
    "built_area",
    "renovated_area",
    "sold_on",
    "sale_price",
]
ACTIVITY_FIELDS = [
    "tenant",
    "name",
    "kind",
    "opened_on",
    "closed_on",
    "jobs_fte",
    "opening_hours",
    "contact_person",
]
LEASE_FIELDS = [
    "kind",
    "starts_on",
    "ends_on",
    "initial_rent",
    "charges",
    "deposit",
    "index_kind",
    "index_year",
    "index_quarter",
    "signed_on",
]


def _not_negative(data: dict[str, Any], labels: dict[str, str]) -> None:
    for name, label in labels.items():
        value = data.get(name)
        if value is not None and value < 0:
            raise Refusal(
                _("%(label)s ne peut pas être négatif : rien n’a été enregistré.")
                % {"label": label},
                field=name,
            )


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None

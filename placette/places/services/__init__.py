"""Places: every write of the area (places, operations, financing, activities, leases, index
values, revisions, schedules, payments, reminders, investment decisions), one module per
sub-domain. Keyword-only, atomic, audited. The names are re-exported here: callers use
`from placette.places import services` then `services.<name>`."""

from placette.places.services._common import (
    ACTIVITY_FIELDS,
    CENT,
    LEASE_FIELDS,
    OPERATION_FIELDS,
    PLACE_FIELDS,
)
from placette.places.services.financing import (
    financing_line_add,
    financing_line_remove,
    operation_update,
)
from placette.places.services.investment import (
    SCORABLE_STEPS,
    criteria_version_create,
    criteria_version_publish,
    criteria_version_update,
    investment_decision_record,
    places_settings_update,
    project_score_record,
    scoring_total,
)
from placette.places.services.leases import (
    activity_install,
    activity_update,
    lease_create,
    lease_schedule_generate,
    rent_in_force,
    schedules_extend,
)
from placette.places.services.payments import (
    payment_record,
    rent_reminder_send,
)
from placette.places.services.pipeline import (
    place_create,
    place_document_add,
    place_event_add,
    place_status_change,
    place_update,
)
from placette.places.services.revisions import (
    INDEX_COLUMNS,
    INDEX_VALUE_LIMIT,
    INDEX_YEARS,
    IndexImportReport,
    index_value_set,
    index_values_import,
    lease_revise,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "CENT",
    "INDEX_COLUMNS",
    "INDEX_VALUE_LIMIT",
    "INDEX_YEARS",
    "LEASE_FIELDS",
    "OPERATION_FIELDS",
    "PLACE_FIELDS",
    "SCORABLE_STEPS",
    "IndexImportReport",
    "activity_install",
    "activity_update",
    "criteria_version_create",
    "criteria_version_publish",
    "criteria_version_update",
    "financing_line_add",
    "financing_line_remove",
    "index_value_set",
    "index_values_import",
    "investment_decision_record",
    "lease_create",
    "lease_revise",
    "lease_schedule_generate",
    "operation_update",
    "payment_record",
    "place_create",
    "place_document_add",
    "place_event_add",
    "place_status_change",
    "place_update",
    "places_settings_update",
    "project_score_record",
    "rent_in_force",
    "rent_reminder_send",
    "schedules_extend",
    "scoring_total",
]

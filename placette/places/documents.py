"""Who may read a place's documents and photos (see placette.lib.documents): besides staff, the
holder of an activity open in that place today (the tenant organisation's own account, or a
person belonging to it)."""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from placette.lib.documents import Document, document_readers

PLACE_SCOPE = "places.place"


@document_readers(PLACE_SCOPE)
def place_document_readable(user: Any, document: Document) -> bool:
    from placette.places.models import Activity

    if not user.is_activity_holder:
        return False
    contact_id = user.contact_id
    return (
        Activity.objects.open_on(timezone.localdate())
        .filter(place_id=document.scope_id or 0)
        .filter(Q(tenant_id=contact_id) | Q(tenant__people__person_id=contact_id))
        .exists()
    )

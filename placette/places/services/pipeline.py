"""Places and their pipeline: creation, changes, status steps, events and documents.
Keyword-only, atomic, audited."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.lib.audit import audit_log
from placette.lib.documents import document_store
from placette.lib.refusals import Refusal
from placette.places.models import (
    STATUS_ORDER,
    Operation,
    Place,
    PlaceDocument,
    PlaceEvent,
    PlaceStatus,
    StatusChange,
)
from placette.places.services._common import PLACE_FIELDS, _user


@transaction.atomic
def place_create(
    *,
    actor: Any,
    data: dict[str, Any],
    decided_on: dt.date | None = None,
    decided_by: str = "",
) -> Place:
    """A new place, its (empty) operation, and the first dated step of its pipeline."""
    place = Place(**{k: v for k, v in data.items() if k in PLACE_FIELDS})
    place.status = data.get("status") or PlaceStatus.PROSPECT
    place.refresh_derived()
    if not place.commune_name:
        raise Refusal(_("Commune inconnue : choisissez une commune du code officiel (INSEE)."))
    place.save()
    Operation.objects.create(place=place)
    StatusChange.objects.create(
        place=place,
        status=place.status,
        decided_on=decided_on or timezone.localdate(),
        decided_by=decided_by or "Saisie du lieu",
        actor=_user(actor),
    )
    audit_log(actor=actor, action="places.place.created", obj=place, status=place.status)
    return place


@transaction.atomic
def place_update(*, actor: Any, place: Place, data: dict[str, Any]) -> Place:
    changed = {}
    for name in PLACE_FIELDS:
        if name in data and getattr(place, name) != data[name]:
            changed[name] = [getattr(place, name), data[name]]
            setattr(place, name, data[name])
    place.refresh_derived()
    if not place.commune_name:
        raise Refusal(_("Commune inconnue : choisissez une commune du code officiel (INSEE)."))
    place.save()
    if changed:
        audit_log(actor=actor, action="places.place.updated", obj=place, changes=changed)
    return place


@transaction.atomic
def place_status_change(
    *,
    actor: Any,
    place: Place,
    status: str,
    decided_on: dt.date,
    decided_by: str,
    note: str = "",
) -> StatusChange:
    """Append a dated step to the pipeline; the place's current step is the latest by date."""
    if status not in STATUS_ORDER:
        raise Refusal(_("Étape inconnue."))
    if not decided_by.strip():
        raise Refusal(_("Indiquez qui a décidé cette étape (instance ou personne)."))
    if decided_on > timezone.localdate():
        raise Refusal(_("Une étape se date au jour de la décision : pas de date future."))
    change = StatusChange.objects.create(
        place=place,
        status=status,
        decided_on=decided_on,
        decided_by=decided_by.strip(),
        note=note,
        actor=_user(actor),
    )
    latest = place.status_changes.order_by("-decided_on", "-id").first()
    place.status = latest.status if latest else status
    place.save(update_fields=["status"])
    audit_log(
        actor=actor,
        action="places.place.status_changed",
        obj=place,
        status=status,
        decided_on=decided_on,
        decided_by=decided_by,
    )
    return change


@transaction.atomic
def place_event_add(
    *, actor: Any, place: Place, happened_on: dt.date, title: str, body: str = ""
) -> PlaceEvent:
    event = PlaceEvent.objects.create(
        place=place, happened_on=happened_on, title=title, body=body, actor=_user(actor)
    )
    audit_log(actor=actor, action="places.event.added", obj=place, title=title)
    return event


@transaction.atomic
def place_document_add(
    *, actor: Any, place: Place, kind: str, title: str, file: Any
) -> PlaceDocument:
    """A photo or document of the place, checked by type and size (placette.lib.documents)."""
    from placette.places.documents import PLACE_SCOPE

    stored = document_store(
        content=file, name=file.name, scope=PLACE_SCOPE, scope_id=place.pk, actor=actor
    )
    document = PlaceDocument.objects.create(
        place=place, kind=kind, title=title, document=stored, actor=_user(actor)
    )
    audit_log(
        actor=actor,
        action="places.document.added",
        obj=place,
        title=title,
        kind=kind,
        document=stored.pk,
        sha256=stored.sha256,
    )
    return document

"""The audit log: every service that changes data writes one entry with a dotted action name."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from placette.lib.models import AuditEntry


def audit_log(
    *, actor: Any, action: str, obj: models.Model | None = None, **details: Any
) -> AuditEntry:
    """Append an entry; `actor` is a user or None (system, import, anonymous visitor)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        details={k: _jsonable(v) for k, v in details.items()},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)

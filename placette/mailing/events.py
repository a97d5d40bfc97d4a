"""Bounces and complaints reported by the relay (django-anymail's signed tracking webhook):
each event is recorded once (its id, or a digest of its payload) and feeds the suppression
list — at once for a hard bounce, a complaint or an unsubscription at the relay; after
`MAILING_SOFT_BOUNCE_LIMIT` soft bounces within 30 days for temporary failures."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.lib.text import normalize_email
from placette.mailing.models import Delivery, MailEvent, MailEventKind, SuppressionReason
from placette.mailing.services import suppression_add

SOFT = {"soft_bounce", "deferred"}


def _kind(event: Any) -> str | None:
    esp_type = str((getattr(event, "esp_event", None) or {}).get("event", ""))
    if event.event_type == "complained":
        return MailEventKind.COMPLAINT
    if event.event_type == "unsubscribed":
        return MailEventKind.UNSUBSCRIBE
    if event.event_type in ("bounced", "rejected"):
        return MailEventKind.SOFT_BOUNCE if esp_type in SOFT else MailEventKind.HARD_BOUNCE
    return None


def _delivery(event: Any, email: str) -> Delivery | None:
    token = (getattr(event, "metadata", None) or {}).get("delivery", "")
    found = Delivery.objects.filter(token=token).first() if token else None
    return found or Delivery.objects.filter(email_normalized=email).order_by("-pk").first()


def mail_event_record(*, event: Any) -> MailEvent | None:
    """Record one tracking event of anymail; None when it is not about deliverability or was
    already recorded (a webhook delivered twice)."""
    kind = _kind(event)
    email = normalize_email(getattr(event, "recipient", "") or "")
    if kind is None or not email:
        return None
    payload = getattr(event, "esp_event", None) or {}
    event_id = (
        event.event_id
        or hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    )
    at = getattr(event, "timestamp", None) or timezone.now()
    try:
        with transaction.atomic():
            delivery = _delivery(event, email)
            record = MailEvent.objects.create(
                event_id=str(event_id)[:200],
                kind=kind,
                email=email,
                email_normalized=email,
                at=at,
                delivery=delivery,
                detail=str(getattr(event, "mta_response", "") or "")[:300],
            )
            _apply(record, delivery)
    except IntegrityError:
        return None
    return record


def _apply(record: MailEvent, delivery: Delivery | None) -> None:
    now = timezone.now()
    if delivery is not None:
        if record.kind in (MailEventKind.HARD_BOUNCE, MailEventKind.SOFT_BOUNCE):
            Delivery.objects.filter(pk=delivery.pk, bounced_at__isnull=True).update(bounced_at=now)
        elif record.kind == MailEventKind.COMPLAINT:
            Delivery.objects.filter(pk=delivery.pk, complained_at__isnull=True).update(
                complained_at=now
            )
        elif record.kind == MailEventKind.UNSUBSCRIBE:
            Delivery.objects.filter(pk=delivery.pk, unsubscribed_at__isnull=True).update(
                unsubscribed_at=now
            )
    reason = {
        MailEventKind.HARD_BOUNCE: SuppressionReason.HARD_BOUNCE,
        MailEventKind.COMPLAINT: SuppressionReason.COMPLAINT,
        MailEventKind.UNSUBSCRIBE: SuppressionReason.UNSUBSCRIBED,
    }.get(record.kind)
    if record.kind == MailEventKind.SOFT_BOUNCE:
        recent = MailEvent.objects.filter(
            email_normalized=record.email_normalized,
            kind=MailEventKind.SOFT_BOUNCE,
            at__gte=now - timedelta(days=30),
        ).count()
        if recent >= getattr(settings, "MAILING_SOFT_BOUNCE_LIMIT", 3):
            reason = SuppressionReason.SOFT_BOUNCE
    if reason is not None:
        suppression_add(
            email=record.email,
            reason=reason,
            detail=_("signalé par le relais d’envoi (%(kind)s)")
            % {"kind": record.get_kind_display()},
        )


def tracking_received(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """anymail's `tracking` signal (its webhook checked the shared secret first)."""
    mail_event_record(event=event)

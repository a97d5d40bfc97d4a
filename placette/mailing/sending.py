"""Writes about segments and campaigns: editing (blocks), the test send, scheduling, and the
sending itself — a background job (`placette.lib.jobs`) that freezes the recipients (one
`Delivery` per address), then hands each to the kernel's `mail_send` in batches, throttled.

Exactly once: a delivery's message key derives from the delivery row, and each batch marks its
deliveries in the same transaction as it writes their messages, so a worker killed at any
point leaves either the whole batch to do again or nothing; the job resumes from the pending
rows (`jobs_recover`, « Relancer »), and the kernel delivers each message once.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from placette.contacts.models import ConsentPurpose
from placette.lib.audit import audit_log
from placette.lib.confirm import MailPreview
from placette.lib.documents import document_store
from placette.lib.jobs import JobResult, job_start
from placette.lib.mail import mail_render, mail_send
from placette.lib.models import Job, MessageStatus
from placette.lib.refusals import Refusal
from placette.mailing import rendering
from placette.mailing.models import (
    Campaign,
    CampaignImage,
    CampaignStatus,
    Delivery,
    DeliveryStatus,
    Segment,
    new_token,
)
from placette.mailing.segments import segment_recipients

BATCH_SIZE = 200

# -- segments ---------------------------------------------------------------------------------


@transaction.atomic
def segment_save(
    *,
    actor: Any,
    name: str,
    purpose: ConsentPurpose,
    query: str,
    description: str = "",
    segment: Segment | None = None,
) -> Segment:
    """Create (or, given `segment`, change) a segment from the audience list's query string.
    A campaign already sent keeps its frozen recipients whatever becomes of the segment."""
    from django.http import QueryDict

    from placette.lib.listing import NOT_A_FILTER, SORT

    name = name.strip()
    if not name:
        raise Refusal(_("Donnez un nom au segment."), field="name")
    if Segment.objects.filter(name=name).exclude(pk=getattr(segment, "pk", None)).exists():
        raise Refusal(_("Un segment porte déjà ce nom."), field="name")
    params = QueryDict(query or "", mutable=True)
    for key in {*NOT_A_FILTER, SORT}:
        params.pop(key, None)
    segment = segment or Segment(created_by=actor if getattr(actor, "pk", None) else None)
    segment.name = name
    segment.description = description
    segment.purpose = purpose
    segment.query = params.urlencode()
    segment.updated_at = timezone.now()
    segment.save()
    audit_log(actor=actor, action="mailing.segment.saved", obj=segment, query=segment.query)
    return segment


# -- campaigns --------------------------------------------------------------------------------

STARTER_BLOCKS = {
    "panache": [
        {"type": "title", "text": "Bonjour *|PRENOM|*,"},
        {
            "type": "text",
            "markdown": "Voici les nouvelles de vos lieux : ce que votre épargne a permis ce "
            "trimestre.",
        },
        {"type": "figure", "figure": "capital", "text": ""},
    ],
    "news": [
        {"type": "title", "text": "Les nouvelles de la coopérative"},
        {"type": "text", "markdown": "Bonjour *|PRENOM|*,"},
    ],
}


def _editable(campaign: Campaign) -> None:
    if not campaign.editable:
        raise Refusal(
            _(
                "Cette campagne est partie (ou part en ce moment) : elle ne se modifie plus. "
                "Dupliquez-la pour écrire une nouvelle campagne."
            ),
            code="campaign_sent",
        )


@transaction.atomic
def campaign_create(*, actor: Any, data: Mapping[str, Any]) -> Campaign:
    campaign = Campaign(
        subject=data["subject"],
        preheader=data.get("preheader", ""),
        template=data.get("template") or "panache",
        purpose=data["purpose"],
        segment=data.get("segment"),
        archived=data.get("archived", True),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    campaign.blocks = [dict(b) for b in STARTER_BLOCKS.get(campaign.template, [])]
    campaign.save()
    audit_log(actor=actor, action="mailing.campaign.created", obj=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, actor: Any, campaign: Campaign, data: Mapping[str, Any]) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _editable(campaign)
    for name in ("subject", "preheader", "template", "purpose", "segment", "archived"):
        if name in data:
            setattr(campaign, name, data[name])
    campaign.updated_at = timezone.now()
    campaign.save()
    audit_log(actor=actor, action="mailing.campaign.updated", obj=campaign)
    return campaign


@transaction.atomic
def campaign_duplicate(*, actor: Any, campaign: Campaign) -> Campaign:
    """A new draft with the same blocks (how a sent campaign is « edited »)."""
    copy = Campaign.objects.create(
        subject=campaign.subject,
        preheader=campaign.preheader,
        template=campaign.template,
        purpose=campaign.purpose,
        segment=campaign.segment,
        blocks=list(campaign.blocks),
        archived=campaign.archived,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_log(actor=actor, action="mailing.campaign.duplicated", obj=copy, source=campaign.pk)
    return copy


def _blocks_locked(campaign: Campaign) -> Campaign:
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _editable(locked)
    return locked


@transaction.atomic
def block_add(*, actor: Any, campaign: Campaign, kind: str) -> int:
    if kind not in rendering.BLOCK_KINDS:
        raise Refusal(_("Type de bloc inconnu."), field="kind")
    campaign = _blocks_locked(campaign)
    campaign.blocks = [*campaign.blocks, {"type": kind}]
    campaign.updated_at = timezone.now()
    campaign.save(update_fields=["blocks", "updated_at"])
    return len(campaign.blocks) - 1


@transaction.atomic
def block_update(
    *, actor: Any, campaign: Campaign, index: int, data: Mapping[str, Any], upload: Any = None
) -> None:
    """Change one block's fields; an uploaded image is stored in the documents (private
    storage) and served to mail readers through its `CampaignImage` key."""
    campaign = _blocks_locked(campaign)
    if not 0 <= index < len(campaign.blocks):
        raise Refusal(_("Ce bloc n’existe plus."), field="index")
    block = dict(campaign.blocks[index])
    for key, value in data.items():
        if key in ("upload",):
            continue
        block[key] = "" if value is None else str(value)
    if upload is not None:
        document = document_store(
            content=upload, name=upload.name, scope="mailing.image", actor=actor
        )
        image = CampaignImage.objects.create(document=document, alt=str(data.get("alt", ""))[:200])
        block["image"] = image.key
    blocks = list(campaign.blocks)
    blocks[index] = block
    campaign.blocks = blocks
    campaign.updated_at = timezone.now()
    campaign.save(update_fields=["blocks", "updated_at"])


@transaction.atomic
def block_move(*, actor: Any, campaign: Campaign, index: int, delta: int) -> None:
    campaign = _blocks_locked(campaign)
    target = index + delta
    blocks = list(campaign.blocks)
    if not (0 <= index < len(blocks) and 0 <= target < len(blocks)):
        return
    blocks[index], blocks[target] = blocks[target], blocks[index]
    campaign.blocks = blocks
    campaign.save(update_fields=["blocks"])


@transaction.atomic
def block_delete(*, actor: Any, campaign: Campaign, index: int) -> None:
    campaign = _blocks_locked(campaign)
    blocks = list(campaign.blocks)
    if 0 <= index < len(blocks):
        del blocks[index]
    campaign.blocks = blocks
    campaign.save(update_fields=["blocks"])


# -- one recipient's email --------------------------------------------------------------------


def _absolute(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def unsubscribe_mailto(token: str) -> str:
    address = getattr(settings, "MAILING_UNSUBSCRIBE_MAILTO", "")
    if not address:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "placette.local"
        address = f"desinscription@{domain}"
    return f"mailto:{address}?subject=desinscription-{token}"


def list_headers(campaign: Campaign, token: str) -> dict[str, str]:
    """RFC 2369 / 8058 headers of one recipient's copy (Gmail and Yahoo's bulk sender rules)."""
    label = rendering.THEMES.get(campaign.template, rendering.THEMES["panache"]).masthead
    return {
        "List-Unsubscribe": (
            f"<{_absolute('mailing_public:unsubscribe', token)}>, <{unsubscribe_mailto(token)}>"
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{label} <{campaign.list_id}>",
        "Precedence": "bulk",
    }


def _values(*, first_name: str, last_name: str, number: Any, token: str) -> dict[str, Any]:
    return {
        "first_name": first_name,
        "last_name": last_name,
        "member_number": number or "",
        "preferences_url": _absolute("mailing_public:preferences", token),
    }


def _context(campaign: Campaign, html: str, text: str, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "subject": rendering.personalise(campaign.subject, values, html=False),
        "html": rendering.personalise(html, values, html=True),
        "text": rendering.personalise(text, values, html=False),
    }


def _sample(campaign: Campaign, actor: Any = None) -> dict[str, Any]:
    """The values of the first recipient of the segment (or of the person testing)."""
    contact = None
    if campaign.segment is not None:
        contact = segment_recipients(campaign.segment).order_by("name_key", "pk").first()
    if contact is None:
        contact = getattr(actor, "contact", None)
    number = getattr(getattr(contact, "member", None), "number", None) if contact else None
    return _values(
        first_name=getattr(contact, "first_name", "") or "",
        last_name=getattr(contact, "last_name", "") or "",
        number=number,
        token="essai",
    )


def campaign_preview(campaign: Campaign, actor: Any = None) -> MailPreview:
    """The email as its first recipient will get it (CSS inlined like the real one)."""
    html, text = rendering.campaign_render(campaign)
    values = _sample(campaign, actor)
    subject, body_text, body_html = mail_render(
        "mailing/campaign", _context(campaign, html, text, values)
    )
    return MailPreview(
        recipient=values["first_name"], subject=subject, text=body_text, html=body_html
    )


def campaign_test_send(*, actor: Any, campaign: Campaign, to: str) -> None:
    """The email to the person testing (`to`), with the first recipient's values; no delivery
    is recorded and its unsubscribe links lead nowhere."""
    html, text = rendering.campaign_render(campaign)
    context = _context(campaign, html, text, _sample(campaign, actor))
    context["subject"] = _("[Essai] %(subject)s") % {"subject": context["subject"]}
    mail_send(
        template="mailing/campaign",
        key=f"mailing.campaign.test:{campaign.pk}:{secrets.token_hex(8)}",
        to_email=to,
        context=context,
        kind="mailing.campaign.test",
        headers={**list_headers(campaign, "essai"), "X-Placette-Essai": "1"},
    )
    audit_log(actor=actor, action="mailing.campaign.test_sent", obj=campaign, to=to)


# -- sending ----------------------------------------------------------------------------------


def send_blockers(campaign: Campaign) -> str:
    """Why the campaign cannot be sent now, in French ("" when it can)."""
    if not campaign.editable:
        return _("Cette campagne est déjà partie.")
    if campaign.segment is None:
        return _("Choisissez d’abord le segment des destinataires.")
    if campaign.segment.purpose_id != campaign.purpose_id:
        return _(
            "Le segment « %(segment)s » est fait pour une autre lettre (« %(purpose)s ») : "
            "choisissez un segment de la même finalité."
        ) % {"segment": campaign.segment, "purpose": campaign.segment.purpose}
    if not any(rendering.block_parts(b)[0] for b in campaign.blocks):
        return _("La campagne est vide : ajoutez au moins un bloc.")
    if not segment_recipients(campaign.segment).exists():
        return _(
            "Le segment « %(segment)s » ne compte aucun destinataire (consentement donné, "
            "adresse e-mail, hors liste d’opposition) : rien ne serait envoyé."
        ) % {"segment": campaign.segment}
    return ""


@transaction.atomic
def campaign_send_start(*, actor: Any, campaign: Campaign) -> Job:
    """Freeze the campaign's body and start the sending job (the recipients are frozen by the
    job, in one transaction). Refused when `send_blockers` says so."""
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("segment")
        .get(pk=campaign.pk)
    )
    blocked = send_blockers(campaign)
    if blocked:
        raise Refusal(blocked, code="campaign_blocked")
    campaign.sent_html, campaign.sent_text = rendering.campaign_render(campaign)
    campaign.status = CampaignStatus.SENDING
    campaign.send_started_at = timezone.now()
    campaign.save()
    audit_log(actor=actor, action="mailing.campaign.send_started", obj=campaign)
    return job_start(
        kind="mailing.campaign.send",
        label=_("Envoi de « %(subject)s »") % {"subject": campaign.subject},
        actor=actor,
        func_path="placette.mailing.sending.campaign_deliver",
        kwargs={"campaign_id": campaign.pk},
        return_url=campaign.get_absolute_url(),
    )


@transaction.atomic
def campaign_schedule(*, actor: Any, campaign: Campaign, at: Any) -> Campaign:
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("segment")
        .get(pk=campaign.pk)
    )
    blocked = send_blockers(campaign)
    if blocked:
        raise Refusal(blocked, code="campaign_blocked")
    if at <= timezone.now():
        raise Refusal(_("Choisissez un moment à venir."), field="at")
    campaign.status = CampaignStatus.SCHEDULED
    campaign.scheduled_at = at
    campaign.save(update_fields=["status", "scheduled_at"])
    audit_log(actor=actor, action="mailing.campaign.scheduled", obj=campaign, at=at)
    return campaign


@transaction.atomic
def campaign_unschedule(*, actor: Any, campaign: Campaign) -> None:
    updated = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.SCHEDULED).update(
        status=CampaignStatus.DRAFT, scheduled_at=None
    )
    if updated:
        audit_log(actor=actor, action="mailing.campaign.unscheduled", obj=campaign)


def campaigns_due_start(*, now: Any = None) -> list[Job]:
    """Start every scheduled campaign whose time has come (`manage.py mailing_send_due`,
    periodic and idempotent: a started campaign is no longer « scheduled »)."""
    now = now or timezone.now()
    jobs = []
    for campaign in Campaign.objects.filter(status=CampaignStatus.SCHEDULED, scheduled_at__lte=now):
        try:
            jobs.append(campaign_send_start(actor=None, campaign=campaign))
        except Refusal as exc:
            Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.DRAFT)
            audit_log(
                actor=None, action="mailing.campaign.schedule_failed", obj=campaign, reason=str(exc)
            )
    return jobs


def recipients_freeze(campaign: Campaign) -> int:
    """Write one delivery per address of the segment, once (in one transaction: a killed
    worker leaves all or none). Returns how many recipients the campaign has."""
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update(of=("self",))
            .select_related("segment")
            .get(pk=campaign.pk)
        )
        if campaign.deliveries.exists():
            return campaign.recipients_count
        rows = segment_recipients(campaign.segment).values_list(
            "pk", "email", "email_normalized", "first_name", "last_name", "member__number"
        )
        seen: set[str] = set()
        batch: list[Delivery] = []
        count = 0
        for pk, email, normalized, first, last, number in rows.order_by("pk").iterator(
            chunk_size=2000
        ):
            if normalized in seen:  # two contacts sharing an address get one copy
                continue
            seen.add(normalized)
            batch.append(
                Delivery(
                    campaign=campaign,
                    contact_id=pk,
                    email=email,
                    email_normalized=normalized,
                    first_name=first,
                    last_name=last,
                    member_number=number,
                    token=new_token(),
                )
            )
            count += 1
            if len(batch) >= 2000:
                Delivery.objects.bulk_create(batch)
                batch = []
        Delivery.objects.bulk_create(batch)
        if count == 0:
            campaign.status = CampaignStatus.DRAFT
            campaign.save(update_fields=["status"])
        else:
            campaign.recipients_count = count
            campaign.save(update_fields=["recipients_count"])
    if count == 0:
        raise Refusal(
            _("Le segment ne compte plus aucun destinataire : rien n’a été envoyé."),
            code="campaign_empty",
        )
    return count


def _deliver_batch(campaign: Campaign, batch: list[Delivery]) -> None:
    with transaction.atomic():
        for delivery in batch:
            values = _values(
                first_name=delivery.first_name,
                last_name=delivery.last_name,
                number=delivery.member_number,
                token=delivery.token,
            )
            message = mail_send(
                template="mailing/campaign",
                key=delivery.message_key,
                to_email=delivery.email,
                context=_context(campaign, campaign.sent_html, campaign.sent_text, values),
                kind="mailing.campaign",
                headers={
                    **list_headers(campaign, delivery.token),
                    # Brevo echoes it in its webhook: a bounce finds its delivery.
                    "X-Mailin-custom": json.dumps({"delivery": delivery.token}),
                },
                transactional=False,
            )
            if message is None:
                delivery.status = DeliveryStatus.SKIPPED
                delivery.skipped_reason = _("adresse sur la liste d’opposition")
            else:
                delivery.status = DeliveryStatus.QUEUED
                delivery.message = message
        Delivery.objects.bulk_update(batch, ["status", "skipped_reason", "message"])
        # mail_send stored the contact on each message; nothing else to do here.


def campaign_deliver(job: Job, *, campaign_id: int) -> JobResult:
    """The sending job: freeze, then hand the pending deliveries to the mail queue in batches
    of BATCH_SIZE at MAILING_RATE_PER_SECOND at most. Resumable: only pending rows are read."""
    campaign = Campaign.objects.select_related("purpose", "segment").get(pk=campaign_id)
    if campaign.status == CampaignStatus.SENT:
        return JobResult(message=_("Cette campagne est déjà envoyée."))
    if campaign.status != CampaignStatus.SENDING:
        raise Refusal(_("Cette campagne n’est pas en cours d’envoi."))
    total = recipients_freeze(campaign)
    pending = campaign.deliveries.filter(status=DeliveryStatus.PENDING)
    done = total - pending.count()
    rate = float(getattr(settings, "MAILING_RATE_PER_SECOND", 0) or 0)
    while True:
        batch = list(pending.order_by("pk")[:BATCH_SIZE])
        if not batch:
            break
        started = time.monotonic()
        _deliver_batch(campaign, batch)
        done += len(batch)
        job.progress(
            done,
            total,
            _("%(done)s e-mails sur %(total)s remis à l’envoi") % {"done": done, "total": total},
        )
        if rate > 0:
            time.sleep(max(0.0, len(batch) / rate - (time.monotonic() - started)))
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.SENT, sent_at=timezone.now()
    )
    audit_log(actor=None, action="mailing.campaign.sent", obj=campaign, recipients=total)
    return JobResult(
        message=ngettext(
            "%(n)s destinataire : l’e-mail est remis à l’envoi.",
            "%(n)s destinataires : les e-mails sont remis à l’envoi.",
            total,
        )
        % {"n": total}
    )


def campaign_stats(campaign: Campaign) -> dict[str, int]:
    """Figures of one campaign in one query: recipients, sent, failed, waiting, skipped,
    bounced, complaints, unsubscribed (no tracking pixel: no opens)."""
    return campaign.deliveries.aggregate(
        recipients=Count("pk"),
        sent=Count("pk", filter=Q(message__status=MessageStatus.SENT)),
        failed=Count("pk", filter=Q(message__status=MessageStatus.FAILED)),
        waiting=Count(
            "pk",
            filter=Q(status=DeliveryStatus.PENDING)
            | Q(message__status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]),
        ),
        skipped=Count("pk", filter=Q(status=DeliveryStatus.SKIPPED)),
        bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
        complaints=Count("pk", filter=Q(complained_at__isnull=False)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )

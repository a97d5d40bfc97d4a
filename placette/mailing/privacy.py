"""Data-protection rights of a person (GDPR art. 15, 17 and 20, CNIL's 3-year rule for prospects).

- `person_data` / `person_export_zip`: everything Placette holds about a contact, read from
  every relation any area declared to `contacts.Contact` (so an area added later is exported
  without touching this file), as JSON and one CSV per kind of row (`lib.exports`).
- `person_erase`: every consent in force withdrawn in the ledger (a new record), the kernel's
  `contact_anonymise`, and this area's part — the address goes to
  the suppression list (reason « erasure »: it must never be mailed again, so this one line is
  kept), sign-ups, preference key and the names on past deliveries go, the stored copies of
  the emails sent to the person are emptied and a sign-in account is closed. What the law
  requires is kept: the share register and the other rows an area protects
  (`contact_legal_holds`), the consent ledger (the proof, append-only).
- `prospects_due`: people with no legal hold, no sign-in account and no sign of life for three
  years (history, consent act, card change); the dashboard proposes them, the team confirms.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import (
    ConsentRecord,
    ConsentSource,
    Contact,
    ContactKind,
    TimelineEntry,
)
from placette.contacts.services import (
    ERASED_NAME,
    consent_set,
    consent_states,
    contact_anonymise,
)
from placette.lib.audit import audit_log
from placette.lib.exports import csv_write
from placette.lib.models import OutgoingMessage
from placette.lib.refusals import Refusal
from placette.lib.text import normalize_email
from placette.mailing.models import Delivery, PreferenceKey, Signup, SuppressionReason
from placette.mailing.services import suppression_add

RETENTION_YEARS = 3
# Secrets are not personal data to hand over and would open the person's pages to anyone.
SECRET_FIELDS = {"password", "token", "key", "secret", "totp_secret", "session_key"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: models.Model) -> dict[str, Any]:
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        row[field.name] = getattr(obj, field.attname)
    return row


def person_data(contact: Contact) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(key, title, rows) for the card and every kind of row pointing at it, rows as plain
    values (a foreign key as its id). One query per relation of `Contact`."""
    sections = [
        ("contacts.contact", str(_("Fiche contact")), [_row(contact)]),
        (
            "contacts.tag",
            str(_("Étiquettes")),
            [{"name": name} for name in contact.tags.values_list("name", flat=True)],
        ),
    ]
    for relation in Contact._meta.related_objects:
        if relation.many_to_many:
            continue
        model = relation.related_model
        rows = [
            _row(obj)
            for obj in model._base_manager.filter(**{relation.field.name: contact}).order_by("pk")
        ]
        if rows:
            sections.append(
                (
                    f"{model._meta.app_label}.{model._meta.model_name}.{relation.field.name}",
                    str(model._meta.verbose_name_plural),
                    rows,
                )
            )
    return sections


def person_export_zip(*, actor: Any, contact: Contact) -> tuple[str, bytes]:
    """The file of a right of access / portability request: `donnees.json` and one CSV per
    section (French spreadsheets, formulas neutralised by `lib.exports`). One audit entry."""
    sections = person_data(contact)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        document = {
            "contact": contact.pk,
            "exported_at": timezone.now().isoformat(),
            "sections": [
                {"key": key, "title": title, "rows": [_plain_row(r) for r in rows]}
                for key, title, rows in sections
            ],
        }
        archive.writestr(
            "donnees.json", json.dumps(document, ensure_ascii=False, indent=2, default=str)
        )
        for key, _title, rows in sections:
            if not rows:
                continue
            out = io.StringIO()
            header = list(rows[0])
            csv_write(out, header, [[r[h] for h in header] for r in rows])
            archive.writestr(f"{key.replace('.', '_')}.csv", "\ufeff" + out.getvalue())
    audit_log(actor=actor, action="mailing.person.exported", obj=contact)
    return f"donnees-{contact.pk}.zip", buffer.getvalue()


def _plain_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.items()}


@transaction.atomic
def person_erase(*, actor: Any, contact: Contact) -> list[str]:
    """Erase a person (GDPR art. 17), keeping what the law requires; returns the legal holds
    that kept their name and postal address (empty: fully anonymised)."""
    if not contact.is_person:
        raise Refusal(_("Seules les données d’une personne peuvent être effacées."))
    user = getattr(contact, "user", None)
    if user is not None and user.is_staff:
        raise Refusal(_("Cette personne a un compte de l’équipe : retirez-lui d’abord ce rôle."))
    normalized = normalize_email(contact.email)
    for state in consent_states(contact):
        if state.given:  # the ledger stays; it records the withdrawal the erasure means
            consent_set(
                contact=contact,
                purpose=state.purpose,
                given=False,
                source=ConsentSource.OTHER,
                source_detail=_("effacement des données (RGPD, art. 17)"),
                text=state.purpose.withdrawal_text,
                version=state.purpose.version,
                email=contact.email,
                actor=actor,
            )
    if normalized:
        suppression_add(
            email=normalized,
            reason=SuppressionReason.ERASURE,
            detail=_("effacement demandé"),
            contact=contact,
            actor=actor,
        )
        Signup.objects.filter(email_normalized=normalized).delete()
    Signup.objects.filter(contact=contact).delete()
    PreferenceKey.objects.filter(contact=contact).delete()
    deliveries = list(Delivery.objects.filter(contact=contact))
    for delivery in deliveries:
        delivery.first_name = delivery.last_name = ""
        delivery.member_number = None
    Delivery.objects.bulk_update(deliveries, ["first_name", "last_name", "member_number"])
    OutgoingMessage.objects.filter(contact=contact).exclude(status="queued").update(
        body_text="", body_html=""
    )
    if user is not None:
        user.is_active = False
        user.display_name = ""
        user.email = f"efface-{user.pk}@invalid.invalid"
        user.save(update_fields=["is_active", "display_name", "email"])
    holds = contact_anonymise(actor=actor, contact=contact)
    audit_log(actor=actor, action="mailing.person.erased", obj=contact, kept=holds)
    return holds


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - RETENTION_YEARS)
    except ValueError:  # 29 February
        return now.replace(year=now.year - RETENTION_YEARS, day=28)


def prospects_due(cutoff: dt.datetime | None = None) -> QuerySet[Contact]:
    """People without anything the law keeps (no member number, no share movement, no holding),
    without a sign-in account, not yet erased, whose card, history and consent acts are all
    older than `cutoff` (three years ago by default). One query."""
    cutoff = cutoff or retention_cutoff()
    queryset = Contact.objects.filter(
        kind=ContactKind.PERSON, created_at__lt=cutoff, updated_at__lt=cutoff
    ).exclude(Q(first_name="", last_name__startswith=ERASED_NAME, email=""))
    for relation in Contact._meta.related_objects:
        if relation.on_delete is models.PROTECT and relation.related_model is not ConsentRecord:
            model = relation.related_model
            queryset = queryset.exclude(
                Exists(model._base_manager.filter(**{relation.field.name: OuterRef("pk")}))
            )
    return (
        queryset.exclude(user__isnull=False)
        .exclude(Exists(TimelineEntry.objects.filter(contact=OuterRef("pk"), at__gte=cutoff)))
        .exclude(Exists(ConsentRecord.objects.filter(contact=OuterRef("pk"), at__gte=cutoff)))
    )


def retention_erase(job: Any = None, *, cutoff: str, actor_id: int | None = None) -> Any:
    """The background job confirmed on the retention page: erase every prospect still due at
    `cutoff` (recomputed, so someone who came back meanwhile is kept)."""
    from django.contrib.auth import get_user_model

    from placette.lib.jobs import JobResult

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    ids = list(prospects_due(dt.datetime.fromisoformat(cutoff)).values_list("pk", flat=True))
    for done, pk in enumerate(ids, start=1):
        person_erase(actor=actor, contact=Contact.objects.get(pk=pk))
        if job is not None:
            job.progress(done, len(ids), _("Fiches effacées"))
    return JobResult(message=_("%(n)s fiches de prospects effacées.") % {"n": len(ids)})

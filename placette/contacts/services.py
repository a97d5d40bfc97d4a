"""Contacts: creation, update, notes, the shared timeline, duplicate detection and merging,
and the consent ledger (who agreed to what, when, through which words)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import DatabaseError, models, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import (
    Affiliation,
    ConsentPurpose,
    ConsentRecord,
    ConsentSource,
    Contact,
    ContactKind,
    Tag,
    TimelineEntry,
    TimelineKind,
)
from placette.lib.audit import audit_log
from placette.lib.refusals import Refusal

CONTACT_FIELDS = [
    "kind",
    "first_name",
    "last_name",
    "organisation_name",
    "org_kind",
    "siren",
    "email",
    "phone",
    "website",
    "address_line1",
    "address_line2",
    "postcode",
    "commune_code",
]


def timeline_append(
    *,
    contact: Contact,
    kind: str,
    title: str,
    body: str = "",
    actor: Any = None,
    area: str = "contacts",
    link: str = "",
    at: datetime | None = None,
) -> TimelineEntry:
    """Add one event to a contact's history (any area may call this)."""
    return TimelineEntry.objects.create(
        contact=contact,
        kind=kind,
        title=title[:200],
        body=body,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        area=area,
        link=link,
        at=at or timezone.now(),
    )


def _set_tags(contact: Contact, tag_names: Iterable[str]) -> None:
    names = sorted({n.strip() for n in tag_names if n and n.strip()})
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=n) for n in names if n not in existing]
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    contact.tags.set(Tag.objects.filter(name__in=names))


@transaction.atomic
def contacts_tag(*, actor: Any, contacts: models.QuerySet[Contact], tag_name: str) -> int:
    """Add one tag to every contact of a selection (a bulk action of the contacts list).

    Contacts that already carry the tag are left as they are; returns how many received it.
    One audit entry for the whole batch, naming the contacts."""
    name = tag_name.strip()
    if not name:
        raise ValueError("tag_name is empty")
    tag, _created = Tag.objects.get_or_create(name=name)
    ids = sorted(contacts.exclude(tags=tag).values_list("pk", flat=True))
    through = Contact.tags.through
    through.objects.bulk_create(
        [through(contact_id=pk, tag_id=tag.pk) for pk in ids], batch_size=2000
    )
    audit_log(actor=actor, action="contacts.tag.added", obj=tag, count=len(ids), contacts=ids)
    return len(ids)


@transaction.atomic
def contact_create(
    *, actor: Any, data: dict[str, Any], tags: Iterable[str] = (), source: str = "saisie"
) -> Contact:
    contact = Contact(**{k: v for k, v in data.items() if k in CONTACT_FIELDS})
    if contact.kind == ContactKind.PERSON:
        contact.organisation_name = contact.org_kind = ""
    else:
        contact.first_name = contact.last_name = ""
    contact.refresh_derived(organisation_names=[])
    contact.save()
    _set_tags(contact, tags)
    timeline_append(
        contact=contact, kind=TimelineKind.CREATED, title=f"Fiche créée ({source})", actor=actor
    )
    audit_log(actor=actor, action="contacts.contact.created", obj=contact, source=source)
    return contact


@transaction.atomic
def contact_update(
    *, actor: Any, contact: Contact, data: dict[str, Any], tags: Iterable[str] | None = None
) -> Contact:
    changed = {}
    for field in CONTACT_FIELDS:
        if field in data and getattr(contact, field) != data[field]:
            changed[field] = [getattr(contact, field), data[field]]
            setattr(contact, field, data[field])
    contact.refresh_derived()
    contact.save()
    if tags is not None:
        _set_tags(contact, tags)
    if changed:
        labels = ", ".join(
            str(getattr(Contact._meta.get_field(f), "verbose_name", f)) for f in changed
        )
        timeline_append(
            contact=contact,
            kind=TimelineKind.UPDATED,
            title=f"Fiche modifiée : {labels}",
            actor=actor,
        )
        audit_log(actor=actor, action="contacts.contact.updated", obj=contact, changes=changed)
    return contact


@transaction.atomic
def contact_note_add(
    *, actor: Any, contact: Contact, kind: str, title: str, body: str = ""
) -> TimelineEntry:
    entry = timeline_append(contact=contact, kind=kind, title=title, body=body, actor=actor)
    audit_log(actor=actor, action="contacts.note.added", obj=contact, kind=kind, title=title)
    return entry


@transaction.atomic
def affiliation_add(
    *, actor: Any, person: Contact, organisation: Contact, role: str
) -> Affiliation:
    if not person.is_person or organisation.is_person:
        raise Refusal("Un rattachement relie une personne à une organisation.")
    affiliation, _ = Affiliation.objects.update_or_create(
        person=person, organisation=organisation, defaults={"role": role.strip()}
    )
    person.refresh_derived()
    person.save(update_fields=["search_text"])
    timeline_append(
        contact=person,
        kind=TimelineKind.UPDATED,
        title=f"Rattachée à {organisation} ({role or 'sans fonction'})",
        actor=actor,
    )
    audit_log(
        actor=actor,
        action="contacts.affiliation.added",
        obj=person,
        organisation=organisation.pk,
        role=role,
    )
    return affiliation


@dataclass(frozen=True)
class DuplicateGroup:
    reason: str
    key: str
    contacts: list[Contact]


def duplicates_find(limit: int = 100) -> list[DuplicateGroup]:
    """Groups of contacts sharing a normalized email, or the same name in the same commune."""
    groups: list[DuplicateGroup] = []
    emails = (
        Contact.objects.exclude(email_normalized="")
        .values("email_normalized")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("email_normalized")[:limit]
    )
    names = (
        Contact.objects.exclude(commune_code="")
        .values("name_key", "commune_code")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("name_key")[:limit]
    )
    email_keys = [row["email_normalized"] for row in emails]
    name_keys = [(row["name_key"], row["commune_code"]) for row in names]
    by_email: dict[str, list[Contact]] = {}
    for c in Contact.objects.filter(email_normalized__in=email_keys).order_by("id"):
        by_email.setdefault(c.email_normalized, []).append(c)
    for key in email_keys:
        groups.append(DuplicateGroup("même adresse e-mail", key, by_email.get(key, [])))
    if name_keys:
        query = models.Q()
        for name_key, commune_code in name_keys:
            query |= models.Q(name_key=name_key, commune_code=commune_code)
        by_name: dict[tuple[str, str], list[Contact]] = {}
        for c in Contact.objects.filter(query).order_by("id"):
            by_name.setdefault((c.name_key, c.commune_code), []).append(c)
        seen = {frozenset(c.pk for c in g.contacts) for g in groups}
        for pair in name_keys:
            members = by_name.get(pair, [])
            if frozenset(c.pk for c in members) not in seen:
                groups.append(
                    DuplicateGroup(
                        "même nom dans la même commune", f"{pair[0]} ({pair[1]})", members
                    )
                )
    return groups


def _repoint(manager: Any, field: str, absorb: Contact, keep: Contact) -> int:
    """Move one relation; a uniqueness rule or an append-only ledger may refuse it."""
    try:
        with transaction.atomic():
            return int(manager.filter(**{field: absorb}).update(**{field: keep}))
    except DatabaseError:
        label = manager.model._meta.verbose_name_plural
        raise Refusal(
            f"Les {label} de la fiche n° {absorb.pk} ne peuvent pas être rattachés à la fiche "
            f"n° {keep.pk} (doublon ou registre non modifiable) : essayez de conserver plutôt "
            f"la fiche n° {absorb.pk}, ou rapprochez d’abord ces données."
        ) from None


@transaction.atomic
def contact_merge(*, actor: Any, keep: Contact, absorb: Contact) -> Contact:
    """Move every link of `absorb` onto `keep`, fill `keep`'s empty fields, then delete `absorb`.

    Every relation pointing at Contact — in any app, present or future — is moved, so nothing
    attached to the duplicate (timeline, subscriptions, votes…) is lost.
    """
    if keep.pk == absorb.pk:
        raise Refusal("Impossible de fusionner une fiche avec elle-même.")
    if keep.kind != absorb.kind:
        raise Refusal("Impossible de fusionner une personne avec une organisation.")
    keep = Contact.objects.select_for_update().get(pk=keep.pk)
    absorb = Contact.objects.select_for_update().get(pk=absorb.pk)
    moved: dict[str, int] = {}
    for relation in Contact._meta.related_objects:
        if relation.many_to_many:
            continue
        model = relation.related_model
        manager = model._default_manager
        field = relation.field.name
        if relation.one_to_one:
            if manager.filter(**{field: absorb}).exists():
                if manager.filter(**{field: keep}).exists():
                    raise Refusal(
                        f"Les deux fiches ont chacune un(e) {model._meta.verbose_name} : "
                        "fusion impossible, rapprochez-les d’abord."
                    )
                moved[model._meta.label] = _repoint(manager, field, absorb, keep)
            continue
        if model is Affiliation:
            # Keep one affiliation per (person, organisation) pair.
            other = "organisation" if field == "person" else "person"
            already = set(Affiliation.objects.filter(**{field: keep}).values_list(other, flat=True))
            Affiliation.objects.filter(**{field: absorb, f"{other}__in": already}).delete()
            Affiliation.objects.filter(**{field: absorb, other: keep}).delete()
        moved[model._meta.label] = _repoint(manager, field, absorb, keep)
    keep.tags.add(*absorb.tags.all())
    for field in CONTACT_FIELDS:
        if not getattr(keep, field) and getattr(absorb, field):
            setattr(keep, field, getattr(absorb, field))
    absorbed_name, absorbed_pk = str(absorb), absorb.pk
    absorb.delete()
    keep.refresh_derived()
    keep.save()
    timeline_append(
        contact=keep,
        kind=TimelineKind.MERGED,
        title=f"Fusion avec la fiche n° {absorbed_pk} ({absorbed_name})",
        actor=actor,
    )
    audit_log(
        actor=actor,
        action="contacts.contact.merged",
        obj=keep,
        absorbed=absorbed_pk,
        absorbed_name=absorbed_name,
        moved=moved,
    )
    return keep


# --------------------------------------------------------------------------------------------
# Consent ledger
# --------------------------------------------------------------------------------------------


PurposeRef = ConsentPurpose | str


def consent_purposes(*, active_only: bool = True) -> list[ConsentPurpose]:
    """The purposes a contact may agree to, in display order (data: seeded by contacts'
    migration 0002, edited in the admin)."""
    purposes = ConsentPurpose.objects.all()
    if active_only:
        purposes = purposes.filter(active=True)
    return list(purposes.order_by("position", "id"))


def consent_purpose(purpose: PurposeRef) -> ConsentPurpose:
    """A purpose from itself or its code."""
    if isinstance(purpose, ConsentPurpose):
        return purpose
    found = ConsentPurpose.objects.filter(code=purpose).first()
    if found is None:
        message = _("Finalité de consentement inconnue : « %(code)s ».")
        raise Refusal(message % {"code": purpose}, field="purpose", code="consent_purpose")
    return found


def consent_purpose_offered(code: str) -> ConsentPurpose | None:
    """The active purpose of that code, or None when it is not (or no longer) offered: forms
    then leave its box out."""
    return ConsentPurpose.objects.filter(code=code, active=True).first()


def _purpose_filter(purpose: PurposeRef) -> Q:
    if isinstance(purpose, ConsentPurpose):
        return Q(purpose=purpose)
    return Q(purpose__code=purpose)


def _until(on: dt.date | dt.datetime | None) -> Q:
    """Records in force at `on`: up to that moment, or up to the end of that day for a date."""
    if on is None:
        return Q()
    if isinstance(on, dt.datetime):
        return Q(at__lte=on)
    next_day = dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min)
    return Q(at__lt=timezone.make_aware(next_day))


def consent_record_of(
    contact: Contact | int, purpose: PurposeRef, on: dt.date | dt.datetime | None = None
) -> ConsentRecord | None:
    """The record in force for `contact` and `purpose` at `on` (the latest at or before it;
    now when `on` is None), or None when nothing was ever recorded."""
    contact_id = contact if isinstance(contact, int) else contact.pk
    return (
        ConsentRecord.objects.filter(_purpose_filter(purpose), _until(on), contact_id=contact_id)
        .order_by("-at", "-id")
        .first()
    )


def consent_of(
    contact: Contact | int, purpose: PurposeRef, on: dt.date | dt.datetime | None = None
) -> bool:
    """Whether `contact` had agreed to `purpose` at `on` (a date: at the end of that day; a
    datetime: at that moment; None: now). No record means no consent."""
    record = consent_record_of(contact, purpose, on)
    return bool(record and record.given)


def consent_givers(
    purpose: PurposeRef, on: dt.date | dt.datetime | None = None
) -> QuerySet[Contact]:
    """Contacts whose record in force for `purpose` at `on` is a consent (one query, reading
    the records of that purpose only — not one probe per contact)."""
    until = _until(on)
    newer = ConsentRecord.objects.filter(
        until,
        contact_id=OuterRef("contact_id"),
        purpose_id=OuterRef("purpose_id"),
    ).filter(Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gt=OuterRef("id")))
    in_force = (
        ConsentRecord.objects.filter(_purpose_filter(purpose), until, given=True)
        .filter(~Exists(newer))
        .values("contact_id")
    )
    return Contact.objects.filter(pk__in=in_force)


@dataclass(frozen=True)
class ConsentState:
    """A contact's standing on one purpose: the record in force, if any."""

    purpose: ConsentPurpose
    record: ConsentRecord | None

    @property
    def given(self) -> bool:
        return bool(self.record and self.record.given)

    @property
    def next_text(self) -> str:
        """The words a change would be made with: the withdrawal when given, else the consent."""
        return self.purpose.text_for(not self.given)


def consent_state(
    contact: Contact, purpose: PurposeRef, on: dt.date | dt.datetime | None = None
) -> ConsentState:
    """`contact`'s standing on one purpose at `on`."""
    purpose = consent_purpose(purpose)
    return ConsentState(purpose=purpose, record=consent_record_of(contact, purpose, on))


def consent_states(contact: Contact, on: dt.date | dt.datetime | None = None) -> list[ConsentState]:
    """One state per active purpose (and per inactive one the contact has records for), in
    display order; two queries whatever the number of purposes."""
    latest: dict[int, ConsentRecord] = {}
    for record in (
        ConsentRecord.objects.filter(_until(on), contact=contact)
        .select_related("recorded_by")
        .order_by("at", "id")
    ):
        latest[record.purpose_id] = record
    purposes = ConsentPurpose.objects.filter(Q(active=True) | Q(pk__in=list(latest)))
    return [
        ConsentState(purpose=p, record=latest.get(p.pk))
        for p in purposes.order_by("position", "id")
    ]


def consent_history(contact: Contact, purpose: PurposeRef | None = None) -> QuerySet[ConsentRecord]:
    """Every record of `contact` (of one purpose if given), newest first: the proof."""
    records = ConsentRecord.objects.filter(contact=contact)
    if purpose is not None:
        records = records.filter(_purpose_filter(purpose))
    return records.select_related("purpose", "recorded_by").order_by("-at", "-id")


def _clean_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    try:
        validate_ipv46_address(ip)
    except ValidationError:
        return None
    return ip


@transaction.atomic
def consent_set(
    *,
    contact: Contact,
    purpose: PurposeRef,
    given: bool,
    source: str,
    text: str,
    version: str,
    ip: str | None = None,
    user_agent: str | None = None,
    actor: Any = None,
    at: dt.datetime | None = None,
    email: str | None = None,
    source_detail: str = "",
) -> ConsentRecord:
    """Record that `contact` gave (`given`) or withdrew their consent to `purpose`.

    Proof of consent (GDPR art. 7(1); for the AG convocation, Code de commerce R225-63): the
    record keeps when (`at`, by default now, never in the future), the channel (`source`, a
    `ConsentSource`, with an optional `source_detail` such as a request reference), the exact
    words shown (`text`, required) and the form's `version`, the IP address and browser for a
    web form, the address concerned (`email`, by default the contact's) and who typed it in.
    A purpose that `needs_email` refuses a consent from a contact without an address.

    Append-only: a withdrawal is a new record. The same state again, with the same words and
    version, records nothing (and writes no audit or timeline line); otherwise one record, one
    audit entry (``contacts.consent.given`` / ``contacts.consent.withdrawn``) and one timeline
    line. Returns the record in force.
    """
    purpose = consent_purpose(purpose)
    if source not in ConsentSource.values:
        message = _("Origine du consentement inconnue : « %(source)s ».")
        raise Refusal(message % {"source": source}, field="source", code="consent_source")
    text = (text or "").strip()
    if not text:
        raise Refusal(
            _("Le texte présenté est nécessaire : c’est la preuve de ce qui a été accepté."),
            field="text",
            code="consent_text",
        )
    now = timezone.now()
    at = at or now
    if at > now:
        raise Refusal(
            _("Un accord ou un retrait ne peut pas être daté dans le futur."),
            field="at",
            code="consent_future",
        )
    # One act at a time per contact, so "same state again" is decided on the latest record.
    Contact.objects.select_for_update().filter(pk=contact.pk).first()
    address = (email if email is not None else contact.email).strip()
    if given and purpose.needs_email and not address:
        raise Refusal(
            _("Une adresse e-mail est nécessaire pour donner l’accord « %(purpose)s ».")
            % {"purpose": purpose.label},
            field="email",
            code="consent_email",
        )
    latest = consent_record_of(contact, purpose, at)
    if (
        latest is not None
        and latest.given == bool(given)
        and latest.text == text
        and latest.version == version
    ):
        return latest
    record = ConsentRecord.objects.create(
        contact=contact,
        purpose=purpose,
        given=bool(given),
        at=at,
        source=source,
        source_detail=source_detail[:200],
        version=version[:30],
        text=text,
        email=address,
        ip=_clean_ip(ip),
        user_agent=(user_agent or "")[:400],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        recorded_at=now,
    )
    record.is_new = True
    audit_log(
        actor=actor,
        action="contacts.consent.given" if given else "contacts.consent.withdrawn",
        obj=contact,
        purpose=purpose.code,
        source=source,
        version=version,
        record=record.pk,
    )
    body = str(ConsentSource(source).label)
    if source_detail:
        body += f" ({source_detail})"
    if version:
        body += " · " + _("version %(version)s") % {"version": version}
    timeline_append(
        contact=contact,
        kind=TimelineKind.CONSENT,
        title=(_("Accord donné : %(purpose)s") if given else _("Accord retiré : %(purpose)s"))
        % {"purpose": purpose.label},
        body=body,
        actor=actor,
        link=reverse("contacts:consents", args=[contact.pk]),
        at=at,
    )
    return record


# -- Data-protection rights (GDPR art. 17): the kernel's part of an erasure --------------------

ERASED_NAME = "EFFACÉE"


def contact_legal_holds(contact: Contact) -> list[str]:
    """What other areas keep about `contact` because the law requires it: every relation an area
    declared with `on_delete=PROTECT` that holds rows (share register movements, a member's
    number, holdings of an instrument, invoices…), except the consent ledger, which keeps its own
    proof. The names are the models' plural names, for the staff's explanation."""
    holds = []
    for relation in Contact._meta.related_objects:
        if relation.on_delete is not models.PROTECT or relation.related_model is ConsentRecord:
            continue
        model = relation.related_model
        if model._base_manager.filter(**{relation.field.name: contact}).exists():
            holds.append(str(model._meta.verbose_name_plural))
    return holds


@transaction.atomic
def contact_anonymise(*, actor: Any, contact: Contact) -> list[str]:
    """Erase a person's data from their contact card (GDPR art. 17) and return the legal holds.

    The card itself stays (the rows that must be kept point at it). Always erased: e-mail,
    phone, website, tags, organisations and the history (a note may say anything about the
    person). The name and postal address are erased too unless a legal hold needs them (the
    share register names its holders: `contact_legal_holds`). The consent ledger is never
    touched (append-only: it is the proof the law asks for). One audit entry, one history line."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not contact.is_person:
        raise Refusal(_("Seules les données d’une personne peuvent être effacées."))
    holds = contact_legal_holds(contact)
    contact.email = contact.phone = contact.website = ""
    if not holds:
        contact.first_name = ""
        contact.last_name = f"{ERASED_NAME} {contact.pk}"
        contact.address_line1 = contact.address_line2 = contact.postcode = ""
        contact.commune_code = ""
    contact.tags.clear()
    Affiliation.objects.filter(person=contact).delete()
    TimelineEntry.objects.filter(contact=contact).delete()
    contact.refresh_derived(organisation_names=[])
    contact.save()
    timeline_append(
        contact=contact,
        kind=TimelineKind.OTHER,
        title=_("Données personnelles effacées (RGPD, art. 17)"),
        actor=actor,
    )
    audit_log(actor=actor, action="contacts.contact.anonymised", obj=contact, kept=holds)
    return holds

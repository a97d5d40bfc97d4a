"""Contacts: creation, update, notes, the shared timeline, duplicate detection and merging."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import DatabaseError, models, transaction
from django.db.models import Count
from django.utils import timezone

from placette.contacts.models import (
    Affiliation,
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

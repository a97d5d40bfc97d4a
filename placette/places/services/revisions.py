"""Index values (ILC, ILAT, ICC) and the yearly rent revisions of leases.
Keyword-only, atomic, audited."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.utils.translation import gettext as _

from placette.contacts.models import TimelineKind
from placette.contacts.services import timeline_append
from placette.lib.audit import audit_log
from placette.lib.money import euros, parse_decimal
from placette.lib.refusals import Refusal
from placette.lib.sums import decimal_exact
from placette.places import indexation
from placette.places.models import (
    IndexKind,
    IndexValue,
    Lease,
    RentRevision,
)
from placette.places.services._common import _user

INDEX_VALUE_LIMIT = Decimal(10) ** 7
"""An index value fits its column (9 digits, 2 after the point)."""
INDEX_YEARS = (1900, 2200)


@transaction.atomic
def index_value_set(
    *,
    actor: Any,
    kind: str,
    year: int,
    quarter: int,
    value: Decimal,
    published_on: dt.date | None = None,
) -> IndexValue:
    if kind not in IndexKind.values:
        raise Refusal(_("Indice inconnu : « %(kind)s » (ILC, ILAT ou ICC).") % {"kind": kind})
    if not 1 <= quarter <= 4:
        raise Refusal(_("Le trimestre va de 1 à 4."))
    if value is None or not value.is_finite() or value >= INDEX_VALUE_LIMIT:
        raise Refusal(
            _(
                "Valeur d’indice illisible : « %(value)s » (un nombre positif, "
                "inférieur à %(limit)s)."
            )
            % {"value": value, "limit": INDEX_VALUE_LIMIT},
            field="value",
        )
    if value <= 0:
        raise Refusal(_("La valeur d’un indice est strictement positive."))
    if not INDEX_YEARS[0] <= year <= INDEX_YEARS[1]:
        raise Refusal(
            _("Année impossible : %(year)s (%(first)s à %(last)s).")
            % {"year": year, "first": INDEX_YEARS[0], "last": INDEX_YEARS[1]},
            field="year",
        )
    index, created = IndexValue.objects.update_or_create(
        kind=kind,
        year=year,
        quarter=quarter,
        defaults={"value": value, "published_on": published_on},
    )
    audit_log(
        actor=actor,
        action="places.index.created" if created else "places.index.updated",
        obj=index,
        value=value,
    )
    return index


@dataclass
class IndexImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


INDEX_COLUMNS = ["indice", "annee", "trimestre", "valeur"]


def index_values_import(*, actor: Any, raw: bytes) -> IndexImportReport:
    """Import a CSV `indice;annee;trimestre;valeur[;publication]` (comma or point decimals).
    All or nothing: a single bad line and nothing is saved."""
    report = IndexImportReport()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = "\x00"
    if "\x00" in text:
        report.errors.append(_("Ce fichier n’est pas un CSV lisible (UTF-8 ou Windows-1252)."))
        return report
    sample = text[:2000]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [
        (h or "").strip().lower().replace("é", "e").replace("année", "annee")
        for h in (reader.fieldnames or [])
    ]
    missing = [c for c in INDEX_COLUMNS if c not in header]
    if missing:
        report.errors.append(
            "Colonnes manquantes : "
            + ", ".join(missing)
            + " (attendu : indice;annee;trimestre;valeur)."
        )
        return report
    reader.fieldnames = header
    rows = []
    for number, row in enumerate(reader, start=2):
        try:
            kind = (row["indice"] or "").strip().upper()
            year = int((row["annee"] or "").strip())
            quarter = int((row["trimestre"] or "").strip().upper().lstrip("T"))
            value = parse_decimal(row["valeur"] or "")
            published = (row.get("publication") or "").strip()
            published_on = dt.datetime.strptime(published, "%d/%m/%Y").date() if published else None
        except (ValueError, InvalidOperation):
            report.errors.append(
                _("Ligne %(line)s : valeur illisible (%(values)s).")
                % {"line": number, "values": ", ".join(row.values())}
            )
            continue
        if kind not in IndexKind.values:
            report.errors.append(
                _("Ligne %(line)s : indice inconnu « %(kind)s ».") % {"line": number, "kind": kind}
            )
        elif not 1 <= quarter <= 4:
            report.errors.append(
                _("Ligne %(line)s : trimestre %(quarter)s impossible (1 à 4).")
                % {"line": number, "quarter": quarter}
            )
        elif not value.is_finite() or value >= INDEX_VALUE_LIMIT:
            report.errors.append(
                _("Ligne %(line)s : valeur d’indice trop grande « %(value)s ».")
                % {"line": number, "value": value}
            )
        elif value <= 0:
            report.errors.append(
                _("Ligne %(line)s : une valeur d’indice est positive.") % {"line": number}
            )
        elif not INDEX_YEARS[0] <= year <= INDEX_YEARS[1]:
            report.errors.append(
                _("Ligne %(line)s : année %(year)s impossible.") % {"line": number, "year": year}
            )
        else:
            rows.append((kind, year, quarter, value, published_on))
    if report.errors:
        return report
    with transaction.atomic():
        existing = {
            (i.kind, i.year, i.quarter): i.value
            for i in IndexValue.objects.filter(kind__in={r[0] for r in rows})
        }
        for kind, year, quarter, value, published_on in rows:
            before = existing.get((kind, year, quarter))
            if before == value:
                report.unchanged += 1
                continue
            IndexValue.objects.update_or_create(
                kind=kind,
                year=year,
                quarter=quarter,
                defaults={"value": value, "published_on": published_on},
            )
            if before is None:
                report.created += 1
            else:
                report.updated += 1
        audit_log(
            actor=actor,
            action="places.index.imported",
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    return report


@transaction.atomic
def lease_revise(*, actor: Any, lease: Lease, effective_on: dt.date | None = None) -> RentRevision:
    """Yearly indexation: rent × (index of the same quarter one year later ÷ reference index).

    Refused when the new quarter's value is not entered yet. Unpaid schedule lines from the
    effective date on are re-priced at the new rent; the next reference is the new quarter.
    """
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    effective_on = effective_on or lease.next_revision_on()
    if effective_on <= lease.starts_on or effective_on > lease.ends_on:
        raise Refusal(_("La date de révision doit tomber pendant le bail, après sa date d’effet."))
    if lease.revisions.filter(effective_on=effective_on).exists():
        raise Refusal(
            _("Le loyer est déjà révisé au %(effective_on)s.")
            % {"effective_on": f"{effective_on:%d/%m/%Y}"}
        )
    values = {
        (i.year, i.quarter): i.value
        for i in IndexValue.objects.filter(
            kind=lease.index_kind,
            quarter=lease.index_quarter,
            year__in=[lease.index_year, lease.index_year + 1],
        )
    }
    reference = values.get((lease.index_year, lease.index_quarter))
    new = values.get((lease.index_year + 1, lease.index_quarter))
    for value, label in ((reference, lease.reference_label), (new, lease.next_index_label)):
        if value is None:
            raise Refusal(
                _(
                    "Révision impossible au %(effective_on)s : la valeur de l’%(label)s "
                    "n’est pas saisie. Saisissez-la ou importez-la (page Indices), puis "
                    "recommencez. Rien n’a été enregistré."
                )
                % {"effective_on": f"{effective_on:%d/%m/%Y}", "label": label}
            )
    assert reference is not None and new is not None
    result = indexation.rent_revise(lease.current_rent, reference, new)
    revision = RentRevision.objects.create(
        lease=lease,
        effective_on=effective_on,
        previous_rent=lease.current_rent,
        new_rent=result.revised_rent,
        index_kind=lease.index_kind,
        reference_year=lease.index_year,
        reference_quarter=lease.index_quarter,
        reference_value=reference,
        new_year=lease.index_year + 1,
        new_quarter=lease.index_quarter,
        new_value=new,
        explanation=result.explanation,
        actor=_user(actor),
    )
    lease.current_rent = result.revised_rent
    lease.index_year += 1
    lease.save(update_fields=["current_rent", "index_year"])
    # Lines already generated for later months, not yet paid, take the new rent (full months).
    lease.schedule.filter(due_on__gte=effective_on, paid_amount=0, period_start__day=1).update(
        rent=result.revised_rent,
        # Rounded by the database: on SQLite `x + charges` is a float sum a few 1e-13 off.
        amount=decimal_exact(Value(result.revised_rent) + F("charges")),
    )
    timeline_append(
        contact=lease.activity.tenant,
        kind=TimelineKind.OTHER,
        title=(
            _("Loyer révisé au %(effective_on)s : %(previous_rent)s → %(new_rent)s HT par mois")
            % {
                "effective_on": f"{effective_on:%d/%m/%Y}",
                "previous_rent": euros(revision.previous_rent),
                "new_rent": euros(revision.new_rent),
            }
        ),
        body=result.explanation,
        actor=actor,
        area="places",
        link=lease.get_absolute_url(),
    )
    audit_log(
        actor=actor,
        action="places.lease.revised",
        obj=lease,
        effective_on=effective_on,
        previous=revision.previous_rent,
        new=revision.new_rent,
        computation=result.explanation,
    )
    return revision

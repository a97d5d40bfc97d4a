"""Places: every write of the area (places, operations, financing, activities, leases, index
values, revisions, schedules, payments, reminders). Keyword-only, atomic, audited."""

import calendar
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.utils import timezone

from placette.contacts.models import TimelineKind
from placette.contacts.services import timeline_append
from placette.lib.audit import audit_log
from placette.lib.dates import FAR_FUTURE_YEARS, date_check
from placette.lib.documents import document_store
from placette.lib.mail import mail_send
from placette.lib.money import euros, parse_decimal
from placette.lib.refusals import Refusal
from placette.lib.sums import decimal_exact, decimal_sum
from placette.places import indexation
from placette.places.models import (
    STATUS_ORDER,
    ZERO,
    Activity,
    CriteriaState,
    CriteriaVersion,
    Criterion,
    CriterionScore,
    DecisionBody,
    DecisionOutcome,
    FinancingLine,
    IndexKind,
    IndexValue,
    InvestmentDecision,
    Lease,
    Operation,
    Place,
    PlaceDocument,
    PlaceEvent,
    PlacesSettings,
    PlaceStatus,
    ProjectScoring,
    RentLine,
    RentPayment,
    RentReminder,
    RentRevision,
    StatusChange,
)

CENT = Decimal("0.01")
PLACE_FIELDS = [
    "name",
    "kind",
    "address_line1",
    "postcode",
    "commune_code",
    "latitude",
    "longitude",
    "description",
]
OPERATION_FIELDS = [
    "acquired_on",
    "price",
    "notary_fees",
    "works_budget",
    "works_cost",
    "works_started_on",
    "works_ended_on",
    "land_area",
    "built_area",
    "renovated_area",
    "sold_on",
    "sale_price",
]
ACTIVITY_FIELDS = [
    "tenant",
    "name",
    "kind",
    "opened_on",
    "closed_on",
    "jobs_fte",
    "opening_hours",
    "contact_person",
]
LEASE_FIELDS = [
    "kind",
    "starts_on",
    "ends_on",
    "initial_rent",
    "charges",
    "deposit",
    "index_kind",
    "index_year",
    "index_quarter",
    "signed_on",
]


def _not_negative(data: dict[str, Any], labels: dict[str, str]) -> None:
    for name, label in labels.items():
        value = data.get(name)
        if value is not None and value < 0:
            raise Refusal(
                f"{label} ne peut pas être négatif : rien n’a été enregistré.", field=name
            )


# Places and their pipeline -------------------------------------------------------------------


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
        raise Refusal("Commune inconnue : choisissez une commune du code officiel (INSEE).")
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
        raise Refusal("Commune inconnue : choisissez une commune du code officiel (INSEE).")
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
        raise Refusal("Étape inconnue.")
    if not decided_by.strip():
        raise Refusal("Indiquez qui a décidé cette étape (instance ou personne).")
    if decided_on > timezone.localdate():
        raise Refusal("Une étape se date au jour de la décision : pas de date future.")
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


# Operation and financing ---------------------------------------------------------------------


@transaction.atomic
def operation_update(*, actor: Any, operation: Operation, data: dict[str, Any]) -> Operation:
    _not_negative(
        data,
        {
            "price": "Le prix d’achat",
            "notary_fees": "Le montant des frais de notaire",
            "works_budget": "Le budget des travaux",
            "works_cost": "Le coût des travaux",
            "sale_price": "Le prix de vente",
            "land_area": "La surface du terrain",
            "built_area": "La surface bâtie",
            "renovated_area": "La surface rénovée",
        },
    )
    start, end = data.get("works_started_on"), data.get("works_ended_on")
    if start and end and end < start:
        raise Refusal(
            "La fin des travaux précède leur début : corrigez les dates, rien n’a été enregistré."
        )
    changed = {}
    for name in OPERATION_FIELDS:
        if name in data and getattr(operation, name) != data[name]:
            changed[name] = [getattr(operation, name), data[name]]
            setattr(operation, name, data[name])
    operation.save()
    if changed:
        audit_log(
            actor=actor, action="places.operation.updated", obj=operation.place, changes=changed
        )
    return operation


@dataclass(frozen=True)
class FinancingBalance:
    cost: Decimal
    financed: Decimal

    @property
    def gap(self) -> Decimal:
        return self.cost - self.financed

    @property
    def balanced(self) -> bool:
        return self.gap == 0

    @property
    def message(self) -> str:
        if self.balanced:
            return "Le plan de financement équilibre le coût de l’opération."
        if self.gap > 0:
            return (
                f"Plan de financement déséquilibré : il manque {euros(self.gap)} pour couvrir "
                f"le coût de l’opération ({euros(self.cost)})."
            )
        return (
            f"Plan de financement déséquilibré : les sources dépassent de {euros(-self.gap)} "
            f"le coût de l’opération ({euros(self.cost)})."
        )


def financing_balance(*, operation: Operation) -> FinancingBalance:
    financed = operation.financing.aggregate(total=decimal_sum("amount"))["total"]
    return FinancingBalance(cost=operation.total_cost, financed=financed)


@transaction.atomic
def financing_line_add(
    *, actor: Any, operation: Operation, data: dict[str, Any]
) -> tuple[FinancingLine, FinancingBalance]:
    """Add a source to the plan. A plan that does not balance is saved; the caller shows the
    returned balance as a warning."""
    amount = data.get("amount")
    if amount is None or amount <= 0:
        raise Refusal(
            "Le montant d’une source de financement doit être positif : rien n’a été enregistré."
        )
    line = FinancingLine.objects.create(
        operation=operation,
        source=data["source"],
        funder=data.get("funder"),
        amount=amount,
        secured_on=data["secured_on"],
        note=data.get("note", ""),
    )
    balance = financing_balance(operation=operation)
    audit_log(
        actor=actor,
        action="places.financing.added",
        obj=operation.place,
        source=line.source,
        amount=amount,
        balanced=balance.balanced,
    )
    if line.funder:
        timeline_append(
            contact=line.funder,
            kind=TimelineKind.OTHER,
            title=f"Financement de {operation.place} : {euros(amount)}",
            actor=actor,
            area="places",
            link=operation.place.get_absolute_url(),
        )
    return line, balance


@transaction.atomic
def financing_line_remove(*, actor: Any, line: FinancingLine) -> FinancingBalance:
    operation = line.operation
    audit_log(
        actor=actor,
        action="places.financing.removed",
        obj=operation.place,
        source=line.source,
        amount=line.amount,
    )
    line.delete()
    return financing_balance(operation=operation)


# Activities and leases -----------------------------------------------------------------------


@transaction.atomic
def activity_install(*, actor: Any, place: Place, data: dict[str, Any]) -> Activity:
    _not_negative(data, {"jobs_fte": "Le nombre d’emplois"})
    closed = data.get("closed_on")
    if closed and closed < data["opened_on"]:
        raise Refusal("La fermeture précède l’ouverture : rien n’a été enregistré.")
    activity = Activity.objects.create(
        place=place, **{k: v for k, v in data.items() if k in ACTIVITY_FIELDS}
    )
    timeline_append(
        contact=activity.tenant,
        kind=TimelineKind.EVENT,
        title=f"Activité « {activity} » installée à {place} le {activity.opened_on:%d/%m/%Y}",
        actor=actor,
        area="places",
        link=place.get_absolute_url(),
    )
    audit_log(
        actor=actor,
        action="places.activity.installed",
        obj=place,
        activity=activity.pk,
        tenant=activity.tenant_id,
    )
    return activity


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, data: dict[str, Any]) -> Activity:
    _not_negative(data, {"jobs_fte": "Le nombre d’emplois"})
    opened = data.get("opened_on", activity.opened_on)
    closed = data.get("closed_on", activity.closed_on)
    if closed and closed < opened:
        raise Refusal("La fermeture précède l’ouverture : rien n’a été enregistré.")
    changed = {}
    for name in ACTIVITY_FIELDS:
        if name in data and getattr(activity, name) != data[name]:
            changed[name] = [str(getattr(activity, name)), str(data[name])]
            setattr(activity, name, data[name])
    activity.save()
    if changed:
        audit_log(
            actor=actor, action="places.activity.updated", obj=activity.place, changes=changed
        )
        if "closed_on" in changed and activity.closed_on:
            timeline_append(
                contact=activity.tenant,
                kind=TimelineKind.EVENT,
                title=f"Activité « {activity} » fermée le {activity.closed_on:%d/%m/%Y}",
                actor=actor,
                area="places",
                link=activity.place.get_absolute_url(),
            )
    return activity


@transaction.atomic
def lease_create(
    *, actor: Any, activity: Activity, data: dict[str, Any], schedule_until: dt.date | None = None
) -> Lease:
    """A lease and its rent schedule from the start date up to today (or `schedule_until`)."""
    starts, ends = data["starts_on"], data["ends_on"]
    date_check(starts, label="Début du bail", field="starts_on")
    date_check(ends, label="Fin du bail", field="ends_on", future_years=FAR_FUTURE_YEARS)
    date_check(data.get("signed_on"), label="Signature du bail", field="signed_on", past_only=True)
    if ends <= starts:
        raise Refusal(
            f"Le bail se termine le {ends:%d/%m/%Y}, avant de commencer le {starts:%d/%m/%Y} : "
            "corrigez les dates, rien n’a été enregistré."
        )
    _not_negative(
        data,
        {
            "initial_rent": "Le loyer",
            "charges": "La provision de charges",
            "deposit": "Le dépôt de garantie",
        },
    )
    if data.get("index_kind") not in IndexKind.values:
        raise Refusal("Choisissez l’indice de révision prévu au bail (ILC, ILAT ou ICC).")
    if not 1 <= int(data.get("index_quarter") or 0) <= 4:
        raise Refusal("Le trimestre de l’indice de référence va de 1 à 4.")
    lease = Lease(activity=activity, **{k: v for k, v in data.items() if k in LEASE_FIELDS})
    lease.current_rent = lease.initial_rent
    lease.save()
    count = lease_schedule_generate(lease=lease, until=schedule_until or timezone.localdate())
    timeline_append(
        contact=activity.tenant,
        kind=TimelineKind.EVENT,
        title=(
            f"{lease.get_kind_display()} pour {activity.place} du {starts:%d/%m/%Y} au "
            f"{ends:%d/%m/%Y} : {euros(lease.initial_rent)} HT par mois"
        ),
        actor=actor,
        area="places",
        link=lease.get_absolute_url(),
    )
    audit_log(
        actor=actor,
        action="places.lease.created",
        obj=lease,
        rent=lease.initial_rent,
        index=lease.reference_label,
        schedule_lines=count,
    )
    return lease


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def rent_in_force(
    lease: Lease, day: dt.date, revisions: list[RentRevision] | None = None
) -> Decimal:
    revisions = revisions if revisions is not None else list(lease.revisions.all())
    rent = lease.initial_rent
    for revision in sorted(revisions, key=lambda r: r.effective_on):
        if revision.effective_on <= day:
            rent = revision.new_rent
    return rent


def lease_schedule_generate(*, lease: Lease, until: dt.date) -> int:
    """Monthly lines (due on the first day of each period) from the start of the lease through
    the month of `until`. A partial first or last month is charged pro rata temporis, rounded
    half up to the cent. Idempotent: existing lines are kept as they are."""
    last_day = min(_month_end(until), lease.ends_on)
    existing = set(lease.schedule.values_list("due_on", flat=True))
    revisions = list(lease.revisions.all())
    lines = []
    start = lease.starts_on
    while start <= last_day:
        end = min(_month_end(start), lease.ends_on)
        if start not in existing:
            days_in_month = calendar.monthrange(start.year, start.month)[1]
            days = (end - start).days + 1
            ratio = Decimal(days) / Decimal(days_in_month)
            rent = (rent_in_force(lease, start, revisions) * ratio).quantize(CENT, ROUND_HALF_UP)
            charges = (lease.charges * ratio).quantize(CENT, ROUND_HALF_UP)
            lines.append(
                RentLine(
                    lease=lease,
                    due_on=start,
                    period_start=start,
                    period_end=end,
                    rent=rent,
                    charges=charges,
                    amount=rent + charges,
                )
            )
        start = end + dt.timedelta(days=1)
    RentLine.objects.bulk_create(lines, ignore_conflicts=True)
    return len(lines)


@transaction.atomic
def schedules_extend(*, actor: Any, until: dt.date) -> int:
    """Extend every lease in force to the month of `until` (the monthly periodic job)."""
    total = 0
    for lease in Lease.objects.filter(ends_on__gte=_month_start(until), starts_on__lte=until):
        total += lease_schedule_generate(lease=lease, until=until)
    if total:
        audit_log(actor=actor, action="places.schedule.extended", lines=total, until=until)
    return total


# Index values and revisions ------------------------------------------------------------------


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
        raise Refusal(f"Indice inconnu : « {kind} » (ILC, ILAT ou ICC).")
    if not 1 <= quarter <= 4:
        raise Refusal("Le trimestre va de 1 à 4.")
    if value is None or not value.is_finite() or value >= INDEX_VALUE_LIMIT:
        raise Refusal(
            f"Valeur d’indice illisible : « {value} » (un nombre positif, inférieur à "
            f"{INDEX_VALUE_LIMIT}).",
            field="value",
        )
    if value <= 0:
        raise Refusal("La valeur d’un indice est strictement positive.")
    if not INDEX_YEARS[0] <= year <= INDEX_YEARS[1]:
        raise Refusal(
            f"Année impossible : {year} ({INDEX_YEARS[0]} à {INDEX_YEARS[1]}).", field="year"
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
        report.errors.append("Ce fichier n’est pas un CSV lisible (UTF-8 ou Windows-1252).")
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
            report.errors.append(f"Ligne {number} : valeur illisible ({', '.join(row.values())}).")
            continue
        if kind not in IndexKind.values:
            report.errors.append(f"Ligne {number} : indice inconnu « {kind} ».")
        elif not 1 <= quarter <= 4:
            report.errors.append(f"Ligne {number} : trimestre {quarter} impossible (1 à 4).")
        elif not value.is_finite() or value >= INDEX_VALUE_LIMIT:
            report.errors.append(f"Ligne {number} : valeur d’indice trop grande « {value} ».")
        elif value <= 0:
            report.errors.append(f"Ligne {number} : une valeur d’indice est positive.")
        elif not INDEX_YEARS[0] <= year <= INDEX_YEARS[1]:
            report.errors.append(f"Ligne {number} : année {year} impossible.")
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
        raise Refusal("La date de révision doit tomber pendant le bail, après sa date d’effet.")
    if lease.revisions.filter(effective_on=effective_on).exists():
        raise Refusal(f"Le loyer est déjà révisé au {effective_on:%d/%m/%Y}.")
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
                f"Révision impossible au {effective_on:%d/%m/%Y} : la valeur de l’{label} "
                "n’est pas saisie. Saisissez-la ou importez-la (page Indices), puis recommencez. "
                "Rien n’a été enregistré."
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
            f"Loyer révisé au {effective_on:%d/%m/%Y} : {euros(revision.previous_rent)} → "
            f"{euros(revision.new_rent)} HT par mois"
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


# Payments and reminders ----------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *, actor: Any, line: RentLine, amount: Decimal, paid_on: dt.date, method: str
) -> RentPayment:
    if amount is None or amount <= 0:
        raise Refusal("Le montant d’un paiement doit être positif : rien n’a été enregistré.")
    # Arrears at a date count the payments dated by then: a payment bears the day it was received.
    if paid_on > timezone.localdate():
        raise Refusal(
            "Un paiement se date au jour où il est reçu : pas de date future. "
            "Rien n’a été enregistré."
        )
    date_check(paid_on, label="Date du paiement", field="paid_on", past_only=True)
    line = RentLine.objects.select_for_update().select_related("lease__activity").get(pk=line.pk)
    if amount > line.balance:
        raise Refusal(
            f"Le paiement ({euros(amount)}) dépasse le reste dû sur cette échéance "
            f"({euros(line.balance)}) : rien n’a été enregistré."
        )
    payment = RentPayment.objects.create(
        line=line, amount=amount, paid_on=paid_on, method=method, actor=_user(actor)
    )
    line.paid_amount = line.paid_amount + amount
    line.save(update_fields=["paid_amount"])
    audit_log(
        actor=actor,
        action="places.payment.recorded",
        obj=line.lease,
        line=line.pk,
        amount=amount,
        paid_on=paid_on,
    )
    return payment


@transaction.atomic
def rent_reminder_send(
    *, actor: Any, line: RentLine, today: dt.date | None = None
) -> tuple[RentReminder, bool]:
    """Email the tenant about an unpaid line and note it on the tenant's timeline.
    Idempotent: at most one reminder per line per day (the second call sends nothing)."""
    today = today or timezone.localdate()
    line = (
        RentLine.objects.select_for_update()
        .select_related("lease__activity__tenant", "lease__activity__place")
        .get(pk=line.pk)
    )
    already = RentReminder.objects.filter(line=line, sent_on=today).first()
    if already:
        return already, False
    if line.is_paid:
        raise Refusal("Cette échéance est réglée : pas de relance.")
    if line.due_on > today:
        raise Refusal("Cette échéance n’est pas encore due : pas de relance.")
    activity = line.lease.activity
    tenant = activity.tenant
    email = tenant.mail_to
    if not email:
        raise Refusal(
            f"« {tenant} » n’a pas d’adresse e-mail : complétez sa fiche contact pour le relancer."
        )
    try:
        with transaction.atomic():
            reminder = RentReminder.objects.create(
                line=line, sent_on=today, email=email, balance=line.balance, actor=_user(actor)
            )
    except IntegrityError:  # pressed twice at the same moment: the other request sent it
        return RentReminder.objects.get(line=line, sent_on=today), False
    mail_send(
        template="places/rent_reminder",
        to_email=email,
        to_contact=tenant,
        context={
            "line": line,
            "activity": activity,
            "place": activity.place,
            "balance": euros(line.balance),
            "amount": euros(line.amount),
        },
        kind="places.rent_reminder",
        key=f"places.rent_reminder:{reminder.pk}",
        related=reminder,
    )
    timeline_append(
        contact=tenant,
        kind=TimelineKind.EMAIL,
        title=f"Relance loyer impayé du {line.due_on:%d/%m/%Y} ({euros(line.balance)})",
        actor=actor,
        area="places",
        link=line.lease.get_absolute_url(),
    )
    audit_log(
        actor=actor,
        action="places.rent.reminded",
        obj=line.lease,
        line=line.pk,
        balance=line.balance,
        email=email,
    )
    return reminder, True


# Investment decisions and settings -----------------------------------------------------------


# Projects come in at these steps; later steps are decided already.
SCORABLE_STEPS = {PlaceStatus.PROSPECT, PlaceStatus.STUDY}


def _draft(version: CriteriaVersion) -> CriteriaVersion:
    """The version locked for writing; refused once published (published versions are read-only
    so that every past scoring can be read against the grid it used)."""
    version = CriteriaVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise Refusal(
            f"La version {version.number} de la grille est publiée : elle ne se modifie plus. "
            "Créez une nouvelle version pour changer les critères. Rien n’a été enregistré."
        )
    return version


@transaction.atomic
def criteria_version_create(*, actor: Any) -> CriteriaVersion:
    """A new draft version, copying the criteria of the latest version. One draft at a time."""
    draft = CriteriaVersion.objects.filter(state=CriteriaState.DRAFT).first()
    if draft is not None:
        raise Refusal(
            f"La version {draft.number} est déjà en préparation : modifiez-la ou publiez-la "
            "avant d’en créer une autre."
        )
    previous = CriteriaVersion.objects.order_by("-number").first()
    try:
        with transaction.atomic():
            version = CriteriaVersion.objects.create(
                number=(previous.number + 1) if previous else 1,
                created_by=_user(actor),
                note=previous.note if previous else "",
            )
    except IntegrityError:  # two clicks at once: the other request created the draft
        raise Refusal("Une version de la grille est déjà en préparation.") from None
    if previous is not None:
        Criterion.objects.bulk_create(
            Criterion(version=version, label=c.label, description=c.description, weight=c.weight)
            for c in previous.criteria.order_by("id")
        )
    audit_log(
        actor=actor,
        action="places.criteria.created",
        obj=version,
        copied_from=previous.number if previous else None,
    )
    return version


@transaction.atomic
def criteria_version_update(
    *, actor: Any, version: CriteriaVersion, note: str, criteria: list[dict[str, Any]]
) -> CriteriaVersion:
    """Replace the criteria of a draft. `criteria`: dicts with `id` (None for a new one),
    `label`, `description`, `weight` (1 to 10), `delete`."""
    version = _draft(version)
    kept = [c for c in criteria if not c.get("delete") and (c.get("label") or "").strip()]
    labels = [c["label"].strip() for c in kept]
    for criterion in kept:
        weight = criterion.get("weight")
        if weight is None or not 1 <= weight <= 10:
            raise Refusal(
                f"Le poids de « {criterion['label'].strip()} » va de 1 à 10 : "
                "rien n’a été enregistré."
            )
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise Refusal(f"Le critère « {duplicates[0]} » figure deux fois : rien n’a été enregistré.")
    existing = {c.pk: c for c in version.criteria.all()}
    removed = [pk for pk in existing if pk not in {c.get("id") for c in kept if c.get("id")}]
    Criterion.objects.filter(pk__in=removed).delete()
    for row in kept:
        values = {
            "label": row["label"].strip(),
            "description": (row.get("description") or "").strip(),
            "weight": row["weight"],
        }
        current = existing.get(row.get("id"))  # type: ignore[arg-type]  # None: a new one
        if current is None:
            Criterion.objects.create(version=version, **values)
        else:
            for name, value in values.items():
                setattr(current, name, value)
            current.save()
    version.note = note
    version.save(update_fields=["note"])
    audit_log(
        actor=actor,
        action="places.criteria.updated",
        obj=version,
        criteria=[f"{c['label'].strip()} ({c['weight']})" for c in kept],
    )
    return version


@transaction.atomic
def criteria_version_publish(
    *,
    actor: Any,
    version: CriteriaVersion,
    adopted_on: dt.date | None = None,
    adopted_by: str = "",
    adopted_meeting: Any = None,
) -> CriteriaVersion:
    """Publish a draft: it becomes the version in force and is read-only from then on."""
    version = _draft(version)
    if not version.criteria.exists():
        raise Refusal("Une grille sans critère ne peut pas être publiée.")
    if adopted_on and adopted_on > timezone.localdate():
        raise Refusal("La date d’adoption ne peut pas être dans le futur.")
    version.state = CriteriaState.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = _user(actor)
    version.adopted_on = adopted_on
    version.adopted_by = adopted_by.strip()
    version.adopted_meeting = adopted_meeting
    version.save()
    audit_log(
        actor=actor,
        action="places.criteria.published",
        obj=version,
        adopted_on=adopted_on,
        adopted_by=version.adopted_by,
        meeting=getattr(adopted_meeting, "pk", None),
    )
    return version


def scoring_total(weighted_scores: list[tuple[int, int]]) -> Decimal:
    """Weighted mean of (score, weight) pairs, rounded half up to the hundredth."""
    total_weight = sum(weight for _, weight in weighted_scores)
    if not total_weight:
        return ZERO
    weighted = cast(Decimal, sum(Decimal(score) * weight for score, weight in weighted_scores))
    return (weighted / total_weight).quantize(CENT, ROUND_HALF_UP)


@transaction.atomic
def project_score_record(
    *,
    actor: Any,
    place: Place,
    scores: dict[int, int],
    scored_on: dt.date | None = None,
    origin: str = "",
    comment: str = "",
) -> ProjectScoring:
    """Score an incoming project (prospect or study step) against the version in force:
    0 to 5 on every criterion; the total is the weighted mean."""
    if place.status not in SCORABLE_STEPS:
        raise Refusal(
            f"« {place.name} » est à l’étape « {place.get_status_display()} » : seuls les "
            "projets entrants (prospect ou étude) se notent. Rien n’a été enregistré."
        )
    version = CriteriaVersion.objects.in_force()
    if version is None:
        raise Refusal(
            "Aucune grille de critères n’est publiée : créez et publiez une version "
            "(page Critères d’investissement)."
        )
    criteria = list(version.criteria.all())
    pairs = []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        if score is None or not 0 <= score <= 5:
            raise Refusal(
                f"La note de « {criterion} » doit aller de 0 à 5 : rien n’a été enregistré."
            )
        pairs.append((score, criterion.weight))
    scoring = ProjectScoring.objects.create(
        place=place,
        version=version,
        scored_on=scored_on or timezone.localdate(),
        origin=origin.strip(),
        comment=comment,
        total=scoring_total(pairs),
        actor=_user(actor),
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(scoring=scoring, criterion=c, score=scores[c.pk]) for c in criteria
    )
    audit_log(
        actor=actor,
        action="places.project.scored",
        obj=place,
        version=version.number,
        total=scoring.total,
        scores={c.label: scores[c.pk] for c in criteria},
    )
    return scoring


@transaction.atomic
def investment_decision_record(
    *,
    actor: Any,
    place: Place,
    decided_on: dt.date,
    body: str,
    outcome: str,
    reason: str,
    decided_by: str = "",
    scoring: ProjectScoring | None = None,
) -> InvestmentDecision:
    """The decision of the investment committee, the board or the AG on a project, with its
    reasons and, when the project was scored, the scoring the body examined."""
    if body not in DecisionBody.values:
        raise Refusal("Choisissez l’instance qui a décidé.")
    if outcome not in DecisionOutcome.values:
        raise Refusal("Choisissez la décision.")
    if not reason.strip():
        raise Refusal("Indiquez les motifs de la décision : rien n’a été enregistré.")
    if decided_on > timezone.localdate():
        raise Refusal("Une décision se date au jour où elle est prise : pas de date future.")
    if scoring is not None and scoring.place_id != place.pk:
        raise Refusal("Cette notation concerne un autre projet.")
    decision = InvestmentDecision.objects.create(
        place=place,
        scoring=scoring,
        decided_on=decided_on,
        body=body,
        decided_by=decided_by.strip(),
        outcome=outcome,
        note=reason.strip(),
        actor=_user(actor),
    )
    audit_log(
        actor=actor,
        action="places.decision.recorded",
        obj=place,
        outcome=outcome,
        body=body,
        decided_on=decided_on,
        scoring=scoring.total if scoring else None,
    )
    return decision


@transaction.atomic
def places_settings_update(
    *, actor: Any, network_goal: int, goal_year: int | None
) -> PlacesSettings:
    if network_goal <= 0:
        raise Refusal("L’objectif du réseau est un nombre de lieux positif.")
    current = PlacesSettings.get()
    before = current.network_goal
    current.network_goal = network_goal
    current.goal_year = goal_year
    current.save()
    audit_log(
        actor=actor,
        action="places.settings.updated",
        obj=current,
        network_goal=[before, network_goal],
    )
    return current


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None

"""Installed activities, leases and their rent schedules.
Keyword-only, atomic, audited."""

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import TimelineKind
from placette.contacts.services import timeline_append
from placette.lib.audit import audit_log
from placette.lib.dates import FAR_FUTURE_YEARS, date_check
from placette.lib.money import euros
from placette.lib.refusals import Refusal
from placette.places.models import (
    Activity,
    IndexKind,
    Lease,
    Place,
    RentLine,
    RentRevision,
)
from placette.places.services._common import ACTIVITY_FIELDS, CENT, LEASE_FIELDS, _not_negative


@transaction.atomic
def activity_install(*, actor: Any, place: Place, data: dict[str, Any]) -> Activity:
    _not_negative(data, {"jobs_fte": "Le nombre d’emplois"})
    closed = data.get("closed_on")
    if closed and closed < data["opened_on"]:
        raise Refusal(_("La fermeture précède l’ouverture : rien n’a été enregistré."))
    activity = Activity.objects.create(
        place=place, **{k: v for k, v in data.items() if k in ACTIVITY_FIELDS}
    )
    timeline_append(
        contact=activity.tenant,
        kind=TimelineKind.EVENT,
        title=_("Activité « %(activity)s » installée à %(place)s le %(opened_on)s")
        % {"activity": activity, "place": place, "opened_on": f"{activity.opened_on:%d/%m/%Y}"},
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
        raise Refusal(_("La fermeture précède l’ouverture : rien n’a été enregistré."))
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
                title=_("Activité « %(activity)s » fermée le %(closed_on)s")
                % {"activity": activity, "closed_on": f"{activity.closed_on:%d/%m/%Y}"},
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
            _(
                "Le bail se termine le %(ends)s, avant de commencer le %(starts)s : "
                "corrigez les dates, rien n’a été enregistré."
            )
            % {"ends": f"{ends:%d/%m/%Y}", "starts": f"{starts:%d/%m/%Y}"}
        )
    if activity.closed_on is not None and starts >= activity.closed_on:
        # Checked against the activity at that date: it was already closed then.
        raise Refusal(
            _(
                "L’activité « %(activity)s » est fermée depuis le %(closed)s : un bail ne peut "
                "pas commencer le %(starts)s. Rien n’a été enregistré."
            )
            % {
                "activity": activity,
                "closed": f"{activity.closed_on:%d/%m/%Y}",
                "starts": f"{starts:%d/%m/%Y}",
            },
            field="starts_on",
            code="activity_closed",
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
        raise Refusal(_("Choisissez l’indice de révision prévu au bail (ILC, ILAT ou ICC)."))
    if not 1 <= int(data.get("index_quarter") or 0) <= 4:
        raise Refusal(_("Le trimestre de l’indice de référence va de 1 à 4."))
    lease = Lease(activity=activity, **{k: v for k, v in data.items() if k in LEASE_FIELDS})
    lease.current_rent = lease.initial_rent
    lease.save()
    count = lease_schedule_generate(lease=lease, until=schedule_until or timezone.localdate())
    timeline_append(
        contact=activity.tenant,
        kind=TimelineKind.EVENT,
        title=(
            _("%(kind)s pour %(place)s du %(starts)s au %(ends)s : %(initial_rent)s HT par mois")
            % {
                "kind": lease.get_kind_display(),
                "place": activity.place,
                "starts": f"{starts:%d/%m/%Y}",
                "ends": f"{ends:%d/%m/%Y}",
                "initial_rent": euros(lease.initial_rent),
            }
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

"""What the property managers have to do, for the staff dashboard (placette.lib.dashboard):
yearly rent revisions due, and unpaid rents to chase. Three queries whatever the number of
leases and rent lines."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from placette.lib.dashboard import Todo, Urgency
from placette.places.models import IndexValue, Lease, RentLine, _add_years

AREA = "Lieux"
# An unpaid rent line reminded within these days is not to chase again yet.
REMINDED_DAYS = 30


def todos() -> list[Todo]:
    today = timezone.localdate()
    leases = (
        Lease.objects.in_force_on(today)
        .annotate(last_revision=Max("revisions__effective_on"))
        .values(
            "pk",
            "starts_on",
            "ends_on",
            "last_revision",
            "index_kind",
            "index_year",
            "index_quarter",
            "activity__name",
        )
        .order_by("starts_on", "pk")
    )
    due = []
    for lease in leases:
        # Same rule as Lease.next_revision_on: the anniversary after the last revision.
        next_on = _add_years(lease["last_revision"] or lease["starts_on"], 1)
        if next_on <= today and next_on <= lease["ends_on"]:
            due.append((lease, next_on))
    published = set(
        IndexValue.objects.filter(
            year__in={lease["index_year"] + 1 for lease, _on in due}
        ).values_list("kind", "year", "quarter")
    )
    waiting = [
        lease
        for lease, _on in due
        if (lease["index_kind"], lease["index_year"] + 1, lease["index_quarter"]) not in published
    ]
    chase = (
        RentLine.objects.filter(due_on__lt=today, paid_amount__lt=F("amount"))
        .exclude(reminders__sent_on__gt=today - dt.timedelta(days=REMINDED_DAYS))
        .aggregate(lines=Count("id"), leases=Count("lease", distinct=True))
    )
    return [
        Todo(
            ngettext("révision de loyer à appliquer", "révisions de loyer à appliquer", len(due)),
            len(due),
            reverse("places:lease", args=[due[0][0]["pk"]]) if due else "",
            Urgency.SOON,
            AREA,
            ngettext(
                "dont %(n)d en attente de la publication de l’indice",
                "dont %(n)d en attente de la publication de l’indice",
                len(waiting),
            )
            % {"n": len(waiting)}
            if waiting
            else _("indexation annuelle à la date anniversaire du bail"),
            [
                (
                    _("%(name)s : depuis le %(day)s")
                    % {"name": lease["activity__name"], "day": f"{next_on:%d/%m/%Y}"},
                    reverse("places:lease", args=[lease["pk"]]),
                )
                for lease, next_on in due
            ],
            key="places.revisions_due",
        ),
        Todo(
            ngettext("loyer impayé à relancer", "loyers impayés à relancer", chase["lines"]),
            chase["lines"],
            reverse("places:arrears"),
            Urgency.LATE,
            AREA,
            ngettext(
                "%(n)d bail concerné, sans relance depuis %(days)d jours",
                "%(n)d baux concernés, sans relance depuis %(days)d jours",
                chase["leases"],
            )
            % {"n": chase["leases"], "days": REMINDED_DAYS},
            key="places.arrears_to_chase",
        ),
    ]

"""What the studies officers have to do, for the staff dashboard (placette.lib.dashboard):
overdue invoices, requests to answer soon, sent quotes about to expire, planned invoices due.
Four aggregate queries whatever the rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from placette.lib.dashboard import Todo, Urgency
from placette.lib.money import euros
from placette.lib.sums import decimal_sum
from placette.studies.models import (
    CLOSED_REQUEST,
    Invoice,
    Quote,
    QuoteStatus,
    RequestStatus,
    ScheduleItem,
    StudyRequest,
)

AREA = "Études"
SOON_DAYS = 7


def todos() -> list[Todo]:
    today = timezone.localdate()
    soon = today + dt.timedelta(days=SOON_DAYS)
    overdue = Invoice.objects.overdue_on(today).aggregate(
        n=Count("id"),
        gross=decimal_sum("total_gross"),
        credited=decimal_sum("credited_gross"),
        paid=decimal_sum("paid_amount"),
    )
    owed = overdue["gross"] - overdue["credited"] - overdue["paid"]
    requests = (
        StudyRequest.objects.exclude(status__in=CLOSED_REQUEST)
        .exclude(status=RequestStatus.QUOTE_SENT)
        .aggregate(
            new=Count("id", filter=Q(status=RequestStatus.NEW)),
            due=Count("id", filter=Q(deadline__isnull=False, deadline__lte=soon)),
        )
    )
    expiring = Quote.objects.filter(
        status=QuoteStatus.SENT, valid_until__gte=today, valid_until__lte=soon
    ).count()
    to_invoice = ScheduleItem.objects.filter(invoice__isnull=True, planned_on__lte=today).count()
    invoices = reverse("studies:invoices")
    return [
        Todo(
            ngettext(
                "facture d’étude en retard de paiement",
                "factures d’études en retard de paiement",
                overdue["n"],
            ),
            overdue["n"],
            f"{invoices}?state=overdue",
            Urgency.LATE,
            AREA,
            _("reste dû : %(owed)s") % {"owed": euros(owed)},
            key="studies.invoices_overdue",
        ),
        Todo(
            ngettext(
                "demande d’étude à rendre bientôt",
                "demandes d’études à rendre bientôt",
                requests["due"],
            ),
            requests["due"],
            reverse("studies:requests"),
            Urgency.SOON,
            AREA,
            _("échéance de réponse dans %(days)d jours ou passée") % {"days": SOON_DAYS},
            key="studies.requests_due",
        ),
        Todo(
            ngettext(
                "devis envoyé qui expire bientôt", "devis envoyés qui expirent bientôt", expiring
            ),
            expiring,
            f"{reverse('studies:quotes')}?status=sent",
            Urgency.SOON,
            AREA,
            _("relancer le client avant la fin de validité"),
            key="studies.quotes_expiring",
        ),
        Todo(
            ngettext(
                "échéance de facturation à émettre",
                "échéances de facturation à émettre",
                to_invoice,
            ),
            to_invoice,
            reverse("studies:missions") + "?status=open",
            Urgency.SOON,
            AREA,
            _("acomptes, jalons ou soldes prévus à cette date"),
            key="studies.schedule_due",
        ),
        Todo(
            ngettext(
                "nouvelle demande d’étude à qualifier",
                "nouvelles demandes d’études à qualifier",
                requests["new"],
            ),
            requests["new"],
            f"{reverse('studies:requests')}?status=new",
            Urgency.ROUTINE,
            AREA,
            _("besoin, territoire, équipe"),
            key="studies.requests_new",
        ),
    ]

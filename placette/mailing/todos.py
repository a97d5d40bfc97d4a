"""What communication has to do (placette.lib.dashboard): campaigns whose scheduled time has
passed without starting, sends still under way, and the complaint rate over Gmail's limit.
Three queries whatever the number of campaigns; then the prospects due for erasure (one count)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from placette.lib.dashboard import Todo, Urgency
from placette.mailing.deliverability import complaint_rate
from placette.mailing.models import Campaign, CampaignStatus
from placette.mailing.privacy import prospects_due

AREA = "Communication"


def todos() -> list[Todo]:
    now = timezone.now()
    counts = Campaign.objects.aggregate(
        late=Count("pk", filter=Q(status=CampaignStatus.SCHEDULED, scheduled_at__lte=now)),
        sending=Count("pk", filter=Q(status=CampaignStatus.SENDING)),
    )
    url = reverse("mailing:campaigns")
    rate = complaint_rate()
    due = prospects_due().count()
    return [
        Todo(
            label=ngettext(
                "%(n)s campagne programmée n’est pas partie",
                "%(n)s campagnes programmées ne sont pas parties",
                counts["late"],
            )
            % {"n": counts["late"]},
            count=counts["late"],
            url=url,
            urgency=Urgency.LATE,
            area=AREA,
            detail=_("Vérifiez que la commande mailing_send_due tourne."),
            key="mailing.scheduled_late",
        ),
        Todo(
            label=ngettext(
                "%(n)s campagne en cours d’envoi",
                "%(n)s campagnes en cours d’envoi",
                counts["sending"],
            )
            % {"n": counts["sending"]},
            count=counts["sending"],
            url=url,
            urgency=Urgency.ROUTINE,
            area=AREA,
            key="mailing.sending",
        ),
        Todo(
            label=_("Taux de signalements au-dessus de 0,3 %"),
            count=1 if rate.over_limit else 0,
            url=reverse("mailing:deliverability"),
            urgency=Urgency.LATE,
            area=AREA,
            detail=_("Gmail filtre au-delà : revoyez les segments et la fréquence."),
            key="mailing.complaints",
        ),
        Todo(
            label=ngettext(
                "%(n)s prospect sans contact depuis trois ans à effacer",
                "%(n)s prospects sans contact depuis trois ans à effacer",
                due,
            )
            % {"n": due},
            count=due,
            url=reverse("mailing:retention"),
            urgency=Urgency.ROUTINE,
            area=AREA,
            detail=_("Règle de la CNIL : effacer ou redemander l’accord après trois ans."),
            key="mailing.retention",
        ),
    ]

"""What the team has to do for the social-utility campaigns, for the staff dashboard: open
campaigns whose deadline comes within a week with questionnaires of activities still unsent,
and those whose deadline is passed but not closed. Two aggregate queries whatever the rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from placette.impact.models import Campaign, Invitation
from placette.lib.dashboard import Todo, Urgency

AREA = "Utilité sociale"
SOON_DAYS = 7


def todos() -> list[Todo]:
    today = timezone.localdate()
    soon = today + dt.timedelta(days=SOON_DAYS)
    waiting = Invitation.objects.filter(
        campaign__closed_at__isnull=True,
        campaign__deadline__gte=today,
        campaign__deadline__lte=soon,
    ).exclude(response__submitted_at__isnull=False)
    row = waiting.aggregate(n=Count("pk"), campaigns=Count("campaign", distinct=True))
    to_close = Campaign.objects.filter(closed_at__isnull=True, deadline__lt=today).aggregate(
        n=Count("pk")
    )["n"]
    campaigns = reverse("impact:campaigns")
    return [
        Todo(
            ngettext(
                "questionnaire d’activité attendu avant la date limite",
                "questionnaires d’activités attendus avant la date limite",
                row["n"],
            ),
            row["n"],
            campaigns,
            Urgency.SOON,
            AREA,
            _("dans %(n)d campagne(s) qui se terminent d’ici %(days)d jours : relancez")
            % {"n": row["campaigns"], "days": SOON_DAYS},
            key="impact.questionnaires_waiting",
        ),
        Todo(
            ngettext(
                "campagne d’utilité sociale à clore (date limite passée)",
                "campagnes d’utilité sociale à clore (date limite passée)",
                to_close,
            ),
            to_close,
            campaigns,
            Urgency.ROUTINE,
            AREA,
            key="impact.campaigns_to_close",
        ),
    ]

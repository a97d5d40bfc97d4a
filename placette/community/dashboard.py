"""The community's headline figures on the staff dashboard. Two queries."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.community.models import Registration, RegistrationStatus, Session
from placette.lib.dashboard import Figure

AREA = "Vie coopérative"


def figures() -> list[Figure]:
    now = timezone.now()
    upcoming = Session.objects.upcoming(now).count()
    attended = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        attended=True,
        session__starts_at__gte=now - dt.timedelta(days=365),
    ).count()
    return [
        Figure(
            _("Sessions à venir"),
            str(upcoming),
            _("%(n)d participations en 12 mois") % {"n": attended},
            reverse("community:sessions") + "?when=upcoming",
            AREA,
        )
    ]

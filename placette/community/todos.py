"""What the member-life officer has to do (placette.lib.dashboard): reminders to send for the
sessions of the next days, attendance to record for those that took place. Two queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from placette.community.engagement import DORMANT_MONTHS, dormant_members
from placette.community.models import Registration, RegistrationStatus, Session
from placette.lib.dashboard import Todo, Urgency

AREA = "Vie coopérative"
REMINDER_DAYS = 3
ATTENDANCE_DAYS = 30


def todos() -> list[Todo]:
    now = timezone.now()
    confirmed = Registration.objects.filter(
        session=OuterRef("pk"), status=RegistrationStatus.CONFIRMED
    )
    reminders = (
        Session.objects.upcoming(now)
        .filter(
            starts_at__lte=now + dt.timedelta(days=REMINDER_DAYS), reminders_sent_at__isnull=True
        )
        .filter(Exists(confirmed))
        .count()
    )
    unrecorded = (
        Session.objects.filter(
            cancelled_at__isnull=True,
            starts_at__lt=now,
            starts_at__gte=now - dt.timedelta(days=ATTENDANCE_DAYS),
        )
        .filter(Exists(confirmed))
        .exclude(Exists(confirmed.filter(attended=True)))
        .count()
    )
    dormant = dormant_members().count()
    url = reverse("community:sessions")
    return [
        Todo(
            ngettext(
                "session proche dont les rappels ne sont pas partis",
                "sessions proches dont les rappels ne sont pas partis",
                reminders,
            ),
            reminders,
            f"{url}?when=upcoming",
            Urgency.SOON,
            AREA,
            _("dans les %(days)d jours") % {"days": REMINDER_DAYS},
            key="community.reminders_due",
        ),
        Todo(
            ngettext(
                "session passée sans présences notées",
                "sessions passées sans présences notées",
                unrecorded,
            ),
            unrecorded,
            f"{url}?when=past",
            Urgency.ROUTINE,
            AREA,
            _("les présences nourrissent les niveaux d’engagement"),
            key="community.attendance_due",
        ),
        Todo(
            ngettext(
                "sociétaire sans interaction depuis %(months)d mois, à appeler",
                "sociétaires sans interaction depuis %(months)d mois, à appeler",
                dormant,
            )
            % {"months": DORMANT_MONTHS},
            dormant,
            reverse("community:dormant"),
            Urgency.ROUTINE,
            AREA,
            _("ni participation, ni vote, ni échange noté"),
            key="community.dormant_members",
        ),
    ]

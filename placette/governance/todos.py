"""What governance has to do, for the staff dashboard (placette.lib.dashboard): convocation
letters printed but not posted, general assemblies whose convocation deadline is near or
passed, and mandates coming to their term (to renew at the next AG). A constant number of
queries (four at most) whatever the number of meetings and mandates."""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from placette.governance.models import (
    Channel,
    Convocation,
    Mandate,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from placette.governance.services import notice_days
from placette.lib.dashboard import Todo, Urgency

AREA = "Gouvernance"
# An AG appears this many days before its convocation deadline.
NEAR_DAYS = 21
# A mandate appears this many days before its term: time to put its renewal on an AG's agenda.
RENEWAL_DAYS = 180


def _deadline(starts_at: dt.datetime, call: int, days: dict[int, int]) -> dt.date:
    """Last day to convene (or to post the letters): the statutory delay before the meeting."""
    return timezone.localdate(starts_at) - dt.timedelta(days=days[call])


def todos() -> list[Todo]:
    today = timezone.localdate()
    delay = cache(lambda call: notice_days(call, today))
    letters = list(
        Convocation.objects.filter(
            channel=Channel.LETTER, sent_at__isnull=True, meeting__status=MeetingStatus.CONVENED
        )
        .values("meeting_id", "meeting__title", "meeting__starts_at", "meeting__call")
        .annotate(n=Count("id"))
        .order_by("meeting__starts_at")
    )
    drafts = list(
        Meeting.objects.filter(
            status=MeetingStatus.DRAFT,
            starts_at__gte=timezone.now(),
            starts_at__lte=timezone.now() + dt.timedelta(days=NEAR_DAYS + 60),
        )
        .exclude(kind=MeetingKind.BOARD)
        .order_by("starts_at")
        .values("pk", "title", "starts_at", "call", "roll_frozen_at")
    )
    days = {call: delay(call) for call in {r["meeting__call"] for r in letters}}
    days |= {call: delay(call) for call in {m["call"] for m in drafts}}

    late_letters = any(
        _deadline(r["meeting__starts_at"], r["meeting__call"], days) < today for r in letters
    )
    letter_links = [
        (
            ngettext("%(title)s : %(n)d courrier", "%(title)s : %(n)d courriers", r["n"])
            % {"title": r["meeting__title"], "n": r["n"]},
            reverse("governance:convocation", args=[r["meeting_id"]]),
        )
        for r in letters
    ]

    near = []
    for meeting in drafts:
        deadline = _deadline(meeting["starts_at"], meeting["call"], days)
        if (deadline - today).days <= NEAR_DAYS:
            step = "governance:convocation" if meeting["roll_frozen_at"] else "governance:roll"
            near.append((meeting, deadline, reverse(step, args=[meeting["pk"]])))
    passed = [deadline for _m, deadline, _u in near if deadline < today]
    ending = list(
        Mandate.objects.filter(
            ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=RENEWAL_DAYS)
        )
        .exclude(end_reason__gt="")
        .select_related("contact", "body")
        .order_by("ends_on", "id")
    )
    return [
        Todo(
            ngettext(
                "courrier de convocation à poster",
                "courriers de convocation à poster",
                sum(r["n"] for r in letters),
            ),
            sum(r["n"] for r in letters),
            letter_links[0][1] if letter_links else "",
            Urgency.LATE if late_letters else Urgency.SOON,
            AREA,
            _("imprimez-les, postez-les, puis indiquez-le sur la page de convocation"),
            letter_links,
            key="governance.letters_to_post",
        ),
        Todo(
            ngettext(
                "assemblée générale à convoquer", "assemblées générales à convoquer", len(near)
            ),
            len(near),
            near[0][2] if near else "",
            Urgency.LATE if passed else Urgency.SOON,
            AREA,
            _("le délai statutaire de convocation est dépassé pour l’une d’elles")
            if passed
            else _("le délai statutaire de convocation approche"),
            [
                (
                    _("%(title)s : au plus tard le %(day)s")
                    % {"title": m["title"], "day": f"{deadline:%d/%m/%Y}"},
                    url,
                )
                for m, deadline, url in near
            ],
            key="governance.assemblies_to_convene",
        ),
        Todo(
            ngettext("mandat à renouveler", "mandats à renouveler", len(ending)),
            len(ending),
            reverse("governance:body", args=[ending[0].body_id]) if ending else "",
            Urgency.SOON
            if any((m.ends_on - today).days <= 60 for m in ending if m.ends_on)
            else Urgency.ROUTINE,
            AREA,
            _("inscrivez leur renouvellement à l’ordre du jour de la prochaine assemblée"),
            [
                (
                    _("%(name)s — %(role)s, %(body)s : fin le %(day)s")
                    % {
                        "name": m.contact.display_name,
                        "role": m.role,
                        "body": m.body.name,
                        "day": f"{m.ends_on:%d/%m/%Y}",
                    },
                    reverse("governance:body", args=[m.body_id]),
                )
                for m in ending
            ],
            key="governance.mandates_to_renew",
        ),
    ]

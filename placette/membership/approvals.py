"""Refunds as the statutes say: the AGO that approved the accounts, the due dates, the losses.

- A refund is paid only after the ordinary general meeting (AGO) that approved the accounts of
  the fiscal year of departure (the year of the board's decision), when the statutes say so
  (`refund_after_ago`): an `AccountsApproval` of that year, which names the governance
  meeting (a closed AGO or mixed AG, after the year's end) — or, for an AGO held before
  Placette, its minutes.
- The payment waits the statutory minimum delay after the decision, counted to the day
  (`refund_min_delay_months`: the same day N months later, the month's last day when it has
  no such day), and is due at the latest at the maximum delay (`refund_max_delay_months`);
  refunds past it are overdue (the membership to-do list).
- With `refund_reduced_by_losses`, the sum owed is reduced by the withdrawn shares' part of
  the approved loss of the year (loss × shares withdrawn ÷ shares at the year's end), never
  below zero.

Governance reads membership, never the reverse: governance registers, when it starts, the
function that describes its meetings (`meetings_provider_set`); membership only calls it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.lib.audit import audit_log
from placette.lib.refusals import Refusal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    held_on: dt.date
    title: str
    kind: str  # "AGO", "AGE", "MIXED", "CA"
    closed: bool


_provider: dict[str, Callable[..., Any]] = {}


def meetings_provider_set(
    *, lookup: Callable[[int], MeetingInfo | None], listing: Callable[[], list[MeetingInfo]]
) -> None:
    """Called by governance at start-up: how to read one meeting, and the closed AGs."""
    _provider["lookup"] = lookup
    _provider["listing"] = listing


def ago_meetings() -> list[MeetingInfo]:
    """The closed AGO and mixed AG meetings known to governance, latest first."""
    listing = _provider.get("listing")
    return listing() if listing else []


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` months later; the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def refund_due_dates(decided_on: dt.date, statutes: Any) -> tuple[dt.date, dt.date]:
    """(earliest, latest) payment dates of a refund decided on `decided_on`, before the AGO."""
    return (
        add_months(decided_on, statutes.refund_min_delay_months),
        add_months(decided_on, statutes.refund_max_delay_months),
    )


def loss_share(*, owed: Decimal, loss: Decimal, shares: int, shares_at_year_end: int) -> Decimal:
    """The withdrawn shares' part of the year's loss (a positive `loss`), at most `owed`."""
    if loss <= 0 or shares_at_year_end <= 0:
        return Decimal("0.00")
    part = Fraction(loss) * shares / shares_at_year_end
    cents = (Decimal(part.numerator) / Decimal(part.denominator)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    return min(cents, owed)


@transaction.atomic
def accounts_approval_record(
    *,
    actor: Any,
    year: int,
    meeting_id: int | None = None,
    minutes_reference: str = "",
    approved_on: dt.date | None = None,
    result: Decimal | None = None,
) -> Any:
    """Record that the AGO `meeting_id` (governance) approved the accounts of `year`, with the
    approved result (negative: a loss). Without a meeting (an AGO held before Placette): its
    date and the reference of its minutes. Refused: the year already approved, a meeting that
    is not a closed AGO (or mixed AG), an AGO held before the year's end or in the future."""
    from placette.membership.models import AccountsApproval

    if AccountsApproval.objects.filter(year=year).exists():
        raise Refusal(
            _("L’approbation des comptes de l’exercice %(year)s est déjà enregistrée.")
            % {"year": year}
        )
    title = ""
    if meeting_id is not None:
        lookup = _provider.get("lookup")
        meeting = lookup(meeting_id) if lookup else None
        if meeting is None:
            raise Refusal(_("Réunion inconnue : choisissez l’AGO dans la gouvernance."))
        if meeting.kind not in ("AGO", "MIXED") or not meeting.closed:
            raise Refusal(
                _(
                    "« %(title)s » n’est pas une assemblée générale ordinaire close : les "
                    "comptes sont approuvés par l’AGO, une fois la séance close."
                )
                % {"title": meeting.title}
            )
        approved_on, title = meeting.held_on, meeting.title
    else:
        if not minutes_reference.strip() or approved_on is None:
            raise Refusal(
                _(
                    "Choisissez l’AGO dans la gouvernance ou, pour une AGO antérieure à "
                    "Placette, indiquez sa date et la référence de son procès-verbal."
                )
            )
        title = _("AGO du %(approved_on)s") % {"approved_on": format(approved_on, "%d/%m/%Y")}
    assert approved_on is not None
    if approved_on <= dt.date(year, 12, 31):
        raise Refusal(
            _(
                "L’AGO du %(approved_on)s ne peut pas avoir approuvé les comptes de "
                "l’exercice %(year)s : elle doit se tenir après sa clôture."
            )
            % {"approved_on": format(approved_on, "%d/%m/%Y"), "year": year}
        )
    if approved_on > timezone.localdate():
        raise Refusal(_("Une AGO à venir n’a pas encore approuvé les comptes."))
    approval = AccountsApproval.objects.create(
        year=year,
        approved_on=approved_on,
        meeting_id=meeting_id,
        meeting_title=title[:200],
        minutes_reference=minutes_reference.strip(),
        result=result,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action="membership.accounts.approved",
        obj=approval,
        year=year,
        approved_on=approved_on,
        meeting=meeting_id,
        result=result,
    )
    return approval

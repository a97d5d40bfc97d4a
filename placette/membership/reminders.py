"""Reminders for capital still unpaid after the statutory delay (loi 47-1775 art. 12, to
verify: the balance of a subscription is paid up within the delay set by the statutes,
`Statutes.balance_delay_months`, at most five years)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from placette.contacts.models import Contact, TimelineKind
from placette.contacts.services import timeline_append
from placette.lib import money
from placette.lib.audit import audit_log
from placette.membership.mails import unpaid_reminder_mail
from placette.membership.models import (
    HolderBalance,
    Movement,
    MovementKind,
    UnpaidReminder,
)
from placette.membership.services import statutes_in_force


@dataclass(frozen=True)
class Overdue:
    holder: Contact
    outstanding: Decimal
    due_on: dt.date


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def overdue(on: dt.date | None = None) -> list[Overdue]:
    """Holders with subscribed capital not paid up whose oldest unpaid subscription is older
    than the statutory delay on `on`. Payments settle the oldest subscriptions first.
    Candidates come from the running balances (capital > paid): the cost follows the number of
    debtors, not the size of the ledger."""
    on = on or timezone.localdate()
    statutes = statutes_in_force(on)
    result = []
    debtors = HolderBalance.objects.filter(capital__gt=F("paid")).select_related("holder")
    for balance in debtors:
        subscriptions = (
            Movement.objects.filter(
                holder_id=balance.holder_id, kind=MovementKind.SUBSCRIPTION, capital__gt=0
            )
            .order_by("date", "number")
            .values_list("date", "capital")
        )
        cumulated = Decimal(0)
        for date, capital in subscriptions:
            cumulated += capital
            if cumulated > balance.paid:
                due = _months_later(date, statutes.balance_delay_months)
                if due < on:
                    result.append(Overdue(balance.holder, balance.capital - balance.paid, due))
                break
    return result


def unpaid_reminders_send(*, on: dt.date | None = None) -> list[UnpaidReminder]:
    """Send one reminder (email and timeline) per overdue holder and month; a second run in the
    same month sends nothing. The email goes through placette.lib.mail (after commit, once);
    a holder without any address gets the timeline line only (a letter is up to the team)."""
    on = on or timezone.localdate()
    month = on.replace(day=1)
    sent = []
    for item in overdue(on):
        holder = item.holder
        if UnpaidReminder.objects.filter(holder=holder, month=month).exists():
            continue
        try:
            with transaction.atomic():
                reminder = UnpaidReminder.objects.create(
                    holder=holder,
                    month=month,
                    sent_to=holder.mail_to,
                    outstanding=item.outstanding,
                    due_on=item.due_on,
                )
                amount = money.euros(item.outstanding)
                message = unpaid_reminder_mail(reminder=reminder)
                timeline_append(
                    contact=holder,
                    kind=TimelineKind.EMAIL if message else TimelineKind.OTHER,
                    title=f"Relance : {amount} restant à libérer (échéance du "
                    f"{item.due_on:%d/%m/%Y})",
                    area="membership",
                )
                audit_log(
                    actor=None,
                    action="membership.unpaid.reminded",
                    obj=holder,
                    outstanding=item.outstanding,
                    due_on=item.due_on,
                )
        except IntegrityError:
            continue  # another run reminded this holder this month
        sent.append(reminder)
    return sent

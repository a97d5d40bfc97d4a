"""Rent payments and reminders of unpaid instalments. Keyword-only, atomic, audited."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import TimelineKind
from placette.contacts.services import timeline_append
from placette.lib.audit import audit_log
from placette.lib.dates import date_check
from placette.lib.mail import mail_send
from placette.lib.money import euros
from placette.lib.refusals import Refusal
from placette.places.models import (
    RentLine,
    RentPayment,
    RentReminder,
)
from placette.places.services._common import _user


def paid_on_check(*, line: RentLine, paid_on: dt.date) -> None:
    """A rent payment is dated as it happened: not in a closed fiscal year (the accounts of
    that year are final — `membership.ClosedFiscalYear`, the coop's one list of closed years),
    and not before the lease existed (its signature, or its start when it was not signed
    first): a payment dated then would describe a state the lease never had."""
    from placette.membership.models import ClosedFiscalYear

    closed = ClosedFiscalYear.last()
    if closed is not None and paid_on.year <= closed:
        raise Refusal(
            _(
                "L’exercice %(year)s est clos : aucun paiement ne peut être daté du %(day)s. "
                "Datez-le en %(next)s ou après. Rien n’a été enregistré."
            )
            % {"year": closed, "day": f"{paid_on:%d/%m/%Y}", "next": closed + 1},
            field="paid_on",
            code="closed_period",
        )
    lease = line.lease
    earliest = min(d for d in (lease.signed_on, lease.starts_on) if d is not None)
    if paid_on < earliest:
        raise Refusal(
            _(
                "Le %(day)s, le bail n’existait pas encore (signé ou commencé le %(earliest)s) : "
                "un loyer ne peut pas avoir été payé avant. Rien n’a été enregistré."
            )
            % {"day": f"{paid_on:%d/%m/%Y}", "earliest": f"{earliest:%d/%m/%Y}"},
            field="paid_on",
            code="before_lease",
        )


@transaction.atomic
def payment_record(
    *, actor: Any, line: RentLine, amount: Decimal, paid_on: dt.date, method: str
) -> RentPayment:
    if amount is None or amount <= 0:
        raise Refusal(_("Le montant d’un paiement doit être positif : rien n’a été enregistré."))
    # Arrears at a date count the payments dated by then: a payment bears the day it was received.
    if paid_on > timezone.localdate():
        raise Refusal(
            _(
                "Un paiement se date au jour où il est reçu : pas de date future. "
                "Rien n’a été enregistré."
            ),
            field="paid_on",
        )
    date_check(paid_on, label="Date du paiement", field="paid_on", past_only=True)
    line = RentLine.objects.select_for_update().select_related("lease__activity").get(pk=line.pk)
    paid_on_check(line=line, paid_on=paid_on)
    if amount > line.balance:
        raise Refusal(
            _(
                "Le paiement (%(amount)s) dépasse le reste dû sur cette échéance "
                "(%(balance)s) : rien n’a été enregistré."
            )
            % {"amount": euros(amount), "balance": euros(line.balance)}
        )
    payment = RentPayment.objects.create(
        line=line, amount=amount, paid_on=paid_on, method=method, actor=_user(actor)
    )
    line.paid_amount = line.paid_amount + amount
    line.save(update_fields=["paid_amount"])
    audit_log(
        actor=actor,
        action="places.payment.recorded",
        obj=line.lease,
        line=line.pk,
        amount=amount,
        paid_on=paid_on,
    )
    return payment


@transaction.atomic
def rent_reminder_send(
    *, actor: Any, line: RentLine, today: dt.date | None = None
) -> tuple[RentReminder, bool]:
    """Email the tenant about an unpaid line and note it on the tenant's timeline.
    Idempotent: at most one reminder per line per day (the second call sends nothing)."""
    today = today or timezone.localdate()
    line = (
        RentLine.objects.select_for_update()
        .select_related("lease__activity__tenant", "lease__activity__place")
        .get(pk=line.pk)
    )
    already = RentReminder.objects.filter(line=line, sent_on=today).first()
    if already:
        return already, False
    if line.is_paid:
        raise Refusal(_("Cette échéance est réglée : pas de relance."))
    if line.due_on > today:
        raise Refusal(_("Cette échéance n’est pas encore due : pas de relance."))
    activity = line.lease.activity
    tenant = activity.tenant
    email = tenant.mail_to
    if not email:
        raise Refusal(
            _(
                "« %(tenant)s » n’a pas d’adresse e-mail : complétez sa fiche "
                "contact pour le relancer."
            )
            % {"tenant": tenant}
        )
    try:
        with transaction.atomic():
            reminder = RentReminder.objects.create(
                line=line, sent_on=today, email=email, balance=line.balance, actor=_user(actor)
            )
    except IntegrityError:  # pressed twice at the same moment: the other request sent it
        return RentReminder.objects.get(line=line, sent_on=today), False
    mail_send(
        template="places/rent_reminder",
        to_email=email,
        to_contact=tenant,
        context={
            "line": line,
            "activity": activity,
            "place": activity.place,
            "balance": euros(line.balance),
            "amount": euros(line.amount),
        },
        kind="places.rent_reminder",
        key=f"places.rent_reminder:{reminder.pk}",
        related=reminder,
    )
    timeline_append(
        contact=tenant,
        kind=TimelineKind.EMAIL,
        title=_("Relance loyer impayé du %(due_on)s (%(balance)s)")
        % {"due_on": f"{line.due_on:%d/%m/%Y}", "balance": euros(line.balance)},
        actor=actor,
        area="places",
        link=line.lease.get_absolute_url(),
    )
    audit_log(
        actor=actor,
        action="places.rent.reminded",
        obj=line.lease,
        line=line.pk,
        balance=line.balance,
        email=email,
    )
    return reminder, True

"""Other investment instruments (titres participatifs, loans): terms, holdings, and the yearly
interest statement. Simple interest on the amount held, pro rata of the days held in the year
(actual/365); the interest arithmetic is in `interest_for_year`."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from placette.contacts.models import Contact, TimelineKind
from placette.contacts.services import timeline_append
from placette.lib import money
from placette.lib.audit import audit_log
from placette.lib.pdf import pdf_render
from placette.lib.sums import decimal_sum
from placette.membership.models import Instrument, InstrumentHolding, Statutes

CENT = Decimal("0.01")


def interest_for_year(
    *, amount: Decimal, rate_percent: Decimal, start: dt.date, end: dt.date | None, year: int
) -> tuple[int, Decimal]:
    """(days held in `year`, interest) — simple interest, actual/365, rounded to the cent."""
    first = max(start, dt.date(year, 1, 1))
    last = min(end or dt.date(year, 12, 31), dt.date(year, 12, 31))
    days = max(0, (last - first).days + 1)
    interest = amount * rate_percent / 100 * Decimal(days) / Decimal(365)
    return days, interest.quantize(CENT, rounding=ROUND_HALF_UP)


def instruments_with_totals():
    return Instrument.objects.annotate(
        holders=Count("holdings", filter=Q(holdings__repaid_on__isnull=True)),
        outstanding=decimal_sum("holdings__amount", filter=Q(holdings__repaid_on__isnull=True)),
    )


@transaction.atomic
def instrument_create(*, actor: Any, data: dict[str, Any]) -> Instrument:
    instrument = Instrument.objects.create(**data)
    audit_log(actor=actor, action="membership.instrument.created", obj=instrument)
    return instrument


@transaction.atomic
def instrument_subscribe(
    *,
    actor: Any,
    instrument: Instrument,
    holder: Contact,
    units: int,
    amount: Decimal,
    subscribed_on: dt.date,
) -> InstrumentHolding:
    holding = InstrumentHolding.objects.create(
        instrument=instrument,
        holder=holder,
        units=units,
        amount=amount,
        subscribed_on=subscribed_on,
    )
    timeline_append(
        contact=holder,
        kind=TimelineKind.SUBSCRIPTION,
        title=f"Souscription : {instrument} ({money.euros(amount)})",
        actor=actor,
        area="membership",
    )
    audit_log(actor=actor, action="membership.instrument.subscribed", obj=holding, amount=amount)
    return holding


def interest_statement(*, holder: Contact, year: int) -> list[dict]:
    lines = []
    for holding in holder.instrument_holdings.select_related("instrument").filter(
        subscribed_on__lte=dt.date(year, 12, 31)
    ):
        if holding.repaid_on and holding.repaid_on < dt.date(year, 1, 1):
            continue
        days, interest = interest_for_year(
            amount=holding.amount,
            rate_percent=holding.instrument.rate_percent,
            start=holding.subscribed_on,
            end=holding.repaid_on,
            year=year,
        )
        lines.append({"holding": holding, "days": days, "interest": interest})
    return lines


def interest_statement_pdf(*, holder: Contact, year: int) -> bytes:
    lines = interest_statement(holder=holder, year=year)
    statutes = Statutes.objects.in_force()
    return pdf_render(
        "membership/interest_statement_pdf.html",
        {
            "holder": holder,
            "year": year,
            "lines": lines,
            "total": sum((line["interest"] for line in lines), Decimal(0)),
            "coop_name": statutes.coop_name if statutes else "Placette",
        },
    )

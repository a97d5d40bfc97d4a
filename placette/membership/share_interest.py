"""Interest on shares (intérêt aux parts, loi 1947 art. 14 — to verify): off by default.

When the statutes in force at the year's end provide for it (`Statutes.share_interest_allowed`)
and the AGO decided a rate for the year (`ShareInterestYear`, at most the legal cap entered
for that year), each holder gets the rate applied **pro rata temporis** to the paid-up capital
held each day of the year: a sum paid on day d counts from d to 31 December, a refund stops
counting on its date (the register at a date includes the movements of that date). Exact
arithmetic with fractions, rounded to the cent per holder (half up). The listing is what the
accountant needs for the IFU (déclaration des revenus de capitaux mobiliers)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from placette.lib import money
from placette.lib.audit import audit_log
from placette.lib.refusals import Refusal
from placette.membership.models import Movement, ShareInterestYear, Statutes

CENT = Decimal("0.01")


def days_in(year: int) -> int:
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


def interest(
    *, opening: Decimal, deltas: Iterable[tuple[dt.date, Decimal]], year: int, rate: Decimal
) -> tuple[Decimal, Decimal]:
    """(average paid-up capital of the year, interest) for one holder: `opening` paid-up
    capital on 1 January, `deltas` the changes of paid-up capital dated in the year. Pure."""
    end = dt.date(year, 12, 31)
    total = days_in(year)
    weighted = Fraction(opening) * total
    for day, delta in deltas:
        if day.year != year:
            raise ValueError(f"{day} n’est pas dans l’exercice {year}")
        weighted += Fraction(delta) * ((end - day).days + 1)
    average = weighted / total
    amount = average * Fraction(rate) / 100

    def cents(value: Fraction) -> Decimal:
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )

    return cents(average), cents(amount)


def lines(year: int, rate: Decimal) -> list[dict[str, Any]]:
    """One line per holder with paid-up capital during `year`: two queries (the opening
    balances grouped by the database, the year's movements), whatever the number of holders."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    opening = dict(
        Movement.objects.filter(date__lt=start)
        .values("holder_id")
        .annotate(paid=Sum("paid"))
        .filter(~Q(paid=0))
        .values_list("holder_id", "paid")
    )
    deltas: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for holder, day, paid in (
        Movement.objects.filter(date__gte=start, date__lte=end)
        .exclude(paid=0)
        .values_list("holder_id", "date", "paid")
    ):
        deltas[holder].append((day, paid))
    holders = set(opening) | set(deltas)
    from placette.contacts.models import Contact

    contacts = (
        Contact.objects.filter(pk__in=holders)
        .select_related("member")
        .order_by("name_key", "pk")
        .only(
            "kind",
            "display_name",
            "name_key",
            "address_line1",
            "postcode",
            "commune_name",
            "member__number",
        )
    )
    result = []
    for contact in contacts:
        start_paid = opening.get(contact.pk, Decimal(0)).quantize(CENT)
        average, amount = interest(
            opening=start_paid, deltas=deltas[contact.pk], year=year, rate=rate
        )
        member = getattr(contact, "member", None)
        result.append(
            {
                "contact": contact,
                "member_number": member.number if member else None,
                "opening": start_paid,
                "closing": start_paid + sum((d for _, d in deltas[contact.pk]), Decimal(0)),
                "average": average,
                "interest": amount,
            }
        )
    return result


LISTING_HEADER = [
    gettext_lazy("n° de sociétaire"),
    gettext_lazy("titulaire"),
    gettext_lazy("personne"),
    gettext_lazy("adresse"),
    gettext_lazy("code postal"),
    gettext_lazy("commune"),
    gettext_lazy("capital libéré au 1er janvier (€)"),
    gettext_lazy("capital libéré au 31 décembre (€)"),
    gettext_lazy("capital libéré moyen de l’année (€)"),
    gettext_lazy("taux (%)"),
    gettext_lazy("intérêts bruts (€)"),
]


def listing(year: int) -> Iterator[list[Any]]:
    """The IFU listing of `year` (rows for `lib.exports`); Refusal without a decided rate."""
    decided = ShareInterestYear.objects.filter(year=year).first()
    if decided is None:
        raise Refusal(
            _("Aucun intérêt aux parts n’a été décidé pour l’exercice %(year)s.") % {"year": year}
        )
    for line in lines(year, decided.rate_percent):
        if not line["interest"]:
            continue
        contact = line["contact"]
        yield [
            line["member_number"],
            contact.display_name,
            _("physique") if contact.kind == "person" else _("morale"),
            contact.address_line1,
            contact.postcode,
            contact.commune_name,
            line["opening"],
            line["closing"],
            line["average"],
            decided.rate_percent,
            line["interest"],
        ]


@transaction.atomic
def share_interest_decide(
    *,
    actor: Any,
    year: int,
    rate_percent: Decimal,
    cap_percent: Decimal,
    decided_on: dt.date,
    decision: str,
) -> ShareInterestYear:
    """Record the rate the AGO decided for `year`. Refused (nothing written) when the statutes
    in force on 31 December of that year do not provide for interest on shares, the year is
    not over, the decision is dated within the year or in the future, the rate is not positive
    or above the legal cap entered for the year, the decision is not named, or the year
    already has its rate."""
    end = dt.date(year, 12, 31)
    statutes = Statutes.objects.in_force(end)
    problems = []
    if statutes is None or not statutes.share_interest_allowed:
        problems.append(
            _(
                "Les statuts en vigueur au %(end)s ne prévoient pas d’intérêt aux parts "
                "(réglage « intérêt aux parts », désactivé par défaut)."
            )
            % {"end": format(end, "%d/%m/%Y")}
        )
    today = timezone.localdate()
    if year >= today.year:
        problems.append(
            _("L’exercice %(year)s n’est pas terminé : l’intérêt se décide après sa clôture.")
            % {"year": year}
        )
    if decided_on <= end or decided_on > today:
        problems.append(
            _(
                "La décision (%(on)s) doit suivre la fin de l’exercice %(year)s et ne peut pas "
                "être dans le futur."
            )
            % {"on": format(decided_on, "%d/%m/%Y"), "year": year}
        )
    if cap_percent is None or cap_percent <= 0:
        problems.append(_("Indiquez le plafond légal de l’année (moyenne du TMO + 2 points)."))
    if rate_percent is None or rate_percent <= 0:
        problems.append(_("Le taux servi doit être positif."))
    elif cap_percent is not None and rate_percent > cap_percent:
        problems.append(
            _(
                "Le taux de %(rate)s dépasse le plafond légal de %(cap)s pour %(year)s "
                "(loi 1947 art. 14 : moyenne du TMO des trois années précédentes + 2 points)."
            )
            % {"rate": money.percent(rate_percent), "cap": money.percent(cap_percent), "year": year}
        )
    if not (decision or "").strip():
        problems.append(_("Indiquez la décision (AGO, procès-verbal)."))
    if ShareInterestYear.objects.filter(year=year).exists():
        problems.append(
            _("L’intérêt aux parts de l’exercice %(year)s est déjà décidé.") % {"year": year}
        )
    if problems:
        raise Refusal(problems)
    decided = ShareInterestYear.objects.create(
        year=year,
        rate_percent=rate_percent,
        cap_percent=cap_percent,
        decided_on=decided_on,
        decision=decision.strip()[:300],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action="membership.share_interest.decided",
        obj=decided,
        year=year,
        rate=str(rate_percent),
    )
    return decided

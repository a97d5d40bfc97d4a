"""IR-PME états individuels (CGI art. 199 terdecies-0 A; content: CGI ann. III art. 46 AI bis).

Each year the coop gives one statement per eligible subscription with cash payments that year.
Eligible: a subscription of the ledger (online, booked by staff from a paper bulletin, or
imported) not cancelled, by a natural person who is a French tax resident (`Member.
tax_resident_fr`, declared on the bulletin, changed by staff on the holder's page), paid in
cash during the year. Payments: for an online or paper request, the sums received on it (the
day they arrived); for a subscription booked directly, the part paid at subscription and the
later payments of the balance, oldest subscription first (as the ledger settles them).

A statement is printed only when the year's settings (`TaxYear`) say the company is eligible
that year — for a real-estate company such as a foncière, an ESUS approval (reference and
dates) covering the year — and name a signatory; otherwise the batch is refused and says why.
The statement prints every field the law requires: the purpose (the article), the company's
name, object and seat, the subscriber's identity and address, the titles (parts sociales),
their number and nominal value, the amount and date of the subscription, the amount and date
of each payment, the holding period and clawback horizon of the year's settings, and the
attestation that the eligibility conditions are met, signed.

A batch is idempotent: one statement per subscription and year (a database constraint);
running it again rewrites only the statements whose facts changed (and sends those again).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from placette.contacts.models import Contact, ContactKind
from placette.lib.audit import audit_log
from placette.lib.jobs import JobResult
from placette.lib.models import Job
from placette.lib.pdf import pdf_render
from placette.lib.refusals import Refusal
from placette.membership.mails import tax_statement_mail
from placette.membership.models import ZERO, Movement, MovementKind, TaxYear
from placette.membership.models_requests import (
    DocumentKind,
    RequestPayment,
    SubscriptionDocument,
    SubscriptionSettings,
)
from placette.membership.services import statutes_in_force

ARTICLE = "article 199 terdecies-0 A du code général des impôts"


@dataclass
class Subscription:
    movement: Movement
    reference: str
    origin: str
    shares: int
    amount: Decimal
    share_value: Decimal
    subscribed_on: dt.date
    payments: list[tuple[dt.date, Decimal, bool]]  # (date, amount, in the year)


@dataclass
class Statement:
    contact: Contact
    year: int
    subscription: Subscription

    @property
    def subscriptions(self) -> list[Subscription]:
        return [self.subscription]

    @property
    def total_paid_in_year(self) -> Decimal:
        return sum((amount for _, amount, inside in self.subscription.payments if inside), ZERO)

    def facts(self) -> str:
        c, s = self.contact, self.subscription
        data = {
            "year": self.year,
            "name": c.display_name,
            "address": [c.address_line1, c.address_line2, c.postcode, c.commune_name],
            "subscription": [s.reference, s.shares, str(s.amount), s.subscribed_on.isoformat()]
            + [[d.isoformat(), str(a), i] for d, a, i in s.payments],
        }
        return json.dumps(data, sort_keys=True)


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    queued: int = 0
    documents: list[SubscriptionDocument] = field(default_factory=list)


def _allocate(subscriptions: list[Movement], payments: list[Movement]) -> dict[int, list]:
    """The payments of the balance of directly booked subscriptions, oldest first."""
    owed = {m.pk: m.called - m.paid for m in subscriptions}
    paid: dict[int, list] = {m.pk: [(m.date, m.paid)] if m.paid else [] for m in subscriptions}
    for payment in payments:
        left = payment.paid
        for subscription in subscriptions:
            if left <= 0:
                break
            if subscription.date > payment.date or owed[subscription.pk] <= 0:
                continue
            part = min(left, owed[subscription.pk])
            owed[subscription.pk] -= part
            left -= part
            paid[subscription.pk].append((payment.date, part))
    return paid


def eligible_statements(year: int) -> list[Statement]:
    """The statements of `year`: one per eligible subscription with cash payments that year."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    people = Q(holder__kind=ContactKind.PERSON, holder__member__tax_resident_fr=True)
    paid_by_request = RequestPayment.objects.filter(paid_on__range=(start, end)).values(
        "request__contact_id"
    )
    paid_directly = Movement.objects.filter(
        kind=MovementKind.PAYMENT, date__range=(start, end)
    ).values("holder_id")
    candidates = list(
        Movement.objects.filter(
            people,
            Q(date__range=(start, end))
            | Q(holder_id__in=paid_by_request)
            | Q(holder_id__in=paid_directly),
            kind=MovementKind.SUBSCRIPTION,
            reversed_by__isnull=True,
        )
        .select_related("holder", "subscription_request")
        .order_by("holder__name_key", "holder_id", "date", "number")
    )
    requests = {
        m.subscription_request.pk: m for m in candidates if hasattr(m, "subscription_request")
    }
    by_request: dict[int, list] = defaultdict(list)
    for payment in RequestPayment.objects.filter(request_id__in=list(requests)).order_by(
        "paid_on", "id"
    ):
        by_request[payment.request_id].append((payment.paid_on, payment.amount))
    direct = [m for m in candidates if not hasattr(m, "subscription_request")]
    balances = (
        Movement.objects.filter(
            kind=MovementKind.PAYMENT,
            holder_id__in={m.holder_id for m in direct},
            reversed_by__isnull=True,
            request_payment__isnull=True,
        )
        .order_by("date", "number")
        .only("holder_id", "date", "paid")
    )
    balances_of: dict[int, list[Movement]] = defaultdict(list)
    for balance in balances:
        balances_of[balance.holder_id].append(balance)
    direct_of: dict[int, list[Movement]] = defaultdict(list)
    for movement in direct:
        direct_of[movement.holder_id].append(movement)
    paid: dict[int, list] = {}
    for holder_id, subscriptions in direct_of.items():
        paid.update(_allocate(subscriptions, balances_of[holder_id]))
    statements = []
    for movement in candidates:
        request = getattr(movement, "subscription_request", None)
        payments = by_request[request.pk] if request is not None else paid[movement.pk]
        if not any(start <= day <= end for day, _ in payments):
            continue
        origin = "souscription saisie par l’équipe"
        if request is not None:
            origin = "bulletin papier" if request.channel == "paper" else "bulletin en ligne"
        elif movement.reference:
            origin = f"bulletin {movement.reference}"
        statements.append(
            Statement(
                contact=movement.holder,
                year=year,
                subscription=Subscription(
                    movement=movement,
                    reference=request.reference if request else f"MVT{movement.number}",
                    origin=origin,
                    shares=movement.shares,
                    amount=movement.capital,
                    share_value=movement.share_value,
                    subscribed_on=movement.date,
                    payments=[(d, a, start <= d <= end) for d, a in payments],
                ),
            )
        )
    return statements


def _company(year: int) -> dict[str, Any]:
    settings = SubscriptionSettings.current()
    statutes = statutes_in_force(dt.date(year, 12, 31))
    missing = [
        label
        for label, value in (
            ("l’objet social", settings.company_object),
            ("le siège social", settings.company_seat),
        )
        if not value.strip()
    ]
    if missing:
        raise Refusal(
            [
                f"Renseignez {' et '.join(missing)} dans les paramètres de souscription : "
                "l’état individuel doit les mentionner."
            ]
        )
    return {
        "name": statutes.coop_name,
        "legal_form": statutes.get_legal_form_display(),
        "object": settings.company_object,
        "seat": settings.company_seat,
        "siren": settings.siren,
        "esus": settings.esus_reference,
    }


@transaction.atomic
def member_tax_residence_set(*, actor: Any, member: Any, resident: bool) -> None:
    """Record whether a member is a French tax resident (the IR-PME statements depend on it)."""
    type(member).objects.filter(pk=member.pk).update(tax_resident_fr=resident)
    member.tax_resident_fr = resident
    audit_log(actor=actor, action="membership.member.tax_residence", obj=member, resident=resident)


@transaction.atomic
def tax_year_save(*, actor: Any, tax_year: TaxYear) -> TaxYear:
    """Record the IR-PME settings of a year (a staff admin's page)."""
    created = tax_year.pk is None
    tax_year.save()
    audit_log(
        actor=actor,
        action="membership.tax_year.created" if created else "membership.tax_year.updated",
        obj=tax_year,
        year=tax_year.year,
        eligible=tax_year.company_eligible,
        esus=tax_year.esus_reference,
    )
    return tax_year


def tax_statements_check(year: int) -> tuple[TaxYear, dict[str, Any]]:
    """The year's settings and the company's identity, or a `Refusal` saying why no statement
    can be made (settings missing, company not eligible that year, no ESUS approval for a
    real-estate company, no signatory, object or seat missing)."""
    tax_year = TaxYear.objects.filter(year=year).first()
    if tax_year is None:
        raise Refusal(
            [
                f"Les paramètres IR-PME de {year} (taux, plafonds) ne sont pas renseignés : "
                "ajoutez-les avant de produire les états individuels."
            ]
        )
    problems = tax_year.ineligibility()
    if problems:
        raise Refusal(problems, code="not_eligible")
    return tax_year, _company(year)


def tax_statements_to_send(year: int) -> int:
    """How many statements of `year` have not been sent yet (those whose facts changed since
    they were sent are sent again)."""
    movements = {statement.subscription.movement.pk for statement in eligible_statements(year)}
    sent = SubscriptionDocument.objects.filter(
        kind=DocumentKind.TAX_STATEMENT, year=year, movement_id__in=movements, sent_at__isnull=False
    ).count()
    return len(movements) - sent


def tax_statements_generate(
    *,
    actor: Any,
    year: int,
    send: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """Produce (or refresh) the états individuels of `year`; with `send`, email those not yet
    sent. Refused when the year's IR-PME settings (`TaxYear`) or the company's object and seat
    are missing. Each statement is stored in its own transaction (`progress(done, total)`
    after each): a batch interrupted half-way is simply run again."""
    tax_year, company = tax_statements_check(year)
    result = BatchResult()
    statements = eligible_statements(year)
    for done, statement in enumerate(statements, start=1):
        if progress:
            progress(done - 1, len(statements))
        with transaction.atomic():
            document, state = _statement_store(statement, company=company, tax_year=tax_year)
            setattr(result, state, getattr(result, state) + 1)
            result.documents.append(document)
            if send and document.sent_at is None:
                if tax_statement_mail(document=document) is None:
                    audit_log(
                        actor=None,
                        action="membership.document.no_email",
                        obj=document.contact,
                        document=document.pk,
                    )
                else:
                    result.queued += 1
    if progress:
        progress(len(statements), len(statements))
    audit_log(
        actor=actor,
        action="membership.tax_statements.generated",
        year=year,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        queued=result.queued,
    )
    return result


def tax_statements_job(job: Job, *, year: int, send: bool) -> JobResult:
    """Background job (`placette.lib.jobs`): one PDF per investor, a few hundred for a year."""
    result = tax_statements_generate(
        actor=job.started_by,
        year=year,
        send=send,
        progress=lambda done, total: job.progress(done, total, "États individuels produits…"),
    )
    return JobResult(message=batch_summary(year, result, send=send))


def batch_summary(year: int, result: BatchResult, *, send: bool) -> str:
    text = (
        f"{year} : {result.created} état(s) créé(s), {result.updated} mis à jour, "
        f"{result.unchanged} inchangé(s)"
        + (f", {result.queued} envoi(s) programmé(s)." if send else ".")
    )
    if not result.documents:
        text += (
            f" Aucune souscription en numéraire d’une personne physique domiciliée "
            f"fiscalement en France n’a reçu de versement en {year}."
        )
    return text


def _statement_store(
    statement: Statement, *, company: dict[str, Any], tax_year: TaxYear
) -> tuple[SubscriptionDocument, str]:
    settings = {
        name: str(getattr(tax_year, name))
        for name in (
            "rate_percent",
            "ceiling_single",
            "ceiling_couple",
            "esus_reference",
            "esus_from",
            "esus_until",
            "holding_years",
            "clawback_years",
            "signatory_name",
            "signatory_role",
        )
    }
    facts = hashlib.sha256(
        (statement.facts() + json.dumps([company, settings], sort_keys=True)).encode()
    ).hexdigest()
    movement = statement.subscription.movement
    document = (
        SubscriptionDocument.objects.select_for_update()
        .filter(kind=DocumentKind.TAX_STATEMENT, movement=movement, year=statement.year)
        .first()
    )
    if document is not None and document.facts_sha256 == facts:
        return document, "unchanged"
    subscribed_on = statement.subscription.subscribed_on
    content = pdf_render(
        "membership/pdf/tax_statement.html",
        {
            "statement": statement,
            "subscription": statement.subscription,
            "company": company,
            "coop_name": company["name"],
            "tax_year": tax_year,
            "holding_end": tax_year.holding_end(subscribed_on),
            "clawback_end": tax_year.clawback_end(subscribed_on),
            "article": ARTICLE,
            "today": timezone.localdate(),
        },
    )
    state = "updated"
    if document is None:
        state = "created"
        document = SubscriptionDocument(
            kind=DocumentKind.TAX_STATEMENT,
            contact=statement.contact,
            year=statement.year,
            movement=movement,
            filename=f"etat-individuel-ir-pme-{statement.year}-{movement.number}.pdf",
        )
    document.set_content(content)
    document.facts_sha256 = facts
    document.created_at = timezone.now()
    document.sent_at = None  # new facts: the investor must receive the corrected statement
    document.sent_to = ""
    document.save()
    return document, state

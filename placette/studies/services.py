"""Writes of the studies area: requests, templates, quotes and their versions, missions, time
spent, invoices, credit notes and payments. Every function is keyword-only, atomic, refuses bad
input with a French `Refusal` before writing anything, and logs one audit entry.

Rules kept here (and tested in studies/tests/):
- a sent quote is never edited: `quote_revise` makes the next version (same number);
- accepting a quote opens its mission; no invoice before the acceptance date;
- an invoice never exceeds what the accepted quote still allows (sold − invoiced + credited);
- invoices and credit notes are numbered without gaps, per series (F, A) and year, in the
  order of their dates; an issued invoice is corrected by a credit note, never edited;
- time is recorded in half-days, inside the mission's dates, never in the future nor on a
  closed mission, at most a day per person and per day across missions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import Contact, TimelineKind
from placette.contacts.services import timeline_append
from placette.lib.audit import audit_log
from placette.lib.dates import date_check
from placette.lib.documents import document_store
from placette.lib.money import ZERO, euros
from placette.lib.refusals import Refusal
from placette.lib.sums import decimal_exact
from placette.studies import amounts
from placette.studies.models import (
    CLOSED_REQUEST,
    SERIES,
    Counter,
    Deliverable,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    LineKind,
    Milestone,
    Mission,
    MissionMember,
    MissionPhase,
    MissionStatus,
    MissionTemplate,
    Payment,
    Quote,
    QuoteLine,
    QuotePhase,
    QuoteStatus,
    RequestStatus,
    ScheduleItem,
    StudiesSettings,
    StudyRequest,
    StudyRole,
    TemplateDays,
    TemplatePhase,
    TimeEntry,
)

AREA = "studies"
# Default invoicing schedule of a new mission: a deposit at acceptance, the balance at the end.
DEPOSIT_PERCENT = Decimal(30)


def _today() -> dt.date:
    return timezone.localdate()


def _timeline(contact: Contact, title: str, actor: Any, link: str, kind: str = "other") -> None:
    timeline_append(
        contact=contact,
        kind=kind or TimelineKind.OTHER,
        title=title,
        actor=actor,
        area=AREA,
        link=link,
    )


def _next_seq(series: str, year: int, on: dt.date | None = None) -> int:
    """The next number of a series in a year, under a row lock (no gap, no duplicate)."""
    Counter.objects.get_or_create(series=series, year=year)
    counter = Counter.objects.select_for_update().get(series=series, year=year)
    counter.last += 1
    if on is not None:
        counter.last_on = max(on, counter.last_on or on)
    counter.save(update_fields=["last", "last_on"])
    return counter.last


# -- settings and templates -------------------------------------------------------------------


SETTINGS_FIELDS = [
    f.name
    for f in StudiesSettings._meta.get_fields()
    if getattr(f, "editable", False) and f.name not in ("id", "updated_at")
]


@transaction.atomic
def settings_update(*, actor: Any, data: dict[str, Any]) -> StudiesSettings:
    current = StudiesSettings.get()
    amounts.vat_rate_check(data.get("vat_rate", current.vat_rate))
    for name in ("revenue_target", "recovery_indemnity"):
        if name in data:
            amounts.price_check(data[name], label=_("Montant"), field=name)
    changed = {}
    for name, value in data.items():
        if name in SETTINGS_FIELDS and getattr(current, name) != value:
            changed[name] = value
            setattr(current, name, value)
    current.save()
    audit_log(actor=actor, action="studies.settings.updated", obj=current, changed=changed)
    return current


@transaction.atomic
def role_create(*, actor: Any, name: str, daily_rate: Decimal) -> StudyRole:
    rate = amounts.price_check(daily_rate, label=_("Prix de journée"), field="daily_rate")
    if not name.strip():
        raise Refusal(_("Donnez un nom au rôle."), field="name")
    if StudyRole.objects.filter(name=name.strip()).exists():
        raise Refusal(_("Ce rôle existe déjà."), field="name")
    role = StudyRole.objects.create(
        name=name.strip(), daily_rate=rate, position=StudyRole.objects.count()
    )
    audit_log(actor=actor, action="studies.role.created", obj=role, daily_rate=rate)
    return role


@transaction.atomic
def template_create(*, actor: Any, name: str, description: str = "") -> MissionTemplate:
    if not name.strip():
        raise Refusal(_("Donnez un nom à la mission type."), field="name")
    if MissionTemplate.objects.filter(name=name.strip()).exists():
        raise Refusal(_("Une mission type porte déjà ce nom."), field="name")
    template = MissionTemplate.objects.create(name=name.strip(), description=description)
    audit_log(actor=actor, action="studies.template.created", obj=template)
    return template


@transaction.atomic
def template_phase_add(
    *,
    actor: Any,
    template: MissionTemplate,
    name: str,
    description: str = "",
    deliverables: str = "",
    days: dict[StudyRole, Decimal] | None = None,
) -> TemplatePhase:
    """A phase with its default days per role; a role at zero days is left out."""
    if not name.strip():
        raise Refusal(_("Donnez un nom à la phase."), field="name")
    checked = {}
    for role, value in (days or {}).items():
        if value is None:
            continue
        number = amounts.days_check(value, field=f"role_{role.pk}", allow_zero=True)
        if number:
            checked[role] = number
    phase = TemplatePhase.objects.create(
        template=template,
        name=name.strip(),
        description=description,
        deliverables=deliverables,
        position=template.phases.count(),
    )
    TemplateDays.objects.bulk_create(
        TemplateDays(phase=phase, role=role, days=value) for role, value in checked.items()
    )
    audit_log(
        actor=actor,
        action="studies.template.phase_added",
        obj=template,
        phase=phase.name,
        days={role.name: value for role, value in checked.items()},
    )
    return phase


# -- requests ---------------------------------------------------------------------------------

REQUEST_FIELDS = ["title", "need", "territory", "department_code", "source", "deadline", "owner"]


@transaction.atomic
def request_create(
    *, actor: Any, contact: Contact, received_on: dt.date, data: dict[str, Any]
) -> StudyRequest:
    date_check(received_on, label=_("Date de réception"), field="received_on", past_only=True)
    date_check(data.get("deadline"), label=_("Échéance"), field="deadline")
    if not (data.get("title") or "").strip():
        raise Refusal(_("Indiquez l’objet de la demande."), field="title")
    if data.get("deadline") and data["deadline"] < received_on:
        raise Refusal(
            _("L’échéance ne peut précéder la réception de la demande."), field="deadline"
        )
    request = StudyRequest.objects.create(
        contact=contact,
        received_on=received_on,
        status_on=received_on,
        **{k: v for k, v in data.items() if k in REQUEST_FIELDS},
    )
    audit_log(actor=actor, action="studies.request.created", obj=request)
    _timeline(
        contact,
        _("Demande d’étude : %(title)s") % {"title": request.title},
        actor,
        request.get_absolute_url(),
    )
    return request


@transaction.atomic
def request_update(*, actor: Any, request: StudyRequest, data: dict[str, Any]) -> StudyRequest:
    request = StudyRequest.objects.select_for_update().get(pk=request.pk)
    date_check(data.get("deadline"), label=_("Échéance"), field="deadline")
    if data.get("deadline") and data["deadline"] < request.received_on:
        raise Refusal(
            _("L’échéance ne peut précéder la réception de la demande."), field="deadline"
        )
    for name in REQUEST_FIELDS:
        if name in data:
            setattr(request, name, data[name])
    request.save()
    audit_log(actor=actor, action="studies.request.updated", obj=request)
    return request


# Statuses a person sets by hand; « devis envoyé » and « gagnée » follow the quotes.
MANUAL_STATUSES = {
    RequestStatus.NEW,
    RequestStatus.QUALIFIED,
    RequestStatus.LOST,
    RequestStatus.DROPPED,
}


@transaction.atomic
def request_status_set(
    *,
    actor: Any,
    request: StudyRequest,
    status: str,
    reason: str = "",
    on: dt.date | None = None,
) -> StudyRequest:
    request = StudyRequest.objects.select_for_update().get(pk=request.pk)
    on = on or _today()
    date_check(on, label=_("Date"), field="on", past_only=True)
    if status not in MANUAL_STATUSES:
        raise Refusal(
            _("Ce statut suit les devis : envoyez ou faites accepter un devis."), field="status"
        )
    if request.status == RequestStatus.WON:
        raise Refusal(_("Cette demande est gagnée : sa mission est ouverte."), field="status")
    if status in (RequestStatus.LOST, RequestStatus.DROPPED) and not reason.strip():
        raise Refusal(_("Indiquez le motif (perdue ou abandonnée)."), field="reason")
    if on < request.received_on:
        raise Refusal(_("La date précède la réception de la demande."), field="on")
    previous = request.status
    request.status, request.status_reason, request.status_on = status, reason.strip(), on
    request.save(update_fields=["status", "status_reason", "status_on"])
    audit_log(
        actor=actor,
        action="studies.request.status_changed",
        obj=request,
        previous=previous,
        status=status,
        reason=reason,
    )
    return request


def _request_follow(request: StudyRequest, status: str, on: dt.date) -> None:
    if request.status in (RequestStatus.WON,) and status != RequestStatus.WON:
        return
    request.status, request.status_on = status, max(on, request.received_on)
    if status == RequestStatus.LOST and not request.status_reason:
        request.status_reason = str(_("devis refusé"))
    request.save(update_fields=["status", "status_on", "status_reason"])


# -- quotes -----------------------------------------------------------------------------------


def _quote_recompute(quote: Quote) -> None:
    lines = list(quote.lines.all())
    counted = [line for line in lines if line.counts]
    totals = amounts.Totals.of((line.net for line in counted), quote.vat_rate)
    quote.total_net, quote.total_vat, quote.total_gross = totals.net, totals.vat, totals.gross
    quote.total_days = sum((line.quantity for line in counted if line.kind == LineKind.DAYS), ZERO)
    quote.save(update_fields=["total_net", "total_vat", "total_gross", "total_days"])


def _editable(quote: Quote) -> Quote:
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if not quote.is_editable:
        raise Refusal(
            _(
                "Le devis %(number)s a été envoyé : il ne se modifie plus. Créez une nouvelle "
                "version pour le changer."
            )
            % {"number": quote.number},
            code="quote_sent",
        )
    return quote


@transaction.atomic
def quote_create(
    *,
    actor: Any,
    request: StudyRequest,
    title: str = "",
    template: MissionTemplate | None = None,
    created_on: dt.date | None = None,
) -> Quote:
    """A draft quote for a request, from a mission template (its phases, its days per role at
    each role's daily rate, its deliverables) or empty."""
    request = StudyRequest.objects.select_for_update().get(pk=request.pk)
    created_on = created_on or _today()
    date_check(created_on, label=_("Date du devis"), field="created_on", past_only=True)
    if request.status in CLOSED_REQUEST:
        raise Refusal(_("Cette demande est close : rouvrez-la avant d’établir un devis."))
    if created_on < request.received_on:
        raise Refusal(_("Le devis ne peut précéder la demande."), field="created_on")
    settings = StudiesSettings.get()
    quote = Quote.objects.create(
        request=request,
        client=request.contact,
        template=template,
        year=created_on.year,
        seq=_next_seq("D", created_on.year),
        title=(title or (template.name if template else request.title))[:200],
        introduction=request.need,
        created_on=created_on,
        valid_until=created_on + dt.timedelta(days=settings.quote_validity_days),
        vat_rate=settings.vat_rate,
        vat_exemption=settings.vat_exemption if settings.vat_rate == 0 else "",
        payment_terms=_("Paiement à %(days)d jours à réception de facture, par virement.")
        % {"days": settings.payment_days},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if template is not None:
        for position, tphase in enumerate(
            template.phases.prefetch_related("days__role").order_by("position", "id")
        ):
            phase = QuotePhase.objects.create(
                quote=quote,
                position=position,
                name=tphase.name,
                description=tphase.description,
                deliverables=tphase.deliverables,
            )
            QuoteLine.objects.bulk_create(
                QuoteLine(
                    quote=quote,
                    phase=phase,
                    position=index,
                    kind=LineKind.DAYS,
                    label=days.role.name,
                    role=days.role,
                    quantity=days.days,
                    unit_price=days.role.daily_rate,
                    net=amounts.line_net(days.days, days.role.daily_rate),
                )
                for index, days in enumerate(tphase.days.all())
            )
        _quote_recompute(quote)
    if request.status == RequestStatus.NEW:
        request.status, request.status_on = RequestStatus.QUALIFIED, created_on
        request.save(update_fields=["status", "status_on"])
    audit_log(
        actor=actor,
        action="studies.quote.created",
        obj=quote,
        template=template.name if template else "",
    )
    return quote


QUOTE_FIELDS = [
    "title",
    "introduction",
    "valid_until",
    "vat_rate",
    "vat_exemption",
    "payment_terms",
    "buyer_siret",
    "buyer_service_code",
    "buyer_commitment",
]


@transaction.atomic
def quote_update(*, actor: Any, quote: Quote, data: dict[str, Any]) -> Quote:
    quote = _editable(quote)
    if "vat_rate" in data:
        data["vat_rate"] = amounts.vat_rate_check(data["vat_rate"])
        if data["vat_rate"] == 0 and not (data.get("vat_exemption") or quote.vat_exemption):
            raise Refusal(
                _("Sans TVA, la mention d’exonération est obligatoire."), field="vat_exemption"
            )
    if data.get("valid_until") is not None:
        date_check(data["valid_until"], label=_("Validité"), field="valid_until")
        if data["valid_until"] < quote.created_on:
            raise Refusal(_("La validité ne peut précéder la date du devis."), field="valid_until")
    siret = (data.get("buyer_siret") or "").replace(" ", "")
    if siret and (len(siret) != 14 or not siret.isdigit()):
        raise Refusal(_("Le SIRET compte 14 chiffres."), field="buyer_siret")
    if "buyer_siret" in data:
        data["buyer_siret"] = siret
    for name in QUOTE_FIELDS:
        if name in data:
            setattr(quote, name, data[name])
    quote.save()
    _quote_recompute(quote)
    audit_log(actor=actor, action="studies.quote.updated", obj=quote)
    return quote


@transaction.atomic
def quote_phase_add(
    *, actor: Any, quote: Quote, name: str, description: str = "", deliverables: str = ""
) -> QuotePhase:
    quote = _editable(quote)
    if not name.strip():
        raise Refusal(_("Donnez un nom à la phase."), field="name")
    phase = QuotePhase.objects.create(
        quote=quote,
        name=name.strip(),
        description=description,
        deliverables=deliverables,
        position=quote.phases.count(),
    )
    audit_log(actor=actor, action="studies.quote.phase_added", obj=quote, phase=phase.name)
    return phase


@transaction.atomic
def quote_line_add(
    *,
    actor: Any,
    quote: Quote,
    kind: str,
    label: str = "",
    quantity: Decimal,
    unit_price: Decimal | None = None,
    phase: QuotePhase | None = None,
    role: StudyRole | None = None,
    staff: Any = None,
    is_option: bool = False,
) -> QuoteLine:
    """Days of a role or a named person × a daily rate (the role's by default), or an expense
    (quantity × unit price)."""
    quote = _editable(quote)
    if kind == LineKind.DAYS:
        quantity = amounts.days_check(quantity, field="quantity")
        if role is None and staff is None:
            raise Refusal(_("Indiquez le rôle ou la personne qui intervient."), field="role")
        if unit_price is None:
            if role is None:
                raise Refusal(_("Indiquez le prix de journée."), field="unit_price")
            unit_price = role.daily_rate
        label = label.strip() or (role.name if role else str(staff))
    elif kind == LineKind.EXPENSE:
        quantity = amounts.quantity_check(quantity)
        if not label.strip():
            raise Refusal(_("Décrivez les frais."), field="label")
        if unit_price is None:
            raise Refusal(_("Indiquez le montant des frais."), field="unit_price")
    else:
        raise Refusal(_("Nature de ligne inconnue."), field="kind")
    unit_price = amounts.price_check(
        unit_price, label=_("Prix de journée") if kind == LineKind.DAYS else _("Prix unitaire")
    )
    if phase is not None and phase.quote_id != quote.pk:
        raise Refusal(_("Cette phase appartient à un autre devis."), field="phase")
    line = QuoteLine.objects.create(
        quote=quote,
        phase=phase,
        kind=kind,
        label=label.strip()[:200],
        role=role,
        staff=staff,
        quantity=quantity,
        unit_price=unit_price,
        net=amounts.line_net(quantity, unit_price),
        is_option=is_option,
        position=quote.lines.count(),
    )
    _quote_recompute(quote)
    audit_log(
        actor=actor,
        action="studies.quote.line_added",
        obj=quote,
        label=line.label,
        quantity=quantity,
        unit_price=unit_price,
        option=is_option,
    )
    return line


@transaction.atomic
def quote_line_remove(*, actor: Any, line: QuoteLine) -> None:
    quote = _editable(line.quote)
    label = line.label
    QuoteLine.objects.filter(pk=line.pk).delete()
    _quote_recompute(quote)
    audit_log(actor=actor, action="studies.quote.line_removed", obj=quote, label=label)


@transaction.atomic
def quote_send(*, actor: Any, quote: Quote, sent_on: dt.date | None = None) -> Quote:
    quote = _editable(quote)
    sent_on = sent_on or _today()
    date_check(sent_on, label=_("Date d’envoi"), field="sent_on", past_only=True)
    if sent_on < quote.created_on:
        raise Refusal(_("L’envoi ne peut précéder la date du devis."), field="sent_on")
    if not quote.lines.exists() or quote.total_net <= 0:
        raise Refusal(_("Un devis sans ligne ou à 0 € ne s’envoie pas."))
    if quote.valid_until < sent_on:
        raise Refusal(_("La validité du devis est déjà passée."), field="valid_until")
    quote.status, quote.sent_on = QuoteStatus.SENT, sent_on
    quote.save(update_fields=["status", "sent_on"])
    request = StudyRequest.objects.select_for_update().get(pk=quote.request_id)
    if request.status not in (RequestStatus.WON,):
        _request_follow(request, RequestStatus.QUOTE_SENT, sent_on)
    audit_log(actor=actor, action="studies.quote.sent", obj=quote, total_net=quote.total_net)
    _timeline(
        quote.client,
        _("Devis %(number)s envoyé : %(amount)s HT")
        % {"number": quote.number, "amount": euros(quote.total_net)},
        actor,
        quote.get_absolute_url(),
    )
    return quote


@transaction.atomic
def quote_revise(*, actor: Any, quote: Quote, on: dt.date | None = None) -> Quote:
    """The next version of a sent (or expired) quote, as a draft copy; the sent one is kept as
    it was sent, marked « remplacé »."""
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    on = on or _today()
    if quote.status != QuoteStatus.SENT:
        raise Refusal(_("Seul un devis envoyé, ni accepté ni refusé, se révise."))
    settings = StudiesSettings.get()
    last = Quote.objects.filter(year=quote.year, seq=quote.seq).order_by("-version").first()
    assert last is not None
    fresh = Quote.objects.create(
        request_id=quote.request_id,
        client_id=quote.client_id,
        template_id=quote.template_id,
        year=quote.year,
        seq=quote.seq,
        version=last.version + 1,
        created_on=on,
        valid_until=on + dt.timedelta(days=settings.quote_validity_days),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{name: getattr(quote, name) for name in QUOTE_FIELDS if name != "valid_until"},
    )
    phases = {}
    for phase in quote.phases.all():
        phases[phase.pk] = QuotePhase.objects.create(
            quote=fresh,
            position=phase.position,
            name=phase.name,
            description=phase.description,
            deliverables=phase.deliverables,
        )
    QuoteLine.objects.bulk_create(
        QuoteLine(
            quote=fresh,
            phase=phases.get(line.phase_id) if line.phase_id else None,
            position=line.position,
            kind=line.kind,
            label=line.label,
            role_id=line.role_id,
            staff_id=line.staff_id,
            quantity=line.quantity,
            unit_price=line.unit_price,
            net=line.net,
            is_option=line.is_option,
        )
        for line in quote.lines.all()
    )
    _quote_recompute(fresh)
    quote.status = QuoteStatus.SUPERSEDED
    quote.save(update_fields=["status"])
    audit_log(actor=actor, action="studies.quote.revised", obj=fresh, previous=quote.number)
    return fresh


@transaction.atomic
def quote_accept(
    *,
    actor: Any,
    quote: Quote,
    accepted_on: dt.date,
    options: Iterable[int] = (),
    ends_on: dt.date | None = None,
) -> Mission:
    """The client accepts the quote (with the options it chose): the mission opens on that
    date with the quote's phases, team and days, and its default invoicing schedule."""
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    date_check(accepted_on, label=_("Date d’acceptation"), field="accepted_on", past_only=True)
    if quote.status != QuoteStatus.SENT:
        raise Refusal(_("Seul un devis envoyé peut être accepté."))
    if quote.sent_on and accepted_on < quote.sent_on:
        raise Refusal(_("L’acceptation ne peut précéder l’envoi du devis."), field="accepted_on")
    if accepted_on > quote.valid_until:
        raise Refusal(
            _("Le devis a expiré le %(day)s : faites-en une nouvelle version.")
            % {"day": f"{quote.valid_until:%d/%m/%Y}"},
            field="accepted_on",
        )
    chosen = set(options)
    option_ids = set(quote.lines.filter(is_option=True).values_list("pk", flat=True))
    if chosen - option_ids:
        raise Refusal(_("Option inconnue pour ce devis."), field="options")
    if chosen:
        QuoteLine.objects.filter(pk__in=chosen).update(option_taken=True)
    _quote_recompute(quote)
    quote.status, quote.decided_on = QuoteStatus.ACCEPTED, accepted_on
    quote.save(update_fields=["status", "decided_on"])
    lines = [line for line in quote.lines.select_related("role").all() if line.counts]
    weeks = max(4, int(quote.total_days * 2))  # about half a day a week by default
    ends_on = ends_on or accepted_on + dt.timedelta(weeks=weeks)
    if ends_on < accepted_on:
        raise Refusal(_("La fin de la mission ne peut précéder son début."), field="ends_on")
    date_check(ends_on, label=_("Fin prévue"), field="ends_on")
    mission = Mission.objects.create(
        quote=quote,
        request_id=quote.request_id,
        client_id=quote.client_id,
        year=accepted_on.year,
        seq=_next_seq("M", accepted_on.year),
        title=quote.title,
        starts_on=accepted_on,
        ends_on=ends_on,
        sold_net=quote.total_net,
        sold_days=quote.total_days,
    )
    phases = list(quote.phases.all())
    span = (ends_on - accepted_on).days + 1
    for index, phase in enumerate(phases):
        start = accepted_on + dt.timedelta(days=span * index // max(len(phases), 1))
        end = accepted_on + dt.timedelta(days=span * (index + 1) // max(len(phases), 1) - 1)
        mine = [line for line in lines if line.phase_id == phase.pk]
        created = MissionPhase.objects.create(
            mission=mission,
            position=index,
            name=phase.name,
            starts_on=start,
            ends_on=max(end, start),
            sold_days=sum((li.quantity for li in mine if li.kind == LineKind.DAYS), ZERO),
            sold_net=sum((li.net for li in mine), ZERO),
        )
        Deliverable.objects.bulk_create(
            Deliverable(mission=mission, phase=created, name=name[:200], due_on=created.ends_on)
            for name in phase.deliverable_list()
        )
    planned: dict[int, Decimal] = {}
    for line in lines:
        if line.kind == LineKind.DAYS and line.staff_id:
            planned[line.staff_id] = planned.get(line.staff_id, ZERO) + line.quantity
    MissionMember.objects.bulk_create(
        MissionMember(mission=mission, user_id=user_id, planned_days=days)
        for user_id, days in planned.items()
    )
    ScheduleItem.objects.bulk_create(
        [
            ScheduleItem(
                mission=mission,
                position=0,
                label=str(_("Acompte à la commande")),
                percent=DEPOSIT_PERCENT,
                planned_on=accepted_on,
            ),
            ScheduleItem(
                mission=mission,
                position=1,
                label=str(_("Solde à la remise des livrables")),
                percent=100 - DEPOSIT_PERCENT,
                planned_on=ends_on,
            ),
        ]
    )
    request = StudyRequest.objects.select_for_update().get(pk=quote.request_id)
    _request_follow(request, RequestStatus.WON, accepted_on)
    # The other versions still open on this number are no longer on offer.
    Quote.objects.filter(year=quote.year, seq=quote.seq, status=QuoteStatus.SENT).exclude(
        pk=quote.pk
    ).update(status=QuoteStatus.SUPERSEDED)
    audit_log(
        actor=actor,
        action="studies.quote.accepted",
        obj=quote,
        mission=mission.number,
        total_net=quote.total_net,
        options=sorted(chosen),
    )
    _timeline(
        quote.client,
        _("Devis %(number)s accepté : mission %(mission)s")
        % {"number": quote.number, "mission": mission.number},
        actor,
        mission.get_absolute_url(),
    )
    return mission


@transaction.atomic
def quote_refuse(*, actor: Any, quote: Quote, refused_on: dt.date, reason: str = "") -> Quote:
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    date_check(refused_on, label=_("Date du refus"), field="refused_on", past_only=True)
    if quote.status != QuoteStatus.SENT:
        raise Refusal(_("Seul un devis envoyé peut être refusé."))
    if quote.sent_on and refused_on < quote.sent_on:
        raise Refusal(_("Le refus ne peut précéder l’envoi du devis."), field="refused_on")
    quote.status, quote.decided_on, quote.decision_note = QuoteStatus.REFUSED, refused_on, reason
    quote.save(update_fields=["status", "decided_on", "decision_note"])
    request = StudyRequest.objects.select_for_update().get(pk=quote.request_id)
    if not request.quotes.filter(status=QuoteStatus.SENT).exists():
        request.status_reason = reason or str(_("devis refusé"))
        _request_follow(request, RequestStatus.LOST, refused_on)
    audit_log(actor=actor, action="studies.quote.refused", obj=quote, reason=reason)
    return quote


# -- missions ---------------------------------------------------------------------------------


def _open_mission(mission: Mission) -> Mission:
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    if mission.is_closed:
        raise Refusal(
            _("La mission %(number)s est clôturée depuis le %(day)s : rien ne s’y ajoute.")
            % {"number": mission.number, "day": f"{mission.closed_on:%d/%m/%Y}"},
            code="mission_closed",
        )
    return mission


@transaction.atomic
def mission_update(*, actor: Any, mission: Mission, data: dict[str, Any]) -> Mission:
    """Title, dates and the link to a place of the foncière. The dates must still hold every
    time entry already recorded."""
    mission = _open_mission(mission)
    ends_on = data.get("ends_on", mission.ends_on)
    date_check(ends_on, label=_("Fin prévue"), field="ends_on")
    if ends_on < mission.starts_on:
        raise Refusal(_("La fin de la mission ne peut précéder son début."), field="ends_on")
    if mission.time_entries.filter(on__gt=ends_on).exists():
        raise Refusal(_("Du temps est déjà saisi après cette date de fin."), field="ends_on")
    mission.ends_on = ends_on
    for name in ("title", "place"):
        if name in data:
            setattr(mission, name, data[name])
    mission.save()
    audit_log(
        actor=actor,
        action="studies.mission.updated",
        obj=mission,
        ends_on=ends_on,
        place=str(mission.place or ""),
    )
    return mission


@transaction.atomic
def mission_member_set(
    *,
    actor: Any,
    mission: Mission,
    user: Any,
    planned_days: Decimal,
    role: StudyRole | None = None,
) -> MissionMember:
    mission = _open_mission(mission)
    if not user.is_team:
        raise Refusal(_("Seule une personne de l’équipe intervient."), field="user")
    days = amounts.days_check(planned_days, field="planned_days", allow_zero=True)
    member, _created = MissionMember.objects.update_or_create(
        mission=mission, user=user, defaults={"planned_days": days, "role": role}
    )
    audit_log(
        actor=actor, action="studies.mission.member_set", obj=mission, user=str(user), days=days
    )
    return member


@transaction.atomic
def mission_phase_update(
    *, actor: Any, phase: MissionPhase, starts_on: dt.date, ends_on: dt.date
) -> MissionPhase:
    mission = _open_mission(phase.mission)
    if ends_on < starts_on:
        raise Refusal(_("La fin d’une phase ne peut précéder son début."), field="ends_on")
    if starts_on < mission.starts_on or ends_on > mission.ends_on:
        raise Refusal(
            _("Une phase se tient dans les dates de la mission (du %(a)s au %(b)s).")
            % {"a": f"{mission.starts_on:%d/%m/%Y}", "b": f"{mission.ends_on:%d/%m/%Y}"},
            field="starts_on",
        )
    phase.starts_on, phase.ends_on = starts_on, ends_on
    phase.save(update_fields=["starts_on", "ends_on"])
    audit_log(actor=actor, action="studies.mission.phase_dated", obj=mission, phase=phase.name)
    return phase


@transaction.atomic
def milestone_add(
    *,
    actor: Any,
    mission: Mission,
    kind: str,
    name: str,
    on: dt.date,
    location: str = "",
    participants: str = "",
    phase: MissionPhase | None = None,
    done: bool = False,
) -> Milestone:
    mission = _open_mission(mission)
    date_check(on, label=_("Date"), field="on")
    if not name.strip():
        raise Refusal(_("Donnez un intitulé."), field="name")
    if on < mission.starts_on or on > mission.ends_on:
        raise Refusal(_("La date est en dehors des dates de la mission."), field="on")
    if done and on > _today():
        raise Refusal(_("Un moment à venir n’est pas encore réalisé."), field="done")
    milestone = Milestone.objects.create(
        mission=mission,
        phase=phase,
        kind=kind,
        name=name.strip(),
        on=on,
        location=location,
        participants=participants,
        done=done,
    )
    audit_log(actor=actor, action="studies.mission.milestone_added", obj=mission, name=name)
    return milestone


@transaction.atomic
def deliverable_deliver(
    *, actor: Any, deliverable: Deliverable, delivered_on: dt.date, file: Any
) -> Deliverable:
    """A deliverable handed to the client: its file is kept as a Document of the mission."""
    _open_mission(deliverable.mission)
    date_check(delivered_on, label=_("Date de remise"), field="delivered_on", past_only=True)
    if delivered_on < deliverable.mission.starts_on:
        raise Refusal(_("La remise précède le début de la mission."), field="delivered_on")
    document = document_store(
        content=file,
        name=getattr(file, "name", "livrable"),
        owner=deliverable.mission.client,
        scope="studies.mission",
        scope_id=deliverable.mission_id,
        actor=actor,
    )
    deliverable.document, deliverable.delivered_on = document, delivered_on
    deliverable.save(update_fields=["document", "delivered_on"])
    audit_log(
        actor=actor,
        action="studies.deliverable.delivered",
        obj=deliverable.mission,
        deliverable=deliverable.name,
        document=document.pk,
    )
    return deliverable


@transaction.atomic
def time_record(
    *,
    actor: Any,
    mission: Mission,
    staff: Any,
    on: dt.date,
    half_days: int,
    phase: MissionPhase | None = None,
    note: str = "",
) -> TimeEntry:
    mission = _open_mission(mission)
    date_check(on, label=_("Date"), field="on", past_only=True)
    if not isinstance(half_days, int) or half_days < 1 or half_days > 2:
        raise Refusal(
            _("Le temps se saisit par demi-journée : une ou deux demi-journées par jour."),
            field="half_days",
            code="negative" if isinstance(half_days, int) and half_days < 0 else None,
        )
    if on < mission.starts_on or on > mission.ends_on:
        raise Refusal(
            _("Le %(day)s est en dehors de la mission (du %(a)s au %(b)s).")
            % {
                "day": f"{on:%d/%m/%Y}",
                "a": f"{mission.starts_on:%d/%m/%Y}",
                "b": f"{mission.ends_on:%d/%m/%Y}",
            },
            field="on",
        )
    if not getattr(staff, "is_team", False):
        raise Refusal(_("Seule une personne de l’équipe saisit du temps."), field="staff")
    if phase is not None and phase.mission_id != mission.pk:
        raise Refusal(_("Cette phase appartient à une autre mission."), field="phase")
    already = TimeEntry.objects.filter(staff=staff, on=on).aggregate(n=Sum("half_days"))["n"] or 0
    if already + half_days > 2:
        raise Refusal(
            _("%(who)s a déjà %(n)d demi-journée(s) saisie(s) le %(day)s : une journée au plus.")
            % {"who": staff, "n": already, "day": f"{on:%d/%m/%Y}"},
            field="half_days",
        )
    entry = TimeEntry.objects.create(
        mission=mission,
        phase=phase,
        staff=staff,
        on=on,
        half_days=half_days,
        note=note[:200],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Mission.objects.filter(pk=mission.pk).update(spent_half_days=F("spent_half_days") + half_days)
    audit_log(
        actor=actor,
        action="studies.time.recorded",
        obj=mission,
        staff=str(staff),
        on=on,
        half_days=half_days,
    )
    return entry


@transaction.atomic
def mission_close(*, actor: Any, mission: Mission, closed_on: dt.date) -> Mission:
    mission = _open_mission(mission)
    date_check(closed_on, label=_("Date de clôture"), field="closed_on", past_only=True)
    if closed_on < mission.starts_on:
        raise Refusal(_("La clôture ne peut précéder le début de la mission."), field="closed_on")
    last = mission.time_entries.order_by("-on").values_list("on", flat=True).first()
    if last and last > closed_on:
        raise Refusal(
            _("Du temps est saisi le %(day)s, après cette date de clôture.")
            % {"day": f"{last:%d/%m/%Y}"},
            field="closed_on",
        )
    mission.status, mission.closed_on = MissionStatus.CLOSED, closed_on
    mission.save(update_fields=["status", "closed_on"])
    audit_log(actor=actor, action="studies.mission.closed", obj=mission, closed_on=closed_on)
    return mission


@transaction.atomic
def schedule_item_add(
    *, actor: Any, mission: Mission, label: str, percent: Decimal, planned_on: dt.date
) -> ScheduleItem:
    mission = _open_mission(mission)
    if percent is None or percent <= 0 or percent > 100:
        raise Refusal(_("Une échéance est une part entre 0 et 100 %."), field="percent")
    planned = sum((item.percent for item in mission.schedule.all()), ZERO)
    if planned + percent > 100:
        raise Refusal(
            _("L’échéancier dépasserait 100 % du montant (déjà %(p)s %%).") % {"p": planned},
            field="percent",
        )
    date_check(planned_on, label=_("Date prévue"), field="planned_on")
    item = ScheduleItem.objects.create(
        mission=mission,
        label=label.strip() or str(_("Échéance")),
        percent=percent,
        planned_on=planned_on,
        position=mission.schedule.count(),
    )
    audit_log(actor=actor, action="studies.schedule.added", obj=mission, label=item.label)
    return item


# -- invoices ---------------------------------------------------------------------------------


def _number(series: str, year: int, seq: int) -> str:
    return f"{series}-{year}-{seq:04d}"


def _chronological(series: str, issued_on: dt.date) -> None:
    later = (
        Invoice.objects.filter(series=series, issued_on__gt=issued_on)
        .order_by("-issued_on")
        .values_list("number", "issued_on")
        .first()
    )
    if later:
        raise Refusal(
            _(
                "La facture %(number)s est datée du %(day)s : les numéros suivent l’ordre des "
                "dates, une pièce ne peut être datée avant."
            )
            % {"number": later[0], "day": f"{later[1]:%d/%m/%Y}"},
            field="issued_on",
        )


def _buyer(mission: Mission) -> dict[str, Any]:
    client = mission.client
    quote = mission.quote
    return {
        "buyer_name": client.display_name,
        "buyer_address": " ".join(filter(None, [client.address_line1, client.address_line2])),
        "buyer_postcode": client.postcode,
        "buyer_city": client.commune_name,
        "buyer_siren": client.siren,
        "buyer_siret": quote.buyer_siret,
        "buyer_service_code": quote.buyer_service_code,
        "buyer_commitment": quote.buyer_commitment,
        "buyer_is_public": client.is_local_authority or bool(quote.buyer_siret),
    }


@transaction.atomic
def invoice_issue(
    *,
    actor: Any,
    mission: Mission,
    issued_on: dt.date,
    lines: Sequence[dict[str, Any]],
    label: str = "",
    schedule_item: ScheduleItem | None = None,
) -> Invoice:
    """Issue an invoice of the mission: numbered next in series F of its year, dated today or
    before, never before the quote's acceptance nor before the series' last invoice, for at
    most what the accepted quote still allows."""
    mission = (
        Mission.objects.select_for_update().select_related("quote", "client").get(pk=mission.pk)
    )
    quote = mission.quote
    date_check(issued_on, label=_("Date de facture"), field="issued_on", past_only=True)
    if quote.status != QuoteStatus.ACCEPTED or quote.decided_on is None:
        raise Refusal(_("Le devis n’est pas accepté : rien ne se facture."), code="not_accepted")
    if issued_on < quote.decided_on:
        raise Refusal(
            _("Le devis a été accepté le %(day)s : une facture ne peut être datée avant.")
            % {"day": f"{quote.decided_on:%d/%m/%Y}"},
            field="issued_on",
            code="before_acceptance",
        )
    if not lines:
        raise Refusal(_("Une facture a au moins une ligne."))
    checked = []
    for line in lines:
        if not (line.get("label") or "").strip():
            raise Refusal(_("Chaque ligne a un libellé."), field="label")
        quantity = amounts.quantity_check(line.get("quantity", Decimal(1)))
        price = amounts.price_check(line.get("unit_price"), label=_("Montant"), field="amount")
        checked.append((line["label"].strip()[:200], quantity, price, line.get("unit", "C62")))
    totals = amounts.Totals.of(
        (amounts.line_net(q, p) for _label, q, p, _unit in checked), quote.vat_rate
    )
    if totals.net <= 0:
        raise Refusal(_("Une facture est d’un montant positif."), field="amount")
    remaining = amounts.remaining_to_invoice(
        mission.sold_net, mission.invoiced_net, mission.credited_net
    )
    if totals.net > remaining:
        raise Refusal(
            _(
                "Cette facture (%(net)s HT) dépasse ce qui reste à facturer sur le devis "
                "%(quote)s : %(remaining)s HT."
            )
            % {"net": euros(totals.net), "quote": quote.number, "remaining": euros(remaining)},
            field="amount",
            code="above_remaining",
        )
    series = SERIES[InvoiceKind.INVOICE]
    _chronological(series, issued_on)
    settings = StudiesSettings.get()
    seq = _next_seq(series, issued_on.year, issued_on)
    invoice = Invoice.objects.create(
        mission=mission,
        kind=InvoiceKind.INVOICE,
        series=series,
        year=issued_on.year,
        seq=seq,
        number=_number(series, issued_on.year, seq),
        issued_on=issued_on,
        due_on=issued_on + dt.timedelta(days=settings.payment_days),
        label=(label or mission.title)[:200],
        vat_rate=quote.vat_rate,
        vat_exemption=quote.vat_exemption if quote.vat_rate == 0 else "",
        total_net=totals.net,
        total_vat=totals.vat,
        total_gross=totals.gross,
        payment_terms=quote.payment_terms,
        seller=settings.seller(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **_buyer(mission),
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=index,
            label=text,
            quantity=quantity,
            unit_price=price,
            unit=unit,
            net=amounts.line_net(quantity, price),
        )
        for index, (text, quantity, price, unit) in enumerate(checked)
    )
    Mission.objects.filter(pk=mission.pk).update(
        invoiced_net=decimal_exact(F("invoiced_net") + totals.net)
    )
    if schedule_item is not None:
        ScheduleItem.objects.filter(pk=schedule_item.pk, invoice__isnull=True).update(
            invoice=invoice
        )
    audit_log(
        actor=actor,
        action="studies.invoice.issued",
        obj=invoice,
        mission=mission.number,
        total_net=totals.net,
        total_gross=totals.gross,
    )
    _timeline(
        mission.client,
        _("Facture %(number)s : %(amount)s TTC")
        % {"number": invoice.number, "amount": euros(totals.gross)},
        actor,
        invoice.get_absolute_url(),
    )
    return invoice


@transaction.atomic
def invoice_from_schedule(*, actor: Any, item: ScheduleItem, issued_on: dt.date) -> Invoice:
    """Invoice a planned item: its share of the sold amount (the last item takes exactly what
    remains, so rounding never leaves a cent)."""
    item = ScheduleItem.objects.select_for_update().select_related("mission").get(pk=item.pk)
    if item.invoice_id:
        raise Refusal(_("Cette échéance est déjà facturée."))
    mission = item.mission
    left = mission.schedule.filter(invoice__isnull=True).count()
    remaining = mission.remaining_net
    if left == 1 and sum((i.percent for i in mission.schedule.all()), ZERO) == 100:
        net = remaining
    else:
        net = (mission.sold_net * item.percent / 100).quantize(Decimal("0.01"))
    return invoice_issue(
        actor=actor,
        mission=mission,
        issued_on=issued_on,
        label=f"{mission.title} — {item.label}",
        lines=[
            {
                "label": _("%(item)s (%(percent)s %% du devis %(quote)s)")
                % {
                    "item": item.label,
                    "percent": item.percent.normalize(),
                    "quote": mission.quote.number,
                },
                "quantity": Decimal(1),
                "unit_price": net,
            }
        ],
        schedule_item=item,
    )


@transaction.atomic
def credit_note_issue(
    *,
    actor: Any,
    invoice: Invoice,
    issued_on: dt.date,
    amount_net: Decimal | None = None,
    reason: str,
) -> Invoice:
    """A credit note against an invoice (all of it by default): the one way to correct an
    issued invoice. Numbered in series A; it lowers what the client owes and gives back room
    to invoice on the quote."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    date_check(issued_on, label=_("Date de l’avoir"), field="issued_on", past_only=True)
    if invoice.is_credit_note:
        raise Refusal(_("Un avoir ne porte pas sur un autre avoir."))
    if issued_on < invoice.issued_on:
        raise Refusal(_("Un avoir ne peut précéder sa facture."), field="issued_on")
    if not reason.strip():
        raise Refusal(_("Indiquez le motif de l’avoir."), field="reason")
    already = sum((c.total_net for c in invoice.credit_notes.all()), ZERO)
    available = invoice.total_net - already
    net = (
        available
        if amount_net is None
        else amounts.price_check(amount_net, label=_("Montant"), field="amount")
    )
    if net <= 0:
        raise Refusal(_("Un avoir est d’un montant positif."), field="amount")
    if net > available:
        raise Refusal(
            _("L’avoir dépasse ce qui reste de la facture %(number)s : %(left)s HT.")
            % {"number": invoice.number, "left": euros(available)},
            field="amount",
        )
    totals = amounts.Totals.of([net], invoice.vat_rate)
    if net == available:  # the last credit note cancels exactly what is left, VAT included
        left_gross = invoice.total_gross - invoice.credited_gross
        totals = amounts.Totals(net, left_gross - net, left_gross)
    if invoice.paid_amount > invoice.total_gross - invoice.credited_gross - totals.gross:
        raise Refusal(
            _(
                "La facture est déjà payée pour %(paid)s : l’avoir laisserait un trop-perçu à "
                "rembourser d’abord."
            )
            % {"paid": euros(invoice.paid_amount)},
            field="amount",
        )
    series = SERIES[InvoiceKind.CREDIT_NOTE]
    _chronological(series, issued_on)
    seq = _next_seq(series, issued_on.year, issued_on)
    note = Invoice.objects.create(
        mission_id=invoice.mission_id,
        kind=InvoiceKind.CREDIT_NOTE,
        series=series,
        year=issued_on.year,
        seq=seq,
        number=_number(series, issued_on.year, seq),
        issued_on=issued_on,
        due_on=issued_on,
        label=reason.strip()[:200],
        credited_invoice=invoice,
        vat_rate=invoice.vat_rate,
        vat_exemption=invoice.vat_exemption,
        total_net=totals.net,
        total_vat=totals.vat,
        total_gross=totals.gross,
        payment_terms=str(
            _("Avoir à déduire de la facture %(number)s.") % {"number": invoice.number}
        ),
        seller=StudiesSettings.get().seller(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{
            name: getattr(invoice, name)
            for name in (
                "buyer_name",
                "buyer_address",
                "buyer_postcode",
                "buyer_city",
                "buyer_siren",
                "buyer_siret",
                "buyer_service_code",
                "buyer_commitment",
                "buyer_is_public",
            )
        },
    )
    InvoiceLine.objects.create(
        invoice=note,
        label=_("Avoir sur la facture %(number)s") % {"number": invoice.number},
        quantity=Decimal(1),
        unit_price=totals.net,
        net=totals.net,
    )
    Invoice.objects.filter(pk=invoice.pk).update(
        credited_gross=decimal_exact(F("credited_gross") + totals.gross)
    )
    Mission.objects.filter(pk=invoice.mission_id).update(
        credited_net=decimal_exact(F("credited_net") + totals.net)
    )
    audit_log(
        actor=actor,
        action="studies.credit_note.issued",
        obj=note,
        invoice=invoice.number,
        total_net=totals.net,
        reason=reason,
    )
    return note


@transaction.atomic
def payment_record(
    *,
    actor: Any,
    invoice: Invoice,
    received_on: dt.date,
    amount: Decimal,
    reference: str = "",
) -> Payment:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    date_check(received_on, label=_("Date du paiement"), field="received_on", past_only=True)
    amount = amounts.price_check(amount, label=_("Montant"), field="amount")
    if invoice.is_credit_note:
        raise Refusal(_("Un avoir ne se paie pas."))
    if amount <= 0:
        raise Refusal(_("Un paiement est un montant positif."), field="amount")
    if received_on < invoice.issued_on:
        raise Refusal(_("Un paiement ne peut précéder la facture."), field="received_on")
    if amount > invoice.balance:
        raise Refusal(
            _("Le paiement (%(amount)s) dépasse le reste dû : %(balance)s.")
            % {"amount": euros(amount), "balance": euros(invoice.balance)},
            field="amount",
        )
    if len(reference) > 200:
        raise Refusal(_("La référence compte au plus 200 caractères."), field="reference")
    payment = Payment.objects.create(
        invoice=invoice,
        received_on=received_on,
        amount=amount,
        reference=reference,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Invoice.objects.filter(pk=invoice.pk).update(
        paid_amount=decimal_exact(F("paid_amount") + amount)
    )
    audit_log(
        actor=actor,
        action="studies.payment.recorded",
        obj=invoice,
        amount=amount,
        received_on=received_on,
    )
    return payment

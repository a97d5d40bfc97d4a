"""Membership services: booking movements on the share ledger, members, statutes versions.

Every function is keyword-only, atomic, writes an audit entry (``membership.…``) and appends to
the holder's contact timeline. A refused booking raises a :class:`~placette.lib.refusals.Refusal`
(messages in French) and books nothing. The arithmetic and the legal rules are in ``ledger.py``
(pure); the sums at a date in ``projections.py``.

Numbering: movement numbers and member numbers come from a `Sequence` row read under a row
lock (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers with
``BEGIN IMMEDIATE``) inside the booking transaction, so they are unique and gapless even when
two staff book at the same moment: a failed booking rolls its number back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import Contact, TimelineKind
from placette.contacts.services import timeline_append
from placette.lib import money
from placette.lib.audit import audit_log
from placette.lib.refusals import Refusal
from placette.membership import approvals, dating, ledger, projections, statutes_law
from placette.membership.colleges import check_college_weights
from placette.membership.models import (
    ZERO,
    Category,
    CategoryChange,
    CategoryRule,
    College,
    CollegeWeight,
    Member,
    Movement,
    MovementKind,
    Sequence,
    Statutes,
    TaxYear,
)

__all__ = [
    "category_create",
    "college_create",
    "fiscal_year_close",
    "member_category_change",
    "member_number_assign",
    "movement_cancel",
    "refund_decide",
    "refund_pay",
    "refund_request",
    "refund_warnings",
    "shares_give",
    "shares_pay",
    "shares_subscribe",
    "shares_transfer",
    "statutes_in_force",
    "statutes_update",
]


# --------------------------------------------------------------------------------------------
# Numbering and helpers
# --------------------------------------------------------------------------------------------


def _next_number(name: str) -> int:
    """Next value of a gapless counter; must run inside the booking transaction."""
    Sequence.objects.bulk_create([Sequence(name=name)], ignore_conflicts=True)
    counter = Sequence.objects.select_for_update().get(name=name)
    counter.last += 1
    Sequence.objects.filter(name=name).update(last=counter.last)
    return counter.last


def statutes_in_force(on: dt.date | None = None) -> Statutes:
    statutes = Statutes.objects.in_force(on)
    if statutes is None:
        raise Refusal(
            _(
                "Aucune version des statuts n’est en vigueur à cette date : renseignez "
                "d’abord les paramètres statutaires."
            )
        )
    return statutes


def _today(on: dt.date | None) -> dt.date:
    """The value date of a movement: today by default, never in the future nor before 1900,
    never inside a frozen register or a closed accounting period (`dating.value_date`)."""
    return dating.value_date(on)


def _category_on(contact: Contact, on: dt.date) -> Category | None:
    """The member's category on `on` (its category history), None for a new holder."""
    member = Member.objects.filter(contact=contact).select_related("category").first()
    if member is None:
        return None
    category_id = dating.category_id_on(contact.pk, on)
    if category_id is None or category_id == member.category_id:
        return member.category
    return Category.objects.get(pk=category_id)


def _contact(value: Contact | int | None, *, role: str) -> Contact:
    if isinstance(value, Contact) and value.pk:
        return value
    found = Contact.objects.filter(pk=value).first() if isinstance(value, int) else None
    if found is None:
        raise Refusal(
            _("%(role)s inconnu : choisissez une fiche contact existante.") % {"role": role}
        )
    return found


MAX_SHARES = 10_000_000
"""Most shares one movement may carry: far above any real subscription, far below the
database's integer columns (a 10¹² request would overflow PostgreSQL's integer)."""


def _check_shares(shares: object) -> int:
    if isinstance(shares, bool) or not isinstance(shares, int):
        raise Refusal(_("Le nombre de parts doit être un nombre entier."))
    if shares <= 0:
        raise Refusal(
            _("Le nombre de parts doit être au moins 1 (reçu %(shares)s).") % {"shares": shares}
        )
    if shares > MAX_SHARES:
        raise Refusal(
            _("Le nombre de parts ne peut pas dépasser %(max_shares)s (reçu %(shares)s).")
            % {"max_shares": MAX_SHARES, "shares": shares}
        )
    return shares


def _check_reference(reference: str) -> str:
    limit = Movement._meta.get_field("reference").max_length or 100
    if len(reference) > limit:
        raise Refusal(
            _("La référence ne peut pas dépasser %(limit)s caractères (reçu %(len)s).")
            % {"limit": limit, "len": len(reference)},
            field="reference",
        )
    return reference


def _replayed(key: str | None) -> Movement | None:
    """The movement already booked with this idempotency key (a second submission)."""
    return Movement.objects.filter(idempotency_key=key).first() if key else None


def _book(*, actor: Any, **fields: Any) -> Movement:
    fields.setdefault("capital", ZERO)
    fields.setdefault("called", ZERO)
    fields.setdefault("paid", ZERO)
    return Movement.objects.create(
        number=_next_number("movement"),
        booked_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )


def _rule(statutes: Statutes, category: Category) -> CategoryRule:
    rule = statutes.rules.filter(category=category).first()
    if rule is None:
        raise Refusal(
            _("La catégorie « %(category)s » n’existe pas dans les statuts en vigueur.")
            % {"category": category}
        )
    return rule


def _holder_link(contact: Contact) -> str:
    return reverse("membership:holder", args=[contact.pk])


def _trace(
    *,
    actor: Any,
    action: str,
    movement: Movement,
    title: str,
    body: str = "",
    **details: Any,
) -> None:
    timeline_append(
        contact=movement.holder,
        kind=TimelineKind.SUBSCRIPTION,
        title=title,
        body=body,
        actor=actor,
        area="membership",
        link=_holder_link(movement.holder),
    )
    audit_log(
        actor=actor,
        action=action,
        obj=movement,
        number=movement.number,
        holder=movement.holder_id,
        shares=movement.shares,
        capital=movement.capital,
        paid=movement.paid,
        **details,
    )


def member_number_assign(*, actor: Any, member: Member) -> Member:
    """Give `member` its member number, once and for good (gapless counter)."""
    if member.number is None:
        member.number = _next_number("member")
        member.save(update_fields=["number"])
        audit_log(
            actor=actor, action="membership.member.numbered", obj=member, number=member.number
        )
    return member


def _member_sync(
    *, actor: Any, contact: Contact, on: dt.date, category: Category | None = None
) -> Member | None:
    """Bring the member's admission and exit in line with the ledger.

    Admission when the holding qualifies (statutes setting `membership_start`: at subscription
    or at full payment); exit when the holder no longer has any share.
    """
    holding = projections.holding_of(contact)
    statutes = statutes_in_force(on)
    member = Member.objects.select_for_update().filter(contact=contact).first()
    if member is None:
        if holding.shares <= 0:
            return None
        if category is None:
            raise Refusal(
                _("%(contact)s n’est pas encore sociétaire : précisez sa catégorie d’associé.")
                % {"contact": contact}
            )
        member = Member.objects.create(contact=contact, category=category)
        # The first line of the category history: the category chosen on entering.
        CategoryChange.objects.create(
            member=member,
            category=category,
            effective_on=on,
            reason="Catégorie à l’entrée",
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
    qualifies = ledger.qualifies_as_member(holding, start=statutes.membership_start)
    if qualifies and member.admitted_on is not None and member.left_on is not None:
        if on < member.left_on:
            # A back-dated movement inside the membership period: the member never left
            # (dating.holder_check refused any gap in the holding).
            member.admitted_on = min(member.admitted_on, on)
            member.left_on = None
            member.save(update_fields=["admitted_on", "left_on"])
            audit_log(actor=actor, action="membership.member.stayed", obj=member, on=on)
            return member
    elif qualifies and member.admitted_on is not None and on < member.admitted_on:
        # Back-dated before the admission (a paper bulletin entered late): the member held
        # shares, so was an associé, from that date.
        member.admitted_on = on
        member.save(update_fields=["admitted_on"])
        audit_log(actor=actor, action="membership.member.admitted", obj=member, on=on)
        return member
    if qualifies and (member.admitted_on is None or member.left_on is not None):
        # A member who left and comes back is admitted again from this date.
        member.admitted_on = on
        member.left_on = None
        member.save(update_fields=["admitted_on", "left_on"])
        member_number_assign(actor=actor, member=member)
        timeline_append(
            contact=contact,
            kind=TimelineKind.SUBSCRIPTION,
            title=(
                _("Admis(e) comme sociétaire n° %(number)s (%(category)s)")
                % {"number": member.number, "category": member.category}
            ),
            actor=actor,
            area="membership",
            link=_holder_link(contact),
        )
        audit_log(actor=actor, action="membership.member.admitted", obj=member, on=on)
    elif holding.shares <= 0 and member.admitted_on is not None and member.left_on is None:
        member.left_on = max(on, member.admitted_on)
        member.save(update_fields=["left_on"])
        timeline_append(
            contact=contact,
            kind=TimelineKind.SUBSCRIPTION,
            title="N’est plus sociétaire (plus aucune part)",
            actor=actor,
            area="membership",
            link=_holder_link(contact),
        )
        audit_log(actor=actor, action="membership.member.left", obj=member, on=on)
    return member


def member_category_change(
    *,
    actor: Any,
    member: Member,
    category: Category,
    effective_on: dt.date,
    reason: str,
    decision: str = "",
) -> CategoryChange:
    """Move `member` to `category` from `effective_on` (a new line of the category history).

    Rules: the member is admitted and has not left on that date; the date is neither before
    the admission, nor before the last change, nor in the future; the category differs from
    the one in effect and exists in the statutes in force on that date; the holding on that
    date reaches the new category's minimum (and stays within its maximum) — statutes setting
    `CategoryRule.min_shares`/`max_shares`. `Member.category` (the cache of the category in
    effect today) follows.
    """
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(_("Indiquez le motif du changement de catégorie."))
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("contact").get(pk=member.pk)
        if effective_on > timezone.localdate():
            raise Refusal(
                _(
                    "Un changement de catégorie ne peut pas prendre effet à une date future "
                    ": enregistrez-le le jour où il prend effet."
                )
            )
        dating.value_date(effective_on, label="Date d’effet")
        if member.admitted_on is None:
            raise Refusal(
                _("%(contact)s n’est pas encore admis(e) comme sociétaire.")
                % {"contact": member.contact}
            )
        if effective_on < member.admitted_on:
            raise Refusal(
                _(
                    "La date d’effet (%(effective_on)s) précède l’admission du sociétaire "
                    "(%(admitted_on)s)."
                )
                % {
                    "effective_on": format(effective_on, "%d/%m/%Y"),
                    "admitted_on": format(member.admitted_on, "%d/%m/%Y"),
                }
            )
        if member.left_on is not None and effective_on >= member.left_on:
            raise Refusal(
                _("%(contact)s n’est plus sociétaire depuis le %(left_on)s.")
                % {"contact": member.contact, "left_on": format(member.left_on, "%d/%m/%Y")}
            )
        last = member.category_changes.order_by("-effective_on", "-id").first()
        if last is not None and effective_on < last.effective_on:
            raise Refusal(
                _(
                    "La date d’effet (%(effective_on)s) précède le dernier changement de "
                    "catégorie (%(last_effective_on)s) : l’historique ne se réécrit pas."
                )
                % {
                    "effective_on": format(effective_on, "%d/%m/%Y"),
                    "last_effective_on": format(last.effective_on, "%d/%m/%Y"),
                }
            )
        current_id = last.category_id if last is not None else member.category_id
        if category.pk == current_id:
            raise Refusal(
                _("%(contact)s est déjà dans la catégorie « %(category)s ».")
                % {"contact": member.contact, "category": category}
            )
        rule = _rule(statutes_in_force(effective_on), category)
        held = projections.holding_of(member.contact_id, effective_on).shares
        if held < rule.min_shares:
            raise Refusal(
                _(
                    "La catégorie « %(category)s » demande au moins %(min_shares)s part(s) : "
                    "le sociétaire n’en détient que %(held)s au %(effective_on)s."
                )
                % {
                    "category": category,
                    "min_shares": rule.min_shares,
                    "held": held,
                    "effective_on": format(effective_on, "%d/%m/%Y"),
                }
            )
        if rule.max_shares is not None and held > rule.max_shares:
            raise Refusal(
                _(
                    "La catégorie « %(category)s » limite la détention à %(max_shares)s "
                    "part(s) : le sociétaire en détient %(held)s au %(effective_on)s."
                )
                % {
                    "category": category,
                    "max_shares": rule.max_shares,
                    "held": held,
                    "effective_on": format(effective_on, "%d/%m/%Y"),
                }
            )
        dating.holder_check(
            holder_id=member.contact_id,
            name=str(member.contact),
            on=effective_on,
            deltas=ledger.Holding(),
            category_change=(effective_on, category.pk),
            check_on=False,
        )
        previous = Category.objects.get(pk=current_id)
        change = CategoryChange.objects.create(
            member=member,
            category=category,
            effective_on=effective_on,
            reason=reason,
            decision=(decision or "").strip(),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        # The cache holds the category in effect today (no change is dated in the future).
        member.category = category
        member.save(update_fields=["category"])
        timeline_append(
            contact=member.contact,
            kind=TimelineKind.SUBSCRIPTION,
            title=(
                _("Change de catégorie : %(previous)s → %(category)s")
                % {"previous": previous, "category": category}
            ),
            body=(
                _("À compter du %(effective_on)s. Motif : %(reason)s")
                % {"effective_on": format(effective_on, "%d/%m/%Y"), "reason": reason}
            ),
            actor=actor,
            area="membership",
            link=_holder_link(member.contact),
        )
        audit_log(
            actor=actor,
            action="membership.member.category_changed",
            obj=member,
            previous=previous.code,
            category=category.code,
            effective_on=effective_on,
            reason=reason,
            decision=change.decision,
        )
    return change


def _is_authority(contact: Contact) -> bool:
    from placette.contacts.models import LOCAL_AUTHORITY_KINDS

    if contact.org_kind in LOCAL_AUTHORITY_KINDS:
        return True
    member = Member.objects.filter(contact=contact).select_related("category").first()
    return bool(member and member.category.is_local_authorities)


def authorities_cap_check(statutes: Statutes, on: dt.date) -> None:
    """Refuse (inside the booking's transaction, so nothing stays written) a state where the
    local authorities hold more than their cap of the capital (loi 47-1775 art. 19 septies:
    at most 50 %; setting `local_authorities_cap_percent`), at the value date `on` and today."""
    cap = Fraction(statutes.local_authorities_cap_percent) / 100
    for day in sorted({on, max(on, timezone.localdate())}):
        total = projections.capital_on(day).subscribed
        held = projections.authorities_capital(day)
        if total <= 0 or not held:
            continue
        share = Fraction(held) / Fraction(total)
        if share > cap:
            raise Refusal(
                _(
                    "Refusé : les collectivités publiques détiendraient %(ratio_percent)s du "
                    "capital au %(day)s, au-delà du plafond de %(percent)s "
                    "(%(art_authorities)s)."
                )
                % {
                    "ratio_percent": money.ratio_percent(share),
                    "day": format(day, "%d/%m/%Y"),
                    "percent": money.percent(statutes.local_authorities_cap_percent),
                    "art_authorities": statutes_law.ART_AUTHORITIES,
                },
                code="authorities_cap",
            )


# --------------------------------------------------------------------------------------------
# Subscribing and paying up
# --------------------------------------------------------------------------------------------


@transaction.atomic
def shares_subscribe(
    *,
    actor: Any,
    contact: Contact | int,
    shares: int,
    category: Category | None = None,
    on: dt.date | None = None,
    paid: Decimal | None = None,
    reference: str = "",
    note: str = "",
    idempotency_key: str | None = None,
) -> Movement:
    """Book a subscription of `shares` new shares by `contact` (at the approval of a request).

    Rules: at least one share; the holding reaches the category minimum and stays within its
    maximum (statutes `CategoryRule`); `paid` (default: the full amount) is at least the
    statutory part paid at subscription (loi 47-1775 art. 12, to verify; setting
    `min_paid_percent`, ≥ 25 %). A new holder needs a `category`. Admission and the member
    number follow the statutes setting `membership_start`. A subscription that lifts local
    authorities above their cap (50 % of the capital, setting) is booked with a warning in
    ``movement.warnings``. A second call with the same `idempotency_key` returns the first
    movement and books nothing.
    """
    replay = _replayed(idempotency_key)
    if replay is not None:
        replay.warnings = []
        return replay
    on = _today(on)
    shares = _check_shares(shares)
    holder = _contact(contact, role="Souscripteur")
    statutes = statutes_in_force(on)
    is_new = not Member.objects.filter(contact=holder).exists()
    category = category if is_new else _category_on(holder, on)
    if category is None:
        raise Refusal(
            _("%(holder)s n’est pas encore sociétaire : précisez sa catégorie d’associé.")
            % {"holder": holder}
        )
    rule = _rule(statutes, category)
    value = statutes.share_value
    amount = value * shares
    paid = amount if paid is None else paid
    held = projections.holding_of(holder, on)
    ledger.check_subscription(
        shares=shares,
        share_value=value,
        paid=paid,
        min_paid_fraction=statutes.min_paid_fraction,
        held=held.shares,
        category_min=rule.min_shares,
        category_max=rule.max_shares,
    )
    dating.holder_check(
        holder_id=holder.pk,
        name=str(holder),
        on=on,
        deltas=ledger.Holding(shares, amount, amount, paid),
        new_category=category if is_new else None,
        check_on=False,
    )
    # Only a local authority's subscription can raise their share of the capital: the others
    # skip the check (booking cost independent of the size of the ledger).
    if dating.is_authority(holder.pk, category):
        dating.authorities_check(on=on, capital_delta=amount, authorities_delta=amount)
    movement = _book(
        actor=actor,
        date=on,
        kind=MovementKind.SUBSCRIPTION,
        holder=holder,
        shares=shares,
        capital=amount,
        called=amount,
        paid=paid,
        quantity=shares,
        amount=amount,
        share_value=value,
        reference=_check_reference(reference),
        note=note,
        idempotency_key=idempotency_key,
    )
    _member_sync(actor=actor, contact=holder, on=on, category=category)
    movement.warnings = []
    _trace(
        actor=actor,
        action="membership.shares.subscribed",
        movement=movement,
        title=(
            _("Souscription de %(shares)s part(s) (%(euros)s)")
            % {"shares": shares, "euros": money.euros(amount)}
        ),
        body=(
            _("Libéré : %(euros)s. Mouvement n° %(number)s.")
            % {"euros": money.euros(paid), "number": movement.number}
        ),
        warnings=movement.warnings,
    )
    return movement


@transaction.atomic
def shares_pay(
    *,
    actor: Any,
    contact: Contact | int,
    amount: Decimal,
    on: dt.date | None = None,
    reference: str = "",
    note: str = "",
    idempotency_key: str | None = None,
) -> Movement:
    """Book a paying-up payment (libération) of `amount` euros on the holder's unpaid capital.

    Rule: positive, never more than the capital still to pay up. The balance is due within the
    statutory delay (setting `balance_delay_months`, at most 5 years).
    """
    replay = _replayed(idempotency_key)
    if replay is not None:
        return replay
    on = _today(on)
    holder = _contact(contact, role="Sociétaire")
    statutes = statutes_in_force(on)
    if not isinstance(amount, Decimal):
        raise Refusal(_("Le montant doit être un nombre décimal en euros."))
    held = projections.holding_of(holder, on)
    if held.shares <= 0 and amount > 0:
        raise Refusal(
            _(
                "%(holder)s ne détient aucune part au %(on)s : une libération ne peut "
                "pas précéder la souscription qu’elle libère."
            )
            % {"holder": holder, "on": format(on, "%d/%m/%Y")},
            field="on",
            code="before_dependency",
        )
    ledger.check_payment(holding=held, amount=amount)
    dating.holder_check(
        holder_id=holder.pk,
        name=str(holder),
        on=on,
        deltas=ledger.Holding(0, ZERO, ZERO, amount),
        check_on=False,
    )
    movement = _book(
        actor=actor,
        date=on,
        kind=MovementKind.PAYMENT,
        holder=holder,
        paid=amount,
        amount=amount,
        share_value=statutes.share_value,
        reference=_check_reference(reference),
        note=note,
        idempotency_key=idempotency_key,
    )
    _member_sync(actor=actor, contact=holder, on=on)
    _trace(
        actor=actor,
        action="membership.shares.paid",
        movement=movement,
        title=(_("Libération de %(euros)s") % {"euros": money.euros(amount)}),
        body=(_("Mouvement n° %(number)s.") % {"number": movement.number}),
    )
    return movement


# --------------------------------------------------------------------------------------------
# Transfers and gifts
# --------------------------------------------------------------------------------------------


def _hand_over(
    *,
    kind: str,
    actor: Any,
    giver: Contact | int,
    receiver: Contact | int | None,
    shares: int,
    category: Category | None,
    on: dt.date | None,
    note: str,
    idempotency_key: str | None,
) -> tuple[Movement, Movement]:
    replay = _replayed(idempotency_key)
    if replay is not None:
        other = replay.followers.filter(kind=kind).first() or replay
        return replay, other
    on = _today(on)
    shares = _check_shares(shares)
    source = _contact(giver, role="Cédant")
    target = _contact(receiver, role="Bénéficiaire")
    if source.pk == target.pk:
        raise Refusal(_("Le cédant et le bénéficiaire sont la même personne."))
    statutes = statutes_in_force(on)
    target_is_new = not Member.objects.filter(contact=target).exists()
    target_category = category if target_is_new else _category_on(target, on)
    if target_category is None:
        raise Refusal(
            _("%(target)s n’est pas encore sociétaire : précisez sa catégorie d’associé.")
            % {"target": target}
        )
    rule = _rule(statutes, target_category)
    holding = projections.holding_of(source, on)
    pending = projections.pending_refund_shares(source, on)
    received = projections.holding_of(target, on).shares + shares
    if pending and shares > holding.shares - pending:
        raise Refusal(
            _(
                "%(pending)s part(s) du cédant sont en demande de remboursement : au "
                "plus %(free)s part(s) peuvent être cédées."
            )
            % {"pending": pending, "free": holding.shares - pending}
        )
    ledger.check_transfer(
        holding=holding, shares=shares, receiver_min=rule.min_shares, receiver_after=received
    )
    left = holding.shares - shares
    giver_category = _category_on(source, on)
    if giver_category is not None and left > 0:
        giver_min = _rule(statutes, giver_category).min_shares
        if left < giver_min:
            raise Refusal(
                _(
                    "Il resterait %(left)s part(s) au cédant, moins que le minimum de sa "
                    "catégorie (%(giver_min)s)."
                )
                % {"left": left, "giver_min": giver_min}
            )
    if rule.max_shares is not None and received > rule.max_shares:
        raise Refusal(
            _(
                "Le bénéficiaire détiendrait %(received)s part(s), au-delà du maximum de "
                "sa catégorie (%(max_shares)s)."
            )
            % {"received": received, "max_shares": rule.max_shares}
        )
    value = holding.capital / holding.shares
    amount = (value * shares).quantize(ledger.CENT)
    dating.holder_check(
        holder_id=source.pk,
        name=str(source),
        on=on,
        deltas=ledger.Holding(-shares, -amount, -amount, -amount),
        check_on=False,
    )
    dating.holder_check(
        holder_id=target.pk,
        name=str(target),
        on=on,
        deltas=ledger.Holding(shares, amount, amount, amount),
        new_category=target_category if target_is_new else None,
        check_on=False,
    )
    if dating.is_authority(target.pk, target_category) and not dating.is_authority(source.pk):
        dating.authorities_check(on=on, capital_delta=ZERO, authorities_delta=amount)
    common = {"date": on, "kind": kind, "quantity": shares, "amount": amount, "note": note}
    out = _book(
        actor=actor,
        holder=source,
        counterparty=target,
        shares=-shares,
        capital=-amount,
        called=-amount,
        paid=-amount,
        share_value=statutes.share_value,
        idempotency_key=idempotency_key,
        **common,
    )
    into = _book(
        actor=actor,
        holder=target,
        counterparty=source,
        shares=shares,
        capital=amount,
        called=amount,
        paid=amount,
        share_value=statutes.share_value,
        related=out,
        **common,
    )
    _member_sync(actor=actor, contact=target, on=on, category=target_category)
    _member_sync(actor=actor, contact=source, on=on)
    out.warnings = refund_warnings(
        contact=source, on=on, what="une cession" if kind == MovementKind.TRANSFER else "un don"
    )
    label = "Cession" if kind == MovementKind.TRANSFER else "Donation"
    _trace(
        actor=actor,
        action=f"membership.shares.{'transferred' if kind == MovementKind.TRANSFER else 'given'}",
        movement=out,
        title=(
            _("%(label)s de %(shares)s part(s) à %(target)s")
            % {"label": label, "shares": shares, "target": target}
        ),
        body=" ".join(
            [
                (
                    _("Mouvements n° %(number)s et %(into_number)s.")
                    % {"number": out.number, "into_number": into.number}
                ),
                *out.warnings,
            ]
        ),
        receiver=target.pk,
        warnings=out.warnings,
    )
    timeline_append(
        contact=target,
        kind=TimelineKind.SUBSCRIPTION,
        title=(
            _("%(label)s de %(shares)s part(s) reçue de %(source)s")
            % {"label": label, "shares": shares, "source": source}
        ),
        actor=actor,
        area="membership",
        link=_holder_link(target),
    )
    return out, into


@transaction.atomic
def shares_transfer(
    *,
    actor: Any,
    giver: Contact | int,
    receiver: Contact | int | None,
    shares: int,
    category: Category | None = None,
    on: dt.date | None = None,
    note: str = "",
    idempotency_key: str | None = None,
) -> tuple[Movement, Movement]:
    """Book a transfer (cession) of fully paid-up shares between two holders.

    Two movements (giver −, receiver +), linked. The receiver must be an existing contact; a
    new member needs a `category`. The giver keeps the category minimum or leaves; the
    receiver reaches its category minimum. Shares under a pending refund request cannot move.
    """
    return _hand_over(
        kind=MovementKind.TRANSFER,
        actor=actor,
        giver=giver,
        receiver=receiver,
        shares=shares,
        category=category,
        on=on,
        note=note,
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def shares_give(
    *,
    actor: Any,
    giver: Contact | int,
    receiver: Contact | int | None,
    shares: int,
    category: Category | None = None,
    on: dt.date | None = None,
    note: str = "",
    idempotency_key: str | None = None,
) -> tuple[Movement, Movement]:
    """Book a gift (donation) of shares: same rules and movements as a transfer."""
    return _hand_over(
        kind=MovementKind.GIFT,
        actor=actor,
        giver=giver,
        receiver=receiver,
        shares=shares,
        category=category,
        on=on,
        note=note,
        idempotency_key=idempotency_key,
    )


# --------------------------------------------------------------------------------------------
# Refunds
# --------------------------------------------------------------------------------------------


def refund_warnings(*, contact: Contact, on: dt.date, what: str = "un remboursement") -> list[str]:
    """Warnings (not errors) about shares leaving a person's hands on `on` (refund, transfer,
    gift): inside the IR-PME holding period of one of their subscriptions (CGI art. 199
    terdecies-0 A; `TaxYear.holding_years` of the subscription's year, else the statutes
    setting `ir_pme_holding_years`)."""
    if not contact.is_person:
        return []
    default = statutes_in_force(on).ir_pme_holding_years
    horizons = dict(TaxYear.objects.values_list("year", "holding_years"))
    longest = max([default, *horizons.values()])
    recent = (
        Movement.objects.filter(
            holder=contact,
            kind=MovementKind.SUBSCRIPTION,
            date__gte=dt.date(on.year - longest, 1, 1),
            date__lte=on,
            reversed_by__isnull=True,
        )
        .order_by("-date")
        .values_list("date", flat=True)
    )
    for subscribed_on in recent:
        years = horizons.get(subscribed_on.year, default)
        end = ledger.ir_pme_holding_end(subscribed_on, years=years)
        if on <= end:
            return [
                (
                    _(
                        "Attention : la souscription du %(subscribed_on)s est encore dans la "
                        "période de conservation IR-PME (jusqu’au %(end)s) ; %(what)s peut "
                        "entraîner la reprise de la réduction d’impôt du sociétaire."
                    )
                    % {
                        "subscribed_on": format(subscribed_on, "%d/%m/%Y"),
                        "end": format(end, "%d/%m/%Y"),
                        "what": what,
                    }
                )
            ]
    return []


def _withdrawal(
    *,
    holder: Contact,
    shares: int,
    on: dt.date,
    statutes: Statutes,
    exclude_pending: int = 0,
    decision: bool = False,
) -> ledger.Holding:
    """The deltas of withdrawing `shares` on `on`, checked on the state of that date (holding,
    pending requests, category minimum, capital floor) and of every later date."""
    holding = projections.holding_of(holder, on)
    category = _category_on(holder, on)
    category_min = _rule(statutes, category).min_shares if category else 1
    highest, reached = dating.highest_on(on)
    deltas = ledger.check_withdrawal(
        holding=holding,
        shares=shares,
        subscribed=projections.subscribed_on(on),
        highest=highest,
        floor_fraction=statutes.floor_fraction,
        floor_amount=statutes.floor_amount,
        category_min=category_min,
        pending=projections.pending_refund_shares(holder, on) - exclude_pending,
        highest_on=reached,
    )
    dating.holder_check(holder_id=holder.pk, name=str(holder), on=on, deltas=deltas, check_on=False)
    dating.floor_check(on=on, capital_delta=deltas.capital, peak_changes=[(on, deltas.capital)])
    if decision:  # the capital changes at the decision (a request changes nothing yet)
        authority = dating.is_authority(holder.pk, category)
        dating.authorities_check(
            on=on,
            capital_delta=deltas.capital,
            authorities_delta=deltas.capital if authority else ZERO,
        )
    return deltas


@transaction.atomic
def refund_request(
    *,
    actor: Any,
    contact: Contact | int,
    shares: int,
    on: dt.date | None = None,
    note: str = "",
    idempotency_key: str | None = None,
) -> Movement:
    """Record a member's request to withdraw `shares` shares (no capital change yet).

    Refused when it exceeds the holding (minus pending requests), leaves less than the
    category minimum without leaving, or would bring the capital below the floor (art. 13,
    settings `floor_percent`/`floor_amount`). Warnings (IR-PME holding period) are returned in
    ``movement.warnings`` and written in the movement's note.
    """
    replay = _replayed(idempotency_key)
    if replay is not None:
        replay.warnings = []
        return replay
    on = _today(on)
    shares = _check_shares(shares)
    holder = _contact(contact, role="Sociétaire")
    statutes = statutes_in_force(on)
    deltas = _withdrawal(holder=holder, shares=shares, on=on, statutes=statutes)
    warnings = refund_warnings(contact=holder, on=on)
    movement = _book(
        actor=actor,
        date=on,
        kind=MovementKind.REFUND_REQUEST,
        holder=holder,
        quantity=shares,
        amount=-deltas.paid,
        share_value=statutes.share_value,
        note=" — ".join(text for text in [note.strip(), *warnings] if text)[:300],
        idempotency_key=idempotency_key,
    )
    movement.warnings = warnings
    _trace(
        actor=actor,
        action="membership.refund.requested",
        movement=movement,
        title=(_("Demande de remboursement de %(shares)s part(s)") % {"shares": shares}),
        body=" ".join(warnings),
        warnings=warnings,
    )
    return movement


@transaction.atomic
def refund_decide(
    *,
    actor: Any,
    request: Movement,
    accepted: bool,
    on: dt.date | None = None,
    note: str = "",
    idempotency_key: str | None = None,
) -> Movement:
    """Book the board's decision on a refund request.

    Accepted: the shares and their capital leave the ledger, and the paid-up part (at most
    the nominal value) becomes the sum owed (`amount`); the floor and category checks are made
    again at the decision date. Refused: a movement recording the refusal (`note` = reason).
    """
    replay = _replayed(idempotency_key)
    if replay is not None:
        return replay
    on = _today(on)
    request = Movement.objects.select_related("holder").get(pk=request.pk)
    if request.kind != MovementKind.REFUND_REQUEST:
        raise Refusal(_("Ce mouvement n’est pas une demande de remboursement."))
    if not projections.pending_requests().filter(pk=request.pk).exists():
        raise Refusal(_("Cette demande a déjà été tranchée ou annulée."))
    dating.after_check(on, request, what="La décision")
    statutes = statutes_in_force(on)
    holder = request.holder
    if not accepted:
        if not note.strip():
            raise Refusal(_("Indiquez le motif du refus."))
        movement = _book(
            actor=actor,
            date=on,
            kind=MovementKind.REFUND_DECISION,
            holder=holder,
            accepted=False,
            quantity=request.quantity,
            share_value=statutes.share_value,
            related=request,
            note=note,
            idempotency_key=idempotency_key,
        )
        _trace(
            actor=actor,
            action="membership.refund.refused",
            movement=movement,
            title=(
                _("Remboursement de %(quantity)s part(s) refusé") % {"quantity": request.quantity}
            ),
            body=note,
        )
        return movement
    deltas = _withdrawal(
        holder=holder,
        shares=request.quantity,
        on=on,
        statutes=statutes,
        exclude_pending=request.quantity,
        decision=True,
    )
    movement = _book(
        actor=actor,
        date=on,
        kind=MovementKind.REFUND_DECISION,
        holder=holder,
        accepted=True,
        shares=deltas.shares,
        capital=deltas.capital,
        called=deltas.called,
        paid=deltas.paid,
        quantity=request.quantity,
        amount=-deltas.paid,
        share_value=statutes.share_value,
        related=request,
        note=note,
        idempotency_key=idempotency_key,
    )
    _member_sync(actor=actor, contact=holder, on=on)
    movement.warnings = refund_warnings(contact=holder, on=on)
    _trace(
        actor=actor,
        action="membership.refund.accepted",
        movement=movement,
        title=(
            _("Remboursement de %(quantity)s part(s) accepté (%(euros)s à rembourser)")
            % {"quantity": request.quantity, "euros": money.euros(movement.amount)}
        ),
        body=" ".join([note, *movement.warnings]).strip(),
        warnings=movement.warnings,
    )
    return movement


def refund_due_from(decision: Movement, statutes: Statutes, ago_on: dt.date | None) -> dt.date:
    """Earliest payment date of an accepted refund: the statutory minimum delay after the
    decision, counted to the day, and, when the statutes say so, the AGO's date."""
    earliest = approvals.add_months(decision.date, statutes.refund_min_delay_months)
    if statutes.refund_after_ago and ago_on is not None:
        earliest = max(earliest, ago_on)
    return earliest


def refund_terms(
    decision: Movement,
    statutes: Statutes | None = None,
    approved: dict | None = None,
    year_end_shares: dict[int, int] | None = None,
) -> dict[str, Any]:
    """What the statutes say about paying an accepted refund: the approval of the accounts of
    the year of departure (or None), the earliest and latest dates, the sum to pay (reduced by
    the year's losses when the statutes say so). A list page passes `approved` (every approval
    by year) and an empty `year_end_shares` dict, filled once per year: its queries do not grow
    with the number of refunds."""
    from placette.membership.models import AccountsApproval

    statutes = statutes or statutes_in_force(decision.date)
    if approved is None:  # one query; a list page passes every approval at once
        approval = AccountsApproval.objects.filter(year=decision.date.year).first()
    else:
        approval = approved.get(decision.date.year)
    earliest, latest = approvals.refund_due_dates(decision.date, statutes)
    if statutes.refund_after_ago and approval is not None:
        earliest = max(earliest, approval.approved_on)
    reduction = ZERO
    if statutes.refund_reduced_by_losses and approval is not None and approval.result:
        year = decision.date.year
        cache = {} if year_end_shares is None else year_end_shares
        if year not in cache:
            cache[year] = projections.capital_on(dt.date(year, 12, 31)).shares
        reduction = approvals.loss_share(
            owed=decision.amount,
            loss=-approval.result,
            shares=decision.quantity,
            shares_at_year_end=cache[year] + decision.quantity,
        )
    return {
        "approval": approval,
        "earliest": earliest,
        "latest": latest,
        "reduction": reduction,
        "amount": decision.amount - reduction,
    }


@transaction.atomic
def refund_pay(
    *,
    actor: Any,
    decision: Movement,
    on: dt.date | None = None,
    ago_on: dt.date | None = None,
    reference: str = "",
    idempotency_key: str | None = None,
) -> Movement:
    """Book the payment of an accepted refund (in the payment batch after the AGO).

    Rules (statutes settings, `membership.approvals`): with `refund_after_ago`, the accounts of
    the year of the decision must have been approved by a recorded AGO (`AccountsApproval`,
    from governance) and the payment comes on or after it (`ago_on`, when given, must be that
    AGO's date); it also waits `refund_min_delay_months` after the decision, to the day. With
    `refund_reduced_by_losses`, the sum paid is reduced by the withdrawn shares' part of the
    year's approved loss. Paid after `refund_max_delay_months`: booked, with a warning.
    """
    replay = _replayed(idempotency_key)
    if replay is not None:
        return replay
    on = _today(on)
    decision = Movement.objects.select_related("holder").get(pk=decision.pk)
    if decision.kind != MovementKind.REFUND_DECISION or not decision.accepted:
        raise Refusal(_("Seule une décision de remboursement favorable peut être payée."))
    if not projections.refunds_to_pay().filter(pk=decision.pk).exists():
        raise Refusal(_("Ce remboursement a déjà été payé ou la décision a été annulée."))
    dating.after_check(on, decision, what="Le paiement du remboursement")
    statutes = statutes_in_force(on)
    terms = refund_terms(decision, statutes)
    approval = terms["approval"]
    if statutes.refund_after_ago:
        year = decision.date.year
        if approval is None:
            raise Refusal(
                _(
                    "Le remboursement attend l’AGO qui approuve les comptes de l’exercice "
                    "%(year)s (année du retrait) : aucune approbation de ces comptes n’est "
                    "enregistrée (Remboursements → Approbation des comptes)."
                )
                % {"year": year}
            )
        if ago_on is not None and ago_on != approval.approved_on:
            raise Refusal(
                _(
                    "Les comptes de l’exercice %(year)s ont été approuvés par l’AGO du "
                    "%(approved_on)s, pas le %(ago_on)s."
                )
                % {
                    "year": year,
                    "approved_on": format(approval.approved_on, "%d/%m/%Y"),
                    "ago_on": format(ago_on, "%d/%m/%Y"),
                }
            )
        if on < approval.approved_on:
            raise Refusal(
                _(
                    "Ce remboursement ne peut pas être payé avant l’AGO du %(approved_on)s "
                    "qui a approuvé les comptes de %(year)s."
                )
                % {"approved_on": format(approval.approved_on, "%d/%m/%Y"), "year": year}
            )
    earliest = terms["earliest"]
    if on < earliest:
        raise Refusal(
            _("Ce remboursement ne peut pas être payé avant le %(earliest)s (délai statutaire).")
            % {"earliest": format(earliest, "%d/%m/%Y")}
        )
    warnings = refund_warnings(contact=decision.holder, on=on)
    if on > terms["latest"]:
        warnings.append(
            _(
                "Attention : ce remboursement était dû au plus tard le %(latest)s (délai "
                "statutaire de %(refund_max_delay_months)s mois)."
            )
            % {
                "latest": format(terms["latest"], "%d/%m/%Y"),
                "refund_max_delay_months": statutes.refund_max_delay_months,
            }
        )
    ago = approval.approved_on if approval is not None else ago_on
    note = (_("AGO du %(ago)s") % {"ago": format(ago, "%d/%m/%Y")}) if ago else ""
    if terms["reduction"]:
        note += _(" — réduit de %(euros)s (pertes %(year)s)") % {
            "euros": money.euros(terms["reduction"]),
            "year": decision.date.year,
        }
    movement = _book(
        actor=actor,
        date=on,
        kind=MovementKind.REFUND_PAYMENT,
        holder=decision.holder,
        quantity=decision.quantity,
        amount=terms["amount"],
        share_value=decision.share_value,
        related=decision,
        reference=_check_reference(reference),
        note=note.strip(" —")[:300],
        idempotency_key=idempotency_key,
    )
    movement.warnings = warnings
    _trace(
        actor=actor,
        action="membership.refund.paid",
        movement=movement,
        title=(_("Remboursement payé : %(euros)s") % {"euros": money.euros(movement.amount)}),
        body=" ".join(warnings),
        ago_on=ago,
        reduction=terms["reduction"],
        warnings=warnings,
    )
    return movement


# --------------------------------------------------------------------------------------------
# Cancellation
# --------------------------------------------------------------------------------------------


@transaction.atomic
def movement_cancel(
    *,
    actor: Any,
    movement: Movement,
    reason: str,
    on: dt.date | None = None,
    idempotency_key: str | None = None,
) -> list[Movement]:
    """Reverse a booked movement by a new movement with the opposite deltas (never an edit).

    Both legs of a transfer or gift are reversed together. Refused for a cancellation, an
    already cancelled movement, a refund decision already paid (cancel the payment first), or
    when the reversal would leave a holder with negative shares or money.
    """
    replay = _replayed(idempotency_key)
    if replay is not None:
        return [replay]
    if not reason.strip():
        raise Refusal(_("Indiquez le motif de l’annulation."))
    on = _today(on)
    movement = Movement.objects.select_related("holder").get(pk=movement.pk)
    if movement.kind == MovementKind.CANCELLATION:
        raise Refusal(_("Une annulation ne s’annule pas : passez un nouveau mouvement."))
    legs = [movement]
    if movement.kind in (MovementKind.TRANSFER, MovementKind.GIFT):
        pair = movement.related or movement.followers.filter(kind=movement.kind).first()
        if pair is not None:
            legs = sorted([movement, pair], key=lambda m: m.number)
    if Movement.objects.filter(reverses__in=legs).exists():
        raise Refusal(
            _("Le mouvement n° %(number)s est déjà annulé.") % {"number": movement.number}
        )
    blocking = Movement.objects.filter(related__in=legs, reversed_by__isnull=True).exclude(
        kind=movement.kind
    )
    if blocking.exists():
        first = cast(Movement, blocking.first())
        raise Refusal(
            _(
                "Le mouvement n° %(number)s (%(kind_label)s) dépend de celui-ci : "
                "annulez-le d’abord."
            )
            % {"number": first.number, "kind_label": first.kind_label}
        )
    for leg in legs:
        dating.after_check(on, leg, what="L’annulation")
    for leg in legs:
        after = projections.holding_of(leg.holder, on) + ledger.Holding(
            -leg.shares, -leg.capital, -leg.called, -leg.paid
        )
        if after.shares < 0 or after.paid < 0 or after.capital < 0 or after.paid > after.called:
            raise Refusal(
                _(
                    "Annuler le mouvement n° %(number)s laisserait %(holder)s avec une "
                    "détention négative au %(on)s : annulez d’abord les mouvements suivants."
                )
                % {"number": leg.number, "holder": leg.holder, "on": format(on, "%d/%m/%Y")}
            )
        dating.holder_check(
            holder_id=leg.holder_id,
            name=str(leg.holder),
            on=on,
            deltas=ledger.Holding(-leg.shares, -leg.capital, -leg.called, -leg.paid),
            check_on=False,
        )
    reversals = []
    for index, leg in enumerate(legs):
        reversals.append(
            _book(
                actor=actor,
                date=on,
                kind=MovementKind.CANCELLATION,
                holder=leg.holder,
                counterparty=leg.counterparty,
                shares=-leg.shares,
                capital=-leg.capital,
                called=-leg.called,
                paid=-leg.paid,
                quantity=leg.quantity,
                amount=-leg.amount,
                share_value=leg.share_value,
                reverses=leg,
                note=reason[:300],
                idempotency_key=idempotency_key if index == 0 else None,
            )
        )
    for leg in legs:
        _member_sync(actor=actor, contact=leg.holder, on=on)
    if any(
        (leg.capital > 0) != _is_authority(leg.holder) for leg in legs if leg.capital
    ):  # an authority's refund or another member's subscription undone
        authorities_cap_check(statutes_in_force(on), on)
    for reversal in reversals:
        _trace(
            actor=actor,
            action="membership.movement.cancelled",
            movement=reversal,
            title=(
                _("Annulation du mouvement n° %(number)s")
                % {"number": cast(Movement, reversal.reverses).number}
            ),
            body=reason,
            reverses=cast(Movement, reversal.reverses).number,
        )
    return reversals


# --------------------------------------------------------------------------------------------
# Statutes settings
# --------------------------------------------------------------------------------------------

STATUTES_FIELDS = [
    "coop_name",
    "legal_form",
    "share_value",
    "membership_start",
    "min_paid_percent",
    "balance_delay_months",
    "floor_percent",
    "floor_amount",
    "refund_after_ago",
    "refund_min_delay_months",
    "refund_max_delay_months",
    "refund_reduced_by_losses",
    "local_authorities_cap_percent",
    "colleges_enabled",
    "empty_college_policy",
    "min_colleges",
    "min_college_percent",
    "max_college_percent",
    "ir_pme_holding_years",
    "growth_target",
    "growth_target_year",
    "notice_days_first_call",
    "notice_days_second_call",
    "board_notice_days",
    "proxy_cap",
    "chair_casting_vote",
    "remote_counts_for_quorum",
    "share_interest_allowed",
    "sas_quorum_as",
    "seat",
    "registration",
    "paper_form_days",
    "electronic_deadline_hour",
    "written_questions_days",
    "board_blank_proxies",
    "board_remote_votes",
]


def statutes_check(
    *,
    data: dict[str, Any],
    rules: Iterable[dict[str, Any]],
    weights: dict[College, Decimal],
) -> list[str]:
    """Every problem of a statutes version (French messages); empty when valid."""
    errors: list[str] = []
    rules = list(rules)
    categories = [r["category"] for r in rules]
    if len(set(categories)) < 3:
        errors.append(_("Une SCIC compte au moins trois catégories d’associés."))
    if not any(c.is_employees for c in categories):
        errors.append(_("Les statuts doivent prévoir la catégorie des salariés (ou producteurs)."))
    if not any(c.is_beneficiaries for c in categories):
        errors.append(_("Les statuts doivent prévoir la catégorie des bénéficiaires."))
    for rule in rules:
        if rule.get("max_shares") is not None and rule["max_shares"] < rule["min_shares"]:
            errors.append(
                _("« %(category)s » : le maximum est inférieur au minimum.")
                % {"category": rule["category"]}
            )
    law = statutes_law.statutes_law_problems(data, {c.name: w for c, w in weights.items()})
    errors.extend(problem.replace("\u00a0", " ") for problem in law)
    if data.get("colleges_enabled"):
        used = {r["college"] for r in rules if r.get("college") is not None}
        missing = [str(r["category"]) for r in rules if r.get("college") is None]
        if missing:
            errors.append("Chaque catégorie doit voter dans un collège : " + ", ".join(missing))
        orphan = used - set(weights)
        if orphan:
            errors.append("Ces collèges n’ont pas de poids : " + ", ".join(str(c) for c in orphan))
        try:  # the bounds of this version (at least as strict as the law, checked above)
            if not any(statutes_law.ART_COLLEGES in problem for problem in law):
                check_college_weights(
                    {c.name: Fraction(w) / 100 for c, w in weights.items()},
                    min_colleges=data.get("min_colleges") or 3,
                    min_weight=Fraction(data.get("min_college_percent") or 10) / 100,
                    max_weight=Fraction(data.get("max_college_percent") or 50) / 100,
                )
        except Refusal as exc:
            errors.extend(m.replace("\u00a0", " ") for m in exc.messages)
        except ValueError as exc:
            errors.append(str(exc))
    return errors


@transaction.atomic
def statutes_update(
    *,
    actor: Any,
    data: dict[str, Any],
    rules: Iterable[dict[str, Any]],
    weights: dict[College, Decimal],
    effective_from: dt.date | None = None,
    reason: str = "",
) -> Statutes:
    """Record a new version of the statutes settings (never an edit of the previous one).

    `rules`: one dict per category (category, min_shares, max_shares, college); `weights`:
    college → weight in %. Checked: at least three categories including employees and
    beneficiaries (loi 47-1775); with colleges, the weights pass
    `membership.colleges.check_college_weights` with the bounds of this version (3 colleges,
    10–50 %, total 100 %, to verify).
    """
    rules = list(rules)
    errors = statutes_check(data=data, rules=rules, weights=weights)
    if errors:
        raise Refusal(errors)
    statutes = Statutes(
        effective_from=effective_from or timezone.localdate(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        **{k: v for k, v in data.items() if k in STATUTES_FIELDS},
    )
    try:
        statutes.full_clean(exclude=["created_by"])
    except ValidationError as exc:  # a database constraint of the statutes, checked first
        raise Refusal(exc.messages) from exc
    statutes.save()
    CategoryRule.objects.bulk_create(
        CategoryRule(
            statutes=statutes,
            category=r["category"],
            min_shares=r["min_shares"],
            max_shares=r.get("max_shares"),
            college=r.get("college") if data.get("colleges_enabled") else None,
            open_to_public=r.get(
                "open_to_public",
                not (r["category"].is_employees or r["category"].is_local_authorities),
            ),
        )
        for r in rules
    )
    if data.get("colleges_enabled"):
        CollegeWeight.objects.bulk_create(
            CollegeWeight(statutes=statutes, college=c, weight_percent=w)
            for c, w in weights.items()
        )
    audit_log(
        actor=actor,
        action="membership.statutes.updated",
        obj=statutes,
        effective_from=statutes.effective_from,
        reason=reason,
        data={k: v for k, v in data.items() if k in STATUTES_FIELDS},
        weights={c.name: w for c, w in weights.items()},
    )
    return statutes


@transaction.atomic
def category_create(*, actor: Any, data: dict[str, Any]) -> Category:
    """A new member category, placed last; it is offered once a statutes version maps it to a
    college (statutes_update)."""
    category = Category.objects.create(order=Category.objects.count(), **data)
    audit_log(actor=actor, action="membership.category.created", obj=category, code=category.code)
    return category


@transaction.atomic
def college_create(*, actor: Any, data: dict[str, Any]) -> College:
    """A new voting college, placed last; it counts once a statutes version gives it a weight."""
    college = College.objects.create(order=College.objects.count(), **data)
    audit_log(actor=actor, action="membership.college.created", obj=college, code=college.code)
    return college


# --------------------------------------------------------------------------------------------
# Closed accounting periods and the yearly frozen register
# --------------------------------------------------------------------------------------------


@transaction.atomic
def fiscal_year_close(*, actor: Any, year: int, note: str = "") -> Any:
    """Record that the accounting period `year` (a calendar year) is closed: from then on no
    movement of the register may be dated in it or before it (`dating.value_date`). Refused
    for a year not over yet or already closed (a later year closed includes it)."""
    from placette.membership.models import ClosedFiscalYear

    if isinstance(year, bool) or not isinstance(year, int) or year < 1900:
        raise Refusal(_("Indiquez l’année de l’exercice à clore (par exemple 2025)."), field="year")
    if year >= timezone.localdate().year:
        raise Refusal(
            _("L’exercice %(year)s n’est pas terminé : on ne clôt qu’un exercice passé.")
            % {"year": year},
            field="year",
        )
    last = ClosedFiscalYear.last()
    if last is not None and year <= last:
        raise Refusal(
            _("L’exercice %(last)s est déjà clos (et les précédents avec lui).") % {"last": last},
            field="year",
        )
    closure = ClosedFiscalYear.objects.create(
        year=year,
        closed_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=(note or "").strip()[:300],
    )
    audit_log(actor=actor, action="membership.fiscal_year.closed", obj=closure, year=year)
    return closure


@transaction.atomic
def register_snapshot_check(on: dt.date) -> None:
    """Refused when a snapshot of that date exists or the date is in the future."""
    from placette.membership.models import RegisterSnapshot

    if RegisterSnapshot.objects.filter(on=on).exists():
        raise Refusal(_("Le registre est déjà arrêté au %(on)s.") % {"on": format(on, "%d/%m/%Y")})
    if on > timezone.localdate():
        raise Refusal(_("On n’arrête pas le registre à une date future."))


def register_snapshot_create(*, actor: Any, on: dt.date, progress: Any = None) -> Any:
    """Freeze the register at `on` (usually 31 December): totals and the PDF and CSV files are
    stored once and never recomputed. Refused when a snapshot of that date exists. The PDF
    takes minutes at scale: staff run it as a background job (`register.snapshot_job`;
    `progress` is `pdf_render`'s)."""
    import hashlib
    import io

    from placette.lib.documents import document_store
    from placette.membership import register
    from placette.membership.documents import REGISTER_SCOPE
    from placette.membership.models import RegisterSnapshot

    register_snapshot_check(on)
    capital = projections.capital_on(on)
    content = register.pdf(on, progress=progress)
    text = io.StringIO()
    register.write_csv(on, text)
    last = (
        Movement.objects.filter(date__lte=on)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    snapshot = RegisterSnapshot(
        on=on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        last_movement_number=last or 0,
        members=Member.objects.active_on(on).count(),
        holders=capital.holders,
        shares=capital.shares,
        capital=capital.subscribed,
        called=capital.called,
        paid=capital.paid,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    snapshot.pdf = document_store(
        content=content,
        name=f"registre-{on:%Y-%m-%d}.pdf",
        content_type="application/pdf",
        scope=REGISTER_SCOPE,
        actor=actor,
    )
    snapshot.csv = document_store(
        content=text.getvalue().encode("utf-8"),
        name=f"registre-{on:%Y-%m-%d}.csv",
        content_type="text/csv",
        scope=REGISTER_SCOPE,
        actor=actor,
    )
    snapshot.save()
    audit_log(
        actor=actor,
        action="membership.register.frozen",
        obj=snapshot,
        on=on,
        capital=capital.subscribed,
        sha256=snapshot.sha256,
    )
    return snapshot

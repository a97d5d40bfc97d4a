"""The subscription journey: from the online bulletin to the booked subscription.

A request (`SubscriptionRequest`) is created by the public form or by a member in their space;
staff records the payments received (by hand or from a bank statement matched on the transfer
reference), then approves — which books the movement with `services.shares_subscribe` — or
refuses with a reason. Every document (bulletin, certificate) is stored with the transaction
that made it and sent by a background task that is idempotent (`sent_at`).

Every function is keyword-only, atomic, audited (``membership.subscription.…``) and raises
:class:`~placette.lib.refusals.Refusal` (French messages, the form field when there is one) when a
rule refuses the change; nothing changes then.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.accounts.models import Role, User
from placette.contacts.models import (
    ConsentPurpose,
    ConsentSource,
    Contact,
    ContactKind,
    TimelineKind,
)
from placette.contacts.services import (
    affiliation_add,
    consent_purpose,
    consent_record_of,
    consent_set,
    contact_create,
    contact_update,
)
from placette.contacts.services import timeline_append as _timeline_append
from placette.lib import money
from placette.lib.audit import audit_log
from placette.lib.dates import date_check
from placette.lib.documents import document_store
from placette.lib.pdf import pdf_render
from placette.lib.refusals import Refusal
from placette.lib.text import normalize_email
from placette.membership import projections
from placette.membership.models import Category, Member, Statutes
from placette.membership.models_requests import (
    OPEN_STATUSES,
    BankStatement,
    DocumentKind,
    PaymentMethod,
    PaymentSource,
    RequestPayment,
    RequestStatus,
    SubscriptionDocument,
    SubscriptionRequest,
    SubscriptionSettings,
)
from placette.membership.services import (
    shares_pay,
    shares_subscribe,
    statutes_in_force,
)

__all__ = [
    "CONSENTS",
    "CONSENT_VERSION",
    "bank_statement_confirm",
    "bank_statement_preview",
    "bank_statement_upload",
    "document_ensure",
    "document_pdf",
    "form_token_new",
    "iban_mask",
    "public_categories",
    "request_payment_record",
    "subscription_request_approve",
    "subscription_request_create",
    "subscription_request_refuse",
]

# The texts the subscriber ticks; stored with their version on each request (proof of consent).
CONSENT_VERSION = "2026-01"
CONSENTS = {
    "statutes": "J’ai lu les statuts de la coopérative et j’y adhère.",
    "risk": (
        "Je sais qu’une part sociale n’est ni garantie ni cotée : je peux perdre tout ou partie "
        "du capital investi, et son remboursement est limité à la valeur nominale et soumis aux "
        "conditions des statuts."
    ),
    "data": (
        "J’accepte que mes données soient traitées par la coopérative pour gérer ma souscription "
        "et la tenue du registre des associés, selon sa politique de protection des données."
    ),
}


# --------------------------------------------------------------------------------------------
# Helpers: statutes, categories, references, tokens, IBAN
# --------------------------------------------------------------------------------------------


def public_categories(statutes: Statutes) -> QuerySet[Category]:
    """Categories a visitor may choose online: those whose rule in the statutes in force says
    `open_to_public` (a statutes setting; by default every category except the employees,
    admitted by the board when hired, and the local authorities, who subscribe by a council
    deliberation handled by staff)."""
    return Category.objects.filter(rules__statutes=statutes, rules__open_to_public=True).order_by(
        "order", "name"
    )


_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
_SIGNER_SALT = "placette.membership.subscription-form"


def _reference_new() -> str:
    while True:
        code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        reference = f"SOUS-{code[:4]}-{code[4:]}"
        if not SubscriptionRequest.objects.filter(reference=reference).exists():
            return reference


def _reference_key(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def form_token_new() -> str:
    """A one-time token for one display of the form (signed: we issued it)."""
    return signing.dumps(secrets.token_urlsafe(24), salt=_SIGNER_SALT)


def form_token_valid(token: str) -> bool:
    try:
        signing.loads(token or "", salt=_SIGNER_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature:
        return False
    return True


def iban_mask(iban: str) -> str:
    """FR76 •••• •••• •••• •••• •••• 1234: the country, check digits and the last four."""
    compact = re.sub(r"\s", "", iban or "").upper()
    if len(compact) < 8:
        return ""
    hidden = "•" * (len(compact) - 8)
    masked = compact[:4] + hidden + compact[-4:]
    return " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))


def _consents_record(now: dt.datetime) -> dict[str, Any]:
    return {
        key: {"text": text, "version": CONSENT_VERSION, "at": now.isoformat()}
        for key, text in CONSENTS.items()
    }


def _timeline(*, request: SubscriptionRequest, title: str, actor: Any, body: str = "") -> None:
    _timeline_append(
        contact=request.contact,
        kind=TimelineKind.SUBSCRIPTION,
        title=title,
        body=body,
        actor=actor,
        area="membership",
        link=reverse("membership_public:request_detail", args=[request.pk]),
    )


# --------------------------------------------------------------------------------------------
# Contacts and consents
# --------------------------------------------------------------------------------------------


def _fill_blanks(*, actor: Any, contact: Contact, data: dict[str, Any]) -> Contact:
    """Complete a matched contact with what the subscriber typed, never overwriting: the
    record may have been checked by staff."""
    blanks = {k: v for k, v in data.items() if v and not getattr(contact, k, "")}
    if blanks:
        contact = contact_update(actor=actor, contact=contact, data=blanks)
    return contact


def _person_match_or_create(*, actor: Any, data: dict[str, Any]) -> Contact:
    email = normalize_email(data.get("email", ""))
    found = (
        Contact.objects.filter(kind=ContactKind.PERSON, email_normalized=email)
        .order_by("id")
        .first()
        if email
        else None
    )
    if found is not None:
        return _fill_blanks(actor=actor, contact=found, data=data)
    return contact_create(
        actor=actor, data={**data, "kind": ContactKind.PERSON}, source="souscription en ligne"
    )


def _organisation_match_or_create(*, actor: Any, data: dict[str, Any]) -> Contact:
    siren = re.sub(r"\s", "", data.get("siren", ""))
    email = normalize_email(data.get("email", ""))
    candidates = Contact.objects.filter(kind=ContactKind.ORGANISATION).order_by("id")
    found = None
    if siren:
        found = candidates.filter(siren=siren).first()
    if found is None and email:
        found = candidates.filter(email_normalized=email).first()
    data = {**data, "siren": siren}
    if found is not None:
        return _fill_blanks(actor=actor, contact=found, data=data)
    return contact_create(
        actor=actor,
        data={
            **data,
            "kind": ContactKind.ORGANISATION,
            "org_kind": data.get("org_kind") or "other",
        },
        source="souscription en ligne",
    )


# --------------------------------------------------------------------------------------------
# Creating a request
# --------------------------------------------------------------------------------------------


def _check_shares(*, shares: object, category: Category, statutes: Statutes, held: int) -> int:
    if isinstance(shares, bool) or not isinstance(shares, int):
        raise Refusal(_("Le nombre de parts doit être un nombre entier."), field="shares")
    if shares <= 0:
        raise Refusal(_("Le nombre de parts doit être d’au moins 1."), field="shares")
    rule = statutes.rules.filter(category=category).first()
    if rule is None:
        raise Refusal(
            _("La catégorie « %(category)s » n’est pas prévue par les statuts en vigueur.")
            % {"category": category},
            field="category",
        )
    if held + shares < rule.min_shares:
        raise Refusal(
            _("La catégorie « %(category)s » demande au moins %(min_shares)s part(s).")
            % {"category": category, "min_shares": rule.min_shares},
            field="shares",
        )
    if rule.max_shares is not None and held + shares > rule.max_shares:
        allowed = rule.max_shares - held
        raise Refusal(
            (
                _("La catégorie « %(category)s » permet au plus %(max_shares)s part(s) par associé")
                % {"category": category, "max_shares": rule.max_shares}
            )
            + (
                (_(" : vous pouvez encore en souscrire %(allowed)s.") % {"allowed": allowed})
                if held
                else "."
            ),
            field="shares",
        )
    return shares


@transaction.atomic
def subscription_request_create(
    *,
    actor: Any,
    form_token: str,
    shares: int,
    payment_method: str,
    category: Category | None = None,
    person: dict[str, Any] | None = None,
    organisation: dict[str, Any] | None = None,
    representative_role: str = "",
    contact: Contact | None = None,
    iban: str = "",
    bic: str = "",
    account_holder: str = "",
    tax_resident_fr: bool = False,
    consents_given: Iterable[str] = (),
    e_convocation: bool = False,
    ip: str | None = None,
    user_agent: str = "",
    paper: dict[str, Any] | None = None,
) -> tuple[SubscriptionRequest, bool]:
    """Record a bulletin de souscription; returns (request, created).

    A person (`person`), a legal entity (`organisation`) represented by `person`, or an existing
    member (`contact`, a further subscription in their category). The contact is matched on the
    normalised email (SIREN for an entity) or created. Rules: the three consents (statutes,
    risk, data policy) are required; shares ≥ 1 and within the category bounds of the statutes
    in force (`CategoryRule`); a valid IBAN for a SEPA debit. The same `form_token` twice
    returns the first request and creates nothing. The bulletin PDF is stored and emailed by a
    background task. `e_convocation` (the box worded by the consent purpose
    ``ag-convocation-email``) is recorded in the consent ledger of contacts, with the browser's
    `ip` and `user_agent` as proof.
    """
    if not form_token_valid(form_token):
        raise Refusal(_("Ce formulaire a expiré : rechargez la page et recommencez."))
    existing = SubscriptionRequest.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing, False
    missing = [key for key in CONSENTS if key not in set(consents_given)]
    if missing:
        raise Refusal(_("Les trois consentements sont nécessaires pour souscrire."))
    if payment_method not in PaymentMethod.values:
        raise Refusal(_("Choisissez un mode de paiement."), field="payment_method")
    today = timezone.localdate()
    statutes = statutes_in_force(today)
    held = 0
    is_additional = contact is not None
    if is_additional:
        member = Member.objects.filter(contact=contact).select_related("category").first()
        if member is None or not member.is_active_on(today):
            raise Refusal(_("Seul un sociétaire peut souscrire des parts supplémentaires ici."))
        category = member.category
        held = projections.holding_of(cast(Contact, contact)).shares
    elif category is None or not (
        statutes.rules.filter(category=category).exists()
        if paper is not None  # a paper bulletin: any category of the statutes
        else public_categories(statutes).filter(pk=category.pk).exists()
    ):
        raise Refusal(
            _("Choisissez une catégorie d’associé ouverte à la souscription."), field="category"
        )
    assert category is not None
    shares = _check_shares(shares=shares, category=category, statutes=statutes, held=held)
    masked = ""
    if payment_method == PaymentMethod.SEPA:
        iban, bic, masked = _iban_check(iban, bic)
        if not account_holder.strip():
            raise Refusal(_("Indiquez le titulaire du compte à prélever."), field="account_holder")
    else:
        iban = bic = account_holder = ""

    representative = None
    if not is_additional:
        if organisation:
            contact = _organisation_match_or_create(actor=actor, data=organisation)
            representative = _person_match_or_create(actor=actor, data=person or {})
            role = representative_role.strip() or "représentant légal"
            affiliation_add(actor=actor, person=representative, organisation=contact, role=role)
        else:
            contact = _person_match_or_create(actor=actor, data=person or {})
    assert contact is not None
    now = timezone.now()
    request = SubscriptionRequest(
        reference=_reference_new(),
        access_key=secrets.token_urlsafe(32),
        form_token=form_token,
        created_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        contact=contact,
        representative=representative,
        representative_role=representative_role.strip() if representative else "",
        is_additional=is_additional,
        category=category,
        shares=shares,
        share_value=statutes.share_value,
        amount=statutes.share_value * shares,
        payment_method=payment_method,
        iban=iban,
        iban_masked=masked,
        bic=bic,
        account_holder=account_holder.strip(),
        tax_resident_fr=bool(tax_resident_fr) and contact.is_person,
        consents=_consents_record(now),
        e_convocation=bool(e_convocation),
    )
    if paper is not None:
        request.channel = "paper"
        request.signed_on = paper["signed_on"]
    try:
        # A savepoint: two identical POSTs racing meet on the unique form token.
        with transaction.atomic():
            request.save()
    except IntegrityError:
        return SubscriptionRequest.objects.get(form_token=form_token), False
    if paper is not None:
        try:
            request.bulletin_scan = document_store(
                content=paper["scan"],
                name=f"bulletin-{request.reference}{Path(paper['scan'].name).suffix.lower()}",
                owner=contact,
                actor=actor,
            )
        except ValidationError as exc:
            raise Refusal(exc.messages, field="scan") from exc
        request.save(update_fields=["bulletin_scan"])
    if e_convocation:
        purpose = consent_purpose(ConsentPurpose.AG_CONVOCATION)
        consent_set(
            contact=contact,
            purpose=purpose,
            given=True,
            source=ConsentSource.WEB_FORM,
            source_detail=(
                _("bulletin de souscription %(reference)s") % {"reference": request.reference}
            ),
            text=purpose.consent_text,
            version=purpose.version,
            email=contact.email or (representative.email if representative else ""),
            ip=ip,
            user_agent=user_agent,
            actor=actor,
            at=now,
        )
    _timeline(
        request=request,
        actor=actor,
        title=(
            _(
                "Bulletin de souscription de %(shares)s part(s) (%(euros)s), %(method)s, "
                "réf. %(reference)s"
            )
            % {
                "shares": shares,
                "euros": money.euros(request.amount),
                "method": request.get_payment_method_display().lower(),
                "reference": request.reference,
            }
        ),
    )
    audit_log(
        actor=actor,
        action="membership.subscription.requested",
        obj=request,
        reference=request.reference,
        shares=shares,
        amount=request.amount,
        method=payment_method,
        additional=is_additional,
    )
    _document_send_later(kind=DocumentKind.BULLETIN, request=request)
    return request, True


def _iban_check(iban: str, bic: str) -> tuple[str, str, str]:
    from schwifty import BIC, IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        parsed = IBAN(iban or "")
    except SchwiftyException as exc:
        raise Refusal(
            _(
                "L’IBAN saisi n’est pas valide : vérifiez les caractères recopiés (il "
                "commence par deux lettres, par exemple FR76…)."
            ),
            field="iban",
        ) from exc
    if parsed.country_code not in _SEPA_COUNTRIES:
        raise Refusal(
            _("Le prélèvement SEPA demande un compte d’un pays de la zone SEPA."), field="iban"
        )
    bic = (bic or "").replace(" ", "").upper()
    if bic:
        try:
            BIC(bic)
        except SchwiftyException as exc:
            raise Refusal(
                _("Le BIC saisi n’est pas valide (8 ou 11 caractères)."), field="bic"
            ) from exc
    elif parsed.bic is not None:
        bic = str(parsed.bic)
    return parsed.compact, bic, iban_mask(parsed.compact)


_SEPA_COUNTRIES = set(
    [
        "AD",
        "AT",
        "BE",
        "BG",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GB",
        "GI",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "SM",
        "VA",
    ]
)


# --------------------------------------------------------------------------------------------
# Documents and their sending
# --------------------------------------------------------------------------------------------

DOCUMENT_TEMPLATES: dict[str, str] = {
    DocumentKind.BULLETIN: "membership/pdf/bulletin.html",
    DocumentKind.CERTIFICATE: "membership/pdf/certificate.html",
    DocumentKind.TAX_STATEMENT: "membership/pdf/tax_statement.html",
}


def _document_context(request: SubscriptionRequest) -> dict[str, Any]:
    statutes = statutes_in_force(timezone.localtime(request.created_at).date())
    member = Member.objects.filter(contact=request.contact).select_related("category").first()
    return {
        "req": request,
        "statutes": statutes,
        "coop_name": statutes.coop_name,
        "payment": SubscriptionSettings.current(),
        "member": member,
        "min_paid": _min_paid(request, statutes),
        "consent_texts": CONSENTS,
        "convocation": consent_record_of(
            request.contact, ConsentPurpose.AG_CONVOCATION, on=request.created_at
        )
        if request.e_convocation
        else None,
        "payments": list(request.payments.all()),
        "holding": projections.holding_of(request.contact) if request.movement_id else None,
        "today": timezone.localdate(),
    }


def document_pdf(*, kind: str, request: SubscriptionRequest) -> bytes:
    """The PDF of a bulletin or certificate, rendered now (read only: nothing is stored)."""
    return pdf_render(DOCUMENT_TEMPLATES[kind], _document_context(request))


def document_ensure(*, kind: str, request: SubscriptionRequest) -> SubscriptionDocument:
    """The stored bulletin or certificate of a request, rendered and stored the first time.
    Called from the mail task: the PDF is rendered outside any transaction (seconds of
    WeasyPrint never hold a database lock) and stored in a short one; a racing twin meets the
    one-document-per-request constraint and the first one stored wins."""
    document = SubscriptionDocument.objects.filter(kind=kind, request=request).first()
    if document is not None:
        return document
    content = document_pdf(kind=kind, request=request)
    name = "bulletin-souscription" if kind == DocumentKind.BULLETIN else "certificat-parts"
    document = SubscriptionDocument(
        kind=kind,
        contact=request.contact,
        request=request,
        filename=f"{name}-{request.reference}.pdf",
    )
    try:
        with transaction.atomic():
            document.set_content(content)  # its lib.Document row rolls back with it
            document.save()
    except IntegrityError:
        return SubscriptionDocument.objects.get(kind=kind, request=request)
    return document


def _document_send_later(*, kind: str, request: SubscriptionRequest) -> None:
    """Queue the email carrying the bulletin or the certificate; its PDF is produced in the
    mail task (placette.membership.mails). With no address, the PDF is stored at once for the
    member's space and the staff."""
    from placette.membership.mails import request_document_mail

    if request_document_mail(kind=kind, request=request) is None:
        audit_log(actor=None, action="membership.document.no_email", obj=request.contact, kind=kind)
        document_ensure(kind=kind, request=request)


# --------------------------------------------------------------------------------------------
# Payments
# --------------------------------------------------------------------------------------------


def _min_paid(request: SubscriptionRequest, statutes: Statutes) -> Decimal:
    fraction = Fraction(statutes.min_paid_percent) / 100
    exact = Fraction(request.amount) * fraction
    cents = -(-exact.numerator * 100 // exact.denominator)  # rounded up to the cent
    return Decimal(cents) / 100


def _status_after_payment(request: SubscriptionRequest) -> str:
    if request.status in (RequestStatus.APPROVED, RequestStatus.REFUSED):
        return request.status
    received = request.received()
    if received >= request.amount:
        return RequestStatus.PAID
    return RequestStatus.PARTIALLY_PAID if received > 0 else RequestStatus.AWAITING_PAYMENT


@transaction.atomic
def subscription_settings_update(*, actor: Any, data: dict[str, Any]) -> SubscriptionSettings:
    """A new version of the subscription settings (bank details, cheque address, company object);
    the latest one is in force, earlier ones stay for the documents issued under them."""
    row = SubscriptionSettings.objects.create(
        created_by=actor if getattr(actor, "is_authenticated", False) else None, **data
    )
    audit_log(actor=actor, action="membership.subscription_settings.updated", obj=row)
    return row


@transaction.atomic
def request_payment_record(
    *,
    actor: Any,
    request: SubscriptionRequest,
    amount: Decimal,
    paid_on: dt.date,
    method: str,
    reference: str = "",
    bank_line_key: str | None = None,
) -> RequestPayment:
    """Record a sum received for a request. Rules: positive; not on a refused request. On an
    approved request the sum pays up the capital on the ledger (`shares_pay`). A bank line
    already recorded (`bank_line_key`) returns the first payment and records nothing."""
    if bank_line_key:
        replay = RequestPayment.objects.filter(bank_line_key=bank_line_key).first()
        if replay is not None:
            return replay
    request = SubscriptionRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if not isinstance(amount, Decimal) or amount <= 0:
        raise Refusal(_("Le montant reçu doit être un nombre positif d’euros."), field="amount")
    if request.status == RequestStatus.REFUSED:
        raise Refusal(_("Cette demande a été refusée : un paiement ne peut plus y être rattaché."))
    if paid_on > timezone.localdate():
        raise Refusal(_("La date du paiement ne peut pas être dans le futur."), field="paid_on")
    date_check(paid_on, label="Date du paiement", field="paid_on", past_only=True)
    if method not in PaymentMethod.values:
        raise Refusal(_("Choisissez le mode de paiement."), field="method")
    payment = RequestPayment.objects.create(
        request=request,
        amount=amount,
        paid_on=paid_on,
        method=method,
        reference=_payment_reference(reference.strip()),
        source=PaymentSource.BANK if bank_line_key else PaymentSource.MANUAL,
        bank_line_key=bank_line_key,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if request.status == RequestStatus.APPROVED:
        movement = shares_pay(
            actor=actor,
            contact=request.contact,
            amount=amount,
            on=paid_on,
            reference=request.reference,
            idempotency_key=f"request-{request.pk}-payment-{payment.pk}",
        )
        payment.movement = movement
        payment.save(update_fields=["movement"])
    request.status = _status_after_payment(request)
    fields = ["status"]
    if request.iban and request.received() >= request.amount:
        request.iban = ""  # the debit is done: keep only the masked IBAN
        fields.append("iban")
    request.save(update_fields=fields)
    _timeline(
        request=request,
        actor=actor,
        title=(
            _("Paiement reçu : %(euros)s (%(method)s)")
            % {"euros": money.euros(amount), "method": payment.get_method_display().lower()}
        ),
        body=(
            _("Réf. %(reference)s, payé le %(paid_on)s.")
            % {"reference": request.reference, "paid_on": format(paid_on, "%d/%m/%Y")}
        ),
    )
    audit_log(
        actor=actor,
        action="membership.subscription.payment_recorded",
        obj=request,
        amount=amount,
        paid_on=paid_on,
        method=method,
        source=payment.source,
    )
    return payment


# --------------------------------------------------------------------------------------------
# Bank statement import
# --------------------------------------------------------------------------------------------


@dataclass
class BankLine:
    number: int
    raw: str
    date: dt.date | None = None
    label: str = ""
    amount: Decimal | None = None
    key: str = ""
    error: str = ""
    request: SubscriptionRequest | None = None
    outcome: str = ""
    already: bool = False


@dataclass
class BankPreview:
    lines: list[BankLine] = field(default_factory=list)

    @property
    def errors(self) -> list[BankLine]:
        return [line for line in self.lines if line.error]

    @property
    def matched(self) -> list[BankLine]:
        return [line for line in self.lines if line.request and not line.already]


BANK_STATEMENT_MAX_BYTES = 5 * 1000 * 1000
"""Largest statement kept for a dry run (years of a cooperative's account fit in 1 MB)."""
BANK_AMOUNT_LIMIT = Decimal(10) ** 12
"""Amounts must fit the money columns (14 digits, 2 after the point)."""


def _payment_reference(reference: str) -> str:
    limit = RequestPayment._meta.get_field("reference").max_length or 200
    if len(reference) > limit:
        raise Refusal(
            _("La référence ne peut pas dépasser %(limit)s caractères (reçu %(len)s).")
            % {"limit": limit, "len": len(reference)},
            field="reference",
        )
    return reference


def _decode(raw: bytes) -> str:
    if len(raw) > BANK_STATEMENT_MAX_BYTES:
        raise Refusal(
            _("Le relevé dépasse %(megabytes)s Mo : exportez une période plus courte.")
            % {"megabytes": BANK_STATEMENT_MAX_BYTES // 1_000_000},
            field="file",
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise Refusal(_("Le fichier n’est pas un texte lisible (UTF-8 ou Windows-1252)."), field="file")


def _parse_date(text: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _parse_amount(text: str) -> Decimal | None:
    try:
        amount = money.parse_decimal(text).quantize(money.CENT, rounding=ROUND_HALF_UP)
    except (ValueError, ArithmeticError):
        return None
    if not amount.is_finite() or abs(amount) >= BANK_AMOUNT_LIMIT:
        return None
    return amount


@transaction.atomic
def bank_statement_upload(*, actor: Any, filename: str, raw: bytes) -> BankStatement:
    """Keep an uploaded statement for its dry run (nothing is recorded yet)."""
    statement = BankStatement.objects.create(
        filename=filename[:200],
        content=_decode(raw),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(actor=actor, action="membership.bank_statement.uploaded", obj=statement)
    return statement


def bank_statement_preview(statement: BankStatement) -> BankPreview:
    """Dry run: read every line (date;libellé;montant) and find the request whose transfer
    reference appears in the label. An unreadable line is an error that blocks the import."""
    preview = BankPreview()
    rows = list(csv.reader(io.StringIO(statement.content), delimiter=";"))
    open_requests = {
        _reference_key(r.reference): r
        for r in SubscriptionRequest.objects.exclude(status=RequestStatus.REFUSED).select_related(
            "contact"
        )
    }
    pattern = re.compile(r"SOUS[A-Z0-9]{8}")
    seen: dict[str, int] = {}
    for index, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        line = BankLine(number=index, raw=";".join(row))
        if index == 1 and row and _parse_date(row[0]) is None and "date" in row[0].lower():
            continue  # header row
        if len(row) < 3:
            line.error = "ligne illisible : trois colonnes attendues (date;libellé;montant)"
            preview.lines.append(line)
            continue
        line.date = _parse_date(row[0])
        line.label = row[1].strip()
        line.amount = _parse_amount(row[2])
        if line.date is None:
            line.error = _("date illisible « %(text)s » (attendu JJ/MM/AAAA)") % {
                "text": row[0].strip()
            }
        elif line.amount is None:
            line.error = _("montant illisible « %(text)s » (attendu par ex. 1 250,00)") % {
                "text": row[2].strip()
            }
        if line.error:
            preview.lines.append(line)
            continue
        assert line.amount is not None and line.date is not None
        base = f"{line.date.isoformat()}|{_reference_key(line.label)}|{line.amount}"
        seen[base] = seen.get(base, 0) + 1
        line.key = hashlib.sha256(f"{base}|{seen[base]}".encode()).hexdigest()
        if line.amount <= 0:
            line.outcome = "débit ou montant nul : ignoré"
        else:
            found = pattern.findall(_reference_key(line.label))
            line.request = next((open_requests[k] for k in found if k in open_requests), None)
            if line.request is None:
                line.outcome = "aucune demande ne porte cette référence : ignorée"
            elif RequestPayment.objects.filter(bank_line_key=line.key).exists():
                line.already = True
                line.outcome = "déjà enregistrée lors d’un import précédent"
            else:
                line.outcome = _("paiement de la demande %(reference)s") % {
                    "reference": line.request.reference
                }
        preview.lines.append(line)
    return preview


@transaction.atomic
def bank_statement_confirm(*, actor: Any, statement: BankStatement) -> list[RequestPayment]:
    """Record the matched lines of a statement, all or nothing. A line already recorded by an
    earlier import is not recorded again."""
    preview = bank_statement_preview(statement)
    if preview.errors:
        raise Refusal(
            [
                (_("Ligne %(number)s : %(error)s.") % {"number": line.number, "error": line.error})
                for line in preview.errors
            ]
            + ["Aucun paiement n’a été enregistré : corrigez le fichier et recommencez."]
        )
    payments = []
    for line in preview.matched:
        assert line.request is not None and line.amount is not None and line.date is not None
        payments.append(
            request_payment_record(
                actor=actor,
                request=line.request,
                amount=line.amount,
                paid_on=line.date,
                method=PaymentMethod.TRANSFER
                if line.request.payment_method != PaymentMethod.SEPA
                else PaymentMethod.SEPA,
                reference=line.label[:200],
                bank_line_key=line.key,
            )
        )
    statement.confirmed_at = timezone.now()
    statement.save(update_fields=["confirmed_at"])
    audit_log(
        actor=actor,
        action="membership.bank_statement.imported",
        obj=statement,
        payments=len(payments),
    )
    return payments


# --------------------------------------------------------------------------------------------
# Approval and refusal
# --------------------------------------------------------------------------------------------


def _member_user_ensure(*, actor: Any, contact: Contact, email: str) -> User | None:
    """A member signs in with an emailed code: create their account if they have none."""
    if not email:
        return None
    if User.objects.filter(contact=contact).exists():
        return None
    user = User.objects.filter(email=normalize_email(email)).first()
    if user is not None:
        if user.contact_id is None:
            user.contact = contact
            user.save(update_fields=["contact"])
        return user
    user = User.objects.create_user(
        email, None, role=Role.MEMBER, contact=contact, display_name=contact.display_name
    )
    audit_log(actor=actor, action="accounts.user.created", obj=user, source="souscription")
    return user


@transaction.atomic
def subscription_request_approve(
    *, actor: Any, request: SubscriptionRequest, on: dt.date | None = None
) -> SubscriptionRequest:
    """Approve a request: book the subscription on the ledger (`shares_subscribe`, key
    ``request-<pk>``) with the sums received as paid-up capital, number the member, email the
    certificate, open the member's account (sign-in by emailed code) when there is none.

    Rule: at least the statutory part is paid (loi 47-1775 art. 12, to verify; statutes setting
    `min_paid_percent`, ≥ 25 %). Approving twice changes nothing.
    """
    request = (
        SubscriptionRequest.objects.select_for_update(of=("self",))
        .select_related("contact", "category", "representative")
        .get(pk=request.pk)
    )
    if request.status == RequestStatus.APPROVED:
        return request
    if request.status == RequestStatus.REFUSED:
        raise Refusal(
            _("La demande %(reference)s a été refusée : elle ne peut être approuvée.")
            % {"reference": request.reference}
        )
    on = on or timezone.localdate()
    statutes = statutes_in_force(on)
    received = request.received()
    minimum = _min_paid(request, statutes)
    if received < minimum:
        raise Refusal(
            _(
                "Paiement insuffisant pour la demande %(reference)s : %(euros)s reçus, "
                "il faut au moins %(money_euros_minimum)s (%(percent)s de "
                "%(money_euros_request_amount)s) avant d’approuver."
            )
            % {
                "reference": request.reference,
                "euros": money.euros(received),
                "money_euros_minimum": money.euros(minimum),
                "percent": money.percent(statutes.min_paid_percent),
                "money_euros_request_amount": money.euros(request.amount),
            }
        )
    movement = shares_subscribe(
        actor=actor,
        contact=request.contact,
        shares=request.shares,
        category=request.category,
        on=on,
        paid=min(received, request.amount),
        reference=request.reference,
        note=(_("Bulletin %(reference)s") % {"reference": request.reference}),
        idempotency_key=f"request-{request.pk}",
    )
    if request.tax_resident_fr:  # the bulletin's declaration, for the IR-PME statements
        Member.objects.filter(contact=request.contact).update(tax_resident_fr=True)
    request.status = RequestStatus.APPROVED
    request.movement = movement
    request.decided_at = timezone.now()
    request.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    if received >= request.amount:
        request.iban = ""
    request.save(update_fields=["status", "movement", "decided_at", "decided_by", "iban"])
    person = request.representative or request.contact
    if person.is_person:
        _member_user_ensure(actor=actor, contact=person, email=person.mail_to)
    _timeline(
        request=request,
        actor=actor,
        title=(
            _("Souscription approuvée : %(shares)s part(s), réf. %(reference)s")
            % {"shares": request.shares, "reference": request.reference}
        ),
        body=(_("Mouvement n° %(number)s.") % {"number": movement.number}),
    )
    audit_log(
        actor=actor,
        action="membership.subscription.approved",
        obj=request,
        reference=request.reference,
        movement=movement.number,
        paid=min(received, request.amount),
        warnings=getattr(movement, "warnings", []),
    )
    request.warnings = getattr(movement, "warnings", [])
    _document_send_later(kind=DocumentKind.CERTIFICATE, request=request)
    return request


@transaction.atomic
def subscription_request_refuse(
    *, actor: Any, request: SubscriptionRequest, reason: str
) -> SubscriptionRequest:
    """Refuse a request with a reason, emailed to the subscriber. An approved request cannot be
    refused (its subscription is on the ledger: cancel the movement instead)."""
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(
            _("Indiquez le motif du refus : il est envoyé au souscripteur."), field="reason"
        )
    request = SubscriptionRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if request.status == RequestStatus.APPROVED:
        raise Refusal(
            _(
                "La demande %(reference)s est déjà approuvée : annulez le mouvement dans "
                "le registre si nécessaire."
            )
            % {"reference": request.reference}
        )
    if request.status == RequestStatus.REFUSED:
        return request
    request.status = RequestStatus.REFUSED
    request.refusal_reason = reason
    request.decided_at = timezone.now()
    request.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    request.iban = ""
    request.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by", "iban"])
    _timeline(
        request=request,
        actor=actor,
        title=(_("Souscription refusée : %(reason)s") % {"reason": reason})[:200],
    )
    audit_log(
        actor=actor,
        action="membership.subscription.refused",
        obj=request,
        reference=request.reference,
        reason=reason,
    )
    from placette.membership.mails import refusal_mail

    refusal_mail(request=request)
    return request


def requests_decide(
    *, actor: Any, requests: Iterable[SubscriptionRequest], approve: bool, reason: str = ""
) -> tuple[list[SubscriptionRequest], list[str]]:
    """Batch decision: each request in its own transaction; returns (done, French errors)."""
    done, errors = [], []
    for request in requests:
        try:
            if approve:
                done.append(subscription_request_approve(actor=actor, request=request))
            else:
                done.append(
                    subscription_request_refuse(actor=actor, request=request, reason=reason)
                )
        except Refusal as exc:
            errors.extend(exc.messages)
    return done, errors


def open_statuses() -> tuple[str, ...]:
    return tuple(OPEN_STATUSES)

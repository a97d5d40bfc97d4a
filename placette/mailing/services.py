"""Writes of the mailing area about people: the suppression list, sign-ups with double opt-in,
the preferences page and the one-click unsubscribe. Consent is always written through the
kernel's ledger (`contacts.services.consent_set`); campaigns are in `sending.py`, imports in
`importing.py`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import ConsentPurpose, ConsentSource, Contact, ContactKind
from placette.contacts.services import consent_of, consent_purposes, consent_set, contact_create
from placette.lib.audit import audit_log
from placette.lib.mail import mail_send
from placette.lib.refusals import Refusal
from placette.lib.text import normalize_email
from placette.mailing.models import (
    Delivery,
    PreferenceKey,
    Signup,
    Suppression,
    SuppressionReason,
)
from placette.mailing.suppression import suppression_of

# A sign-up link older than this is refused (a new sign-up sends a new one).
SIGNUP_VALID_DAYS = 7


def address_check(email: str, *, field: str = "email") -> str:
    """The normalized address, or a French refusal naming what is wrong with it."""
    normalized = normalize_email(email)
    try:
        validate_email(normalized)
    except ValidationError:
        raise Refusal(
            _("« %(email)s » n’est pas une adresse e-mail valide (exemple : nom@domaine.fr).")
            % {"email": email},
            field=field,
            code="email_invalid",
        ) from None
    return normalized


def newsletter_purposes() -> list[ConsentPurpose]:
    """The purposes a newsletter may be sent for and the public may sign up to: every active
    purpose but the electronic AG convocation (relationship mail, consented in the member's
    space)."""
    return [p for p in consent_purposes() if p.code != ConsentPurpose.AG_CONVOCATION]


# -- suppression list -------------------------------------------------------------------------


@transaction.atomic
def suppression_add(
    *, email: str, reason: str, detail: str = "", contact: Contact | None = None, actor: Any = None
) -> Suppression:
    """Put `email` on the suppression list (no more non-transactional email). Idempotent: an
    address already there keeps its first reason."""
    normalized = address_check(email)
    if reason not in SuppressionReason.values:
        raise Refusal(_("Motif d’opposition inconnu."), field="reason")
    existing = (
        Suppression.objects.select_for_update().active().filter(email_normalized=normalized).first()
    )
    if existing is not None:
        return existing
    if contact is None:
        contact = Contact.objects.filter(email_normalized=normalized).first()
    suppression = Suppression.objects.create(
        email=normalized, reason=reason, detail=detail[:300], contact=contact
    )
    audit_log(
        actor=actor,
        action="mailing.suppression.added",
        obj=contact,
        email=normalized,
        reason=reason,
    )
    return suppression


@transaction.atomic
def suppression_lift(*, email: str, detail: str, actor: Any = None) -> bool:
    """Lift the suppression of `email` (the person signed up again and confirmed it)."""
    found = suppression_of(email)
    if found is None:
        return False
    found.lifted_at = timezone.now()
    found.lifted_detail = detail[:300]
    found.save(update_fields=["lifted_at", "lifted_detail"])
    audit_log(
        actor=actor, action="mailing.suppression.lifted", obj=found.contact, email=found.email
    )
    return True


# -- preferences ------------------------------------------------------------------------------


def preference_key_get(contact: Contact) -> PreferenceKey:
    """The contact's preferences key, created the first time it is needed (when a mail is
    written, never on a GET)."""
    key, _created = PreferenceKey.objects.get_or_create(contact=contact)
    return key


def preferences_url(contact: Contact) -> str:
    from django.conf import settings

    path = reverse("mailing_public:preferences", args=[preference_key_get(contact).token])
    return settings.SITE_URL + path


@transaction.atomic
def preference_set(
    *,
    contact: Contact,
    purpose: ConsentPurpose,
    given: bool,
    ip: str | None,
    user_agent: str,
    detail: str = "",
) -> None:
    """One click on the preferences page: give or withdraw one purpose with its own words.
    Giving again lifts a suppression the person asked for themself (« tout arrêter »), never
    a bounce or a complaint."""
    if purpose not in newsletter_purposes() and purpose.code != ConsentPurpose.AG_CONVOCATION:
        raise Refusal(_("Cette finalité n’est plus proposée."), field="purpose")
    if given:
        blocked = suppression_of(contact.email)
        if blocked is not None and blocked.reason != SuppressionReason.UNSUBSCRIBED:
            raise Refusal(
                _(
                    "Votre adresse ne reçoit plus nos lettres (%(reason)s) : inscrivez-vous "
                    "à nouveau depuis la page d’inscription pour la confirmer."
                )
                % {"reason": blocked.get_reason_display()},
                field="purpose",
            )
        if blocked is not None:
            suppression_lift(email=contact.email, detail=_("accord redonné par la personne"))
    consent_set(
        contact=contact,
        purpose=purpose,
        given=given,
        source=ConsentSource.WEB_FORM,
        source_detail=detail or _("page de préférences (lien personnel)"),
        text=purpose.text_for(given),
        version=purpose.version,
        ip=ip,
        user_agent=user_agent,
    )


@transaction.atomic
def preferences_stop_all(*, contact: Contact, ip: str | None, user_agent: str) -> None:
    """« Ne plus rien recevoir »: every newsletter purpose withdrawn and the address put on the
    suppression list."""
    for purpose in newsletter_purposes():
        if consent_of(contact, purpose):
            consent_set(
                contact=contact,
                purpose=purpose,
                given=False,
                source=ConsentSource.WEB_FORM,
                source_detail=_("page de préférences : ne plus rien recevoir"),
                text=purpose.withdrawal_text,
                version=purpose.version,
                ip=ip,
                user_agent=user_agent,
            )
    if contact.email:
        suppression_add(
            email=contact.email,
            reason=SuppressionReason.UNSUBSCRIBED,
            detail=_("page de préférences"),
            contact=contact,
        )


def token_resolve(token: str) -> tuple[Contact, Delivery | None] | None:
    """The contact (and the delivery, for a campaign's link) an opaque token stands for."""
    if not token or len(token) > 64:
        return None
    delivery = Delivery.objects.select_related("contact", "campaign__purpose").filter(token=token)
    found = delivery.first()
    if found is not None:
        return (found.contact, found) if found.contact is not None else None
    key = PreferenceKey.objects.select_related("contact").filter(token=token).first()
    return (key.contact, None) if key is not None else None


@transaction.atomic
def unsubscribe_one_click(*, token: str, ip: str | None, user_agent: str) -> bool:
    """RFC 8058: a POST to the List-Unsubscribe URL unsubscribes at once — from the campaign's
    purpose for a campaign's token, from everything for a preferences key. A replayed POST
    records nothing more; an unknown (forged) token changes nothing and returns False."""
    resolved = token_resolve(token)
    if resolved is None:
        return False
    contact, delivery = resolved
    if delivery is None:
        preferences_stop_all(contact=contact, ip=ip, user_agent=user_agent)
        return True
    purpose = delivery.campaign.purpose
    if consent_of(contact, purpose):
        consent_set(
            contact=contact,
            purpose=purpose,
            given=False,
            source=ConsentSource.UNSUBSCRIBE,
            source_detail=_("en un clic depuis « %(subject)s »")
            % {"subject": delivery.campaign.subject[:120]},
            text=purpose.withdrawal_text,
            version=purpose.version,
            ip=ip,
            user_agent=user_agent,
            email=delivery.email,
        )
    if delivery.unsubscribed_at is None:
        Delivery.objects.filter(pk=delivery.pk).update(unsubscribed_at=timezone.now())
        audit_log(
            actor=None,
            action="mailing.unsubscribe.one_click",
            obj=contact,
            campaign=delivery.campaign_id,
            purpose=purpose.code,
        )
    return True


# -- sign-up with double opt-in ---------------------------------------------------------------


@transaction.atomic
def signup_request(
    *,
    email: str,
    first_name: str,
    last_name: str,
    purposes: list[ConsentPurpose],
    ip: str | None,
    user_agent: str,
) -> Signup:
    """Record a sign-up and email its confirmation link (double opt-in). Nothing is consented
    until the link is confirmed; the words ticked are kept for the proof."""
    normalized = address_check(email)
    if not purposes:
        raise Refusal(_("Cochez au moins une lettre à recevoir."), field="purposes")
    signup = Signup.objects.create(
        email=normalized,
        first_name=first_name.strip()[:100],
        last_name=last_name.strip()[:100],
        purposes=[{"code": p.code, "text": p.consent_text, "version": p.version} for p in purposes],
        ip=ip,
        user_agent=user_agent[:400],
    )
    mail_send(
        template="mailing/signup_confirm",
        key=f"mailing.signup:{signup.pk}",
        to_email=normalized,
        context={
            "signup": signup,
            "labels": [str(p.label) for p in purposes],
            "confirm_url": _site(reverse("mailing_public:signup_confirm", args=[signup.token])),
        },
        kind="mailing.signup",
    )
    audit_log(actor=None, action="mailing.signup.requested", obj=None, signup=signup.pk)
    return signup


def _site(path: str) -> str:
    from django.conf import settings

    return settings.SITE_URL + path


def signup_pending(token: str) -> Signup | None:
    """The sign-up of that link if it may still be confirmed (None when unknown or expired)."""
    signup = Signup.objects.filter(token=token).first() if token and len(token) <= 64 else None
    if signup is None:
        return None
    if signup.confirmed_at is None and (timezone.now() - signup.created_at).days >= (
        SIGNUP_VALID_DAYS
    ):
        return None
    return signup


@transaction.atomic
def signup_confirm(*, signup: Signup, ip: str | None, user_agent: str) -> Contact:
    """The second step of the double opt-in: find or create the contact of that address and
    record each purpose ticked in the ledger, with the words shown, the sign-up's time and
    address as the proof. Confirming twice records nothing more."""
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if signup.confirmed_at is not None and signup.contact is not None:
        return signup.contact
    contact = Contact.objects.filter(email_normalized=signup.email_normalized).first()
    if contact is None:
        contact = contact_create(
            actor=None,
            data={
                "kind": ContactKind.PERSON,
                "first_name": signup.first_name,
                "last_name": signup.last_name or signup.email.split("@")[0],
                "email": signup.email,
            },
            source=_("inscription aux lettres"),
        )
    now = timezone.now()
    detail = _("double opt-in : inscription le %(at)s depuis %(ip)s, confirmée par le lien") % {
        "at": timezone.localtime(signup.created_at).strftime("%d/%m/%Y %H:%M"),
        "ip": signup.ip or "?",
    }
    by_code = {p.code: p for p in consent_purposes(active_only=False)}
    for item in signup.purposes:
        purpose = by_code.get(item["code"])
        if purpose is None:
            continue
        consent_set(
            contact=contact,
            purpose=purpose,
            given=True,
            source=ConsentSource.WEB_FORM,
            source_detail=detail,
            text=item["text"],
            version=item["version"],
            ip=ip,
            user_agent=user_agent,
            at=now,
            email=signup.email,
        )
    suppression_lift(email=signup.email, detail=_("nouvelle inscription confirmée (double opt-in)"))
    signup.confirmed_at = now
    signup.confirm_ip = ip
    signup.contact = contact
    signup.save(update_fields=["confirmed_at", "confirm_ip", "contact"])
    audit_log(actor=None, action="mailing.signup.confirmed", obj=contact, signup=signup.pk)
    return contact

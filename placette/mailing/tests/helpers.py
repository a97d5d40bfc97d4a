"""Shared builders of the mailing tests."""

from placette.contacts.models import ConsentPurpose
from placette.lib.models import MessageStatus, OutgoingMessage
from placette.mailing import sending
from placette.mailing.models import Campaign, Segment
from placette.test import give_consent, make_contact

NEWSLETTER = "investor-newsletter"


def smtp(settings, server):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": server.hostname, "port": server.port, "timeout": 5},
        }
    }
    settings.MAILING_RATE_PER_SECOND = 0
    settings.SITE_URL = "https://placette.example"


def subscriber(n: int, *, department_postcode="26150", commune="26113", consent=True, **fields):
    contact = make_contact(
        first_name=fields.pop("first_name", f"Prénom{n}"),
        last_name=fields.pop("last_name", f"Nom{n}"),
        email=fields.pop("email", f"abonne{n}@exemple.fr"),
        postcode=department_postcode,
        commune_code=commune,
        **fields,
    )
    if consent:
        give_consent(contact, NEWSLETTER)
    return contact


def segment(query: str = "", name: str = "Tous les investisseurs") -> Segment:
    return Segment.objects.create(
        name=name, purpose=ConsentPurpose.objects.get(code=NEWSLETTER), query=query
    )


def campaign(seg: Segment | None, subject: str = "La Panache n° 12") -> Campaign:
    c = sending.campaign_create(
        actor=None,
        data={
            "subject": subject,
            "purpose": ConsentPurpose.objects.get(code=NEWSLETTER),
            "segment": seg,
            "template": "panache",
        },
    )
    c.blocks = [
        {"type": "title", "text": "Bonjour *|PRENOM|*,"},
        {"type": "text", "markdown": "Voici **les nouvelles** de [nos lieux](https://exemple.fr)."},
        {"type": "figure", "figure": "places", "text": ""},
        {"type": "columns", "markdown": "À gauche", "right": "À droite"},
        {"type": "button", "text": "Lire la suite", "url": "https://exemple.fr/suite"},
    ]
    c.save()
    return c


def sent_count() -> int:
    return OutgoingMessage.objects.filter(
        kind="mailing.campaign", status=MessageStatus.SENT
    ).count()

"""Demo data of communication: the shipped MailChimp ZIP and Brevo CSV (invented addresses)
imported through the real importer, three past issues of « La Panache » in the archive, and
segments for the investors and for each département of the places. Idempotent and fast (a
dozen rows imported; campaigns written directly)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

from placette.contacts import communes
from placette.contacts.models import ConsentPurpose
from placette.mailing import importing, rendering
from placette.mailing.models import Campaign, CampaignStatus, Segment

FILES = Path(__file__).resolve().parent / "demo_files"
INVESTORS = "Investisseurs (La Panache)"

ISSUES = [
    (
        "La Panache n° 1 — le Café de la Place a ouvert",
        "Vos parts ont permis d’acheter le rez-de-chaussée ; le café emploie deux personnes.",
        "places",
    ),
    (
        "La Panache n° 2 — votre capital au travail",
        "Le capital citoyen a encore grandi ce trimestre : merci à chacune et chacun.",
        "capital",
    ),
    (
        "La Panache n° 3 — l’assemblée générale approche",
        "Les comptes de l’année et les nouveaux projets vous seront présentés.",
        "members",
    ),
]


def seed(rng, out) -> None:
    if Segment.objects.filter(name=INVESTORS).exists():
        out.write("Communication de démonstration : déjà présente.")
        return
    newsletter = ConsentPurpose.objects.get(code="investor-newsletter")
    news = ConsentPurpose.objects.filter(code="coop-news").first() or newsletter
    mailchimp = importing.audience_import(
        actor=None,
        source="mailchimp",
        raw=(FILES / "mailchimp_audience_export.zip").read_bytes(),
        filename="mailchimp_audience_export.zip",
        purpose_code=newsletter.code,
        dry_run=False,
    )
    brevo = importing.audience_import(
        actor=None,
        source="brevo",
        raw=(FILES / "brevo_contacts_export.csv").read_bytes(),
        filename="brevo_contacts_export.csv",
        purpose_code=news.code,
        dry_run=False,
    )
    investors = Segment.objects.create(
        name=INVESTORS,
        description="Sociétaires inscrits à la lettre des investisseurs",
        purpose=newsletter,
        query="member=yes",
    )
    from placette.places.models import Place

    codes = sorted(set(Place.objects.values_list("department_code", flat=True)) - {""})
    names = communes.departments()
    Segment.objects.bulk_create(
        [
            Segment(
                name=f"{names.get(code, code)} ({code})",
                description="Contacts du département inscrits aux nouvelles de la coopérative",
                purpose=news,
                query=f"department={code}",
            )
            for code in codes
        ]
    )
    today = timezone.now()
    campaigns = []
    for n, (subject, text, figure) in enumerate(ISSUES):
        campaign = Campaign(
            subject=subject,
            preheader=text,
            template="panache",
            purpose=newsletter,
            segment=investors,
            status=CampaignStatus.SENT,
            blocks=[
                {"type": "title", "text": "Bonjour *|PRENOM|*,"},
                {"type": "text", "markdown": text},
                {"type": "figure", "figure": figure, "text": ""},
                {
                    "type": "columns",
                    "markdown": "**Ce trimestre** : deux chantiers suivis par les bénévoles.",
                    "right": "**À venir** : une visite ouverte à tous les sociétaires.",
                },
            ],
            archived=True,
        )
        campaign.sent_html, campaign.sent_text = rendering.campaign_render(campaign)
        sent = today - dt.timedelta(days=90 * (len(ISSUES) - n))
        campaign.created_at = campaign.updated_at = campaign.send_started_at = sent
        campaign.sent_at = sent
        campaigns.append(campaign)
    Campaign.objects.bulk_create(campaigns)
    out.write(
        f"Communication de démonstration : import MailChimp ({len(mailchimp.rows)} lignes), "
        f"Brevo ({len(brevo.rows)} lignes), {len(codes) + 1} segments, "
        f"{len(ISSUES)} numéros de « La Panache » archivés."
    )

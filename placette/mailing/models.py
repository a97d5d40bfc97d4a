"""Communication: the suppression list, sign-ups with double opt-in, segments, campaigns and
their deliveries (one row per recipient), bounce and complaint events, audience imports.

Consent itself lives in the kernel's ledger (`placette.contacts`, `ConsentRecord`); this area
adds what a mailing tool needs on top of it (docs/mailing.md)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placette.lib.text import normalize_email


def new_token() -> str:
    """An opaque, unguessable token (192 bits) for links in emails."""
    return secrets.token_urlsafe(24)


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("désinscription de tout envoi")
    HARD_BOUNCE = "hard_bounce", _("adresse invalide (rejet définitif)")
    SOFT_BOUNCE = "soft_bounce", _("rejets temporaires répétés")
    COMPLAINT = "complaint", _("signalement comme indésirable")
    ERASURE = "erasure", _("effacement des données (RGPD)")
    MANUAL = "manual", _("ajoutée par l’équipe")


class SuppressionQuerySet(models.QuerySet["Suppression"]):
    def active(self) -> SuppressionQuerySet:
        return self.filter(lifted_at__isnull=True)


class Suppression(models.Model):
    """An address that receives no non-transactional email any more (the kernel's `mail_send`
    asks `placette.mailing.suppression.suppressed_reason` for each). Never deleted: lifted
    only by the person's own confirmed double opt-in (`lifted_at`)."""

    email = models.EmailField(_("adresse"))
    email_normalized = models.CharField(max_length=254, db_index=True, editable=False)
    reason = models.CharField(_("motif"), max_length=20, choices=SuppressionReason.choices)
    detail = models.CharField(_("précision"), max_length=300, blank=True)
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suppressions",
    )
    created_at = models.DateTimeField(_("depuis le"), default=timezone.now)
    lifted_at = models.DateTimeField(_("levée le"), null=True, blank=True)
    lifted_detail = models.CharField(_("motif de la levée"), max_length=300, blank=True)

    objects = SuppressionQuerySet.as_manager()

    class Meta:
        verbose_name = _("adresse en opposition")
        verbose_name_plural = _("liste d’opposition")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["email_normalized"],
                condition=Q(lifted_at__isnull=True),
                name="suppression_one_active_per_address",
                violation_error_message=_("Cette adresse est déjà sur la liste d’opposition."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_reason_display()})"

    def save(self, *args, **kwargs) -> None:
        self.email_normalized = normalize_email(self.email)
        super().save(*args, **kwargs)


class PreferenceKey(models.Model):
    """The opaque key of one contact's preferences page (/lettres/preferences/<token>/), put
    in every newsletter's footer; no sign-in needed, nothing else can be read with it."""

    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, related_name="preference_key"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("clé de préférences")

    def __str__(self) -> str:
        return str(self.contact_id)

    def get_absolute_url(self) -> str:
        return reverse("mailing_public:preferences", args=[self.token])


class Signup(models.Model):
    """A newsletter sign-up waiting for its double opt-in: what was shown and ticked, from
    where; the consent is recorded in the ledger only when the link in the email is opened
    and confirmed (`signup_confirm`)."""

    email = models.EmailField(_("adresse"))
    email_normalized = models.CharField(max_length=254, db_index=True, editable=False)
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    # [{"code", "text", "version"}]: the exact words ticked on the form.
    purposes = models.JSONField(default=list)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirm_ip = models.GenericIPAddressField(null=True, blank=True)
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("inscription en attente de confirmation")
        verbose_name_plural = _("inscriptions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        self.email_normalized = normalize_email(self.email)
        super().save(*args, **kwargs)


class Segment(models.Model):
    """A saved filter over contacts (the audience list's query string), for one consent
    purpose: its recipients are the contacts it matches who consented to that purpose, have
    an address and are not on the suppression list — counted live, frozen at sending."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    purpose = models.ForeignKey(
        "contacts.ConsentPurpose",
        on_delete=models.PROTECT,
        related_name="segments",
        verbose_name=_("finalité (consentement exigé)"),
    )
    # The filters of the audience list (`mailing.lists.AUDIENCE`) as a query string.
    query = models.TextField(_("filtres"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("segment")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mailing:segment", args=[self.pk])


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    SCHEDULED = "scheduled", _("programmée")
    SENDING = "sending", _("en cours d’envoi")
    SENT = "sent", _("envoyée")


class CampaignTemplate(models.TextChoices):
    PANACHE = "panache", _("« La Panache » (lettre des investisseurs)")
    NEWS = "news", _("Nouvelles de la coopérative")


class Campaign(models.Model):
    """One newsletter: its blocks, its segment, and once sent, the rendered body every
    recipient got (`sent_html`/`sent_text`, personalised per delivery) — never edited again."""

    subject = models.CharField(_("objet"), max_length=200)
    preheader = models.CharField(_("texte d’aperçu"), max_length=200, blank=True)
    template = models.CharField(
        _("modèle"), max_length=20, choices=CampaignTemplate.choices, default="panache"
    )
    purpose = models.ForeignKey(
        "contacts.ConsentPurpose",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("finalité"),
    )
    segment = models.ForeignKey(
        Segment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("segment"),
    )
    blocks = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    scheduled_at = models.DateTimeField(_("envoi programmé le"), null=True, blank=True)
    send_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    sent_html = models.TextField(blank=True)
    sent_text = models.TextField(blank=True)
    recipients_count = models.PositiveIntegerField(_("destinataires"), default=0)
    archived = models.BooleanField(_("publiée dans les archives"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("campagne")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("mailing:campaign", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED)

    @property
    def list_id(self) -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "placette.local"
        return f"{self.purpose.code}.{domain}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("à envoyer")
    QUEUED = "queued", _("remis à la file d’envoi")
    SKIPPED = "skipped", _("écarté")


class Delivery(models.Model):
    """One recipient of one campaign, frozen when it is sent: at most one row per address
    (unique), one email per row (its `OutgoingMessage` key derives from the row), so a send
    resumed after a killed worker never mails anyone twice."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    email = models.EmailField()
    email_normalized = models.CharField(max_length=254)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    member_number = models.PositiveIntegerField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    skipped_reason = models.CharField(max_length=200, blank=True)
    message = models.OneToOneField(
        "lib.OutgoingMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_delivery",
    )
    bounced_at = models.DateTimeField(null=True, blank=True)
    complained_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("envoi à un destinataire")
        verbose_name_plural = _("envois")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "email_normalized"],
                name="delivery_one_per_address",
                violation_error_message=_("Cette adresse reçoit déjà cette campagne."),
            )
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="delivery_campaign_status")]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.email}"

    @property
    def message_key(self) -> str:
        return f"mailing.campaign:{self.campaign_id}:{self.pk}"


class CampaignImage(models.Model):
    """An image of the documents placed in a newsletter, served publicly (emails are read
    without signing in) at /lettres/images/<key>/ — only the images uploaded for campaigns."""

    document = models.OneToOneField(
        "lib.Document", on_delete=models.PROTECT, related_name="campaign_image"
    )
    key = models.CharField(max_length=64, unique=True, default=new_token)
    alt = models.CharField(_("texte alternatif"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("image de lettre")

    def __str__(self) -> str:
        return self.document.name

    def get_absolute_url(self) -> str:
        return reverse("mailing_public:image", args=[self.key])


class MailEventKind(models.TextChoices):
    HARD_BOUNCE = "hard_bounce", _("rejet définitif")
    SOFT_BOUNCE = "soft_bounce", _("rejet temporaire")
    COMPLAINT = "complaint", _("signalement comme indésirable")
    UNSUBSCRIBE = "unsubscribe", _("désinscription")


class MailEvent(models.Model):
    """A bounce or complaint reported by the relay's webhook (django-anymail, signed); the
    provider's event id makes a webhook delivered twice count once."""

    event_id = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=MailEventKind.choices)
    email = models.EmailField()
    email_normalized = models.CharField(max_length=254, db_index=True)
    at = models.DateTimeField(default=timezone.now)
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("événement de distribution")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.email}"


class ImportSource(models.TextChoices):
    MAILCHIMP = "mailchimp", "MailChimp"
    BREVO = "brevo", "Brevo (Sendinblue)"
    AIRTABLE = "airtable", "Airtable"


class ImportMapping(models.Model):
    """A remembered column mapping (file column → field), reused by name."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    source = models.CharField(_("source"), max_length=20, choices=ImportSource.choices)
    columns = models.JSONField(_("correspondance des colonnes"), default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("correspondance de colonnes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AudienceImport(models.Model):
    """One import of an audience file: its rows' report and how far it went, so a crashed
    import resumes where it stopped (same file, same source: rows already done are skipped)."""

    source = models.CharField(max_length=20, choices=ImportSource.choices)
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    purpose_code = models.CharField(max_length=50)
    mapping = models.JSONField(default=dict, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("import d’audience")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.filename}"

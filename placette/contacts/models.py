from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placette.contacts import communes
from placette.lib.refusals import Refusal
from placette.lib.text import normalize, normalize_email


class ContactKind(models.TextChoices):
    PERSON = "person", "Personne"
    ORGANISATION = "organisation", "Organisation"


class OrganisationKind(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "Intercommunalité (EPCI)"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    ESS = "ess", "Entreprise de l’ESS"
    ASSOCIATION = "association", "Association"
    FOUNDATION = "foundation", "Fondation"
    BANK = "bank", "Banque"
    PUBLIC_FUNDER = "public_funder", "Financeur public"
    COMPANY = "company", "Entreprise"
    OTHER = "other", "Autre organisation"


LOCAL_AUTHORITY_KINDS = {
    OrganisationKind.COMMUNE,
    OrganisationKind.EPCI,
    OrganisationKind.DEPARTEMENT,
    OrganisationKind.REGION,
}


class Tag(models.Model):
    name = models.CharField("nom", max_length=60, unique=True)

    class Meta:
        verbose_name = "étiquette"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactQuerySet(models.QuerySet["Contact"]):
    def search(self, text: str) -> ContactQuerySet:
        """Every word must appear in the name, email, commune or organisations of the contact."""
        queryset = self
        for word in normalize(text).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def local_authorities(self) -> ContactQuerySet:
        return self.filter(org_kind__in=LOCAL_AUTHORITY_KINDS)


class Contact(models.Model):
    """A person or an organisation: the hub every area of Placette points to."""

    kind = models.CharField("type", max_length=20, choices=ContactKind.choices)
    first_name = models.CharField("prénom", max_length=100, blank=True)
    last_name = models.CharField("nom", max_length=100, blank=True)
    organisation_name = models.CharField("raison sociale", max_length=200, blank=True)
    org_kind = models.CharField(
        "type d’organisation", max_length=20, choices=OrganisationKind.choices, blank=True
    )
    siren = models.CharField("SIREN", max_length=9, blank=True)
    email = models.EmailField("e-mail", blank=True)
    email_normalized = models.CharField(max_length=254, blank=True, db_index=True, editable=False)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    website = models.URLField("site web", blank=True)
    address_line1 = models.CharField("adresse", max_length=200, blank=True)
    address_line2 = models.CharField("complément d’adresse", max_length=200, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    # Resolved from the official COG: never typed by hand.
    commune_code = models.CharField("code INSEE", max_length=5, blank=True, db_index=True)
    commune_name = models.CharField("commune", max_length=100, blank=True, editable=False)
    department_code = models.CharField(
        "département", max_length=3, blank=True, db_index=True, editable=False
    )
    region_code = models.CharField("région", max_length=2, blank=True, editable=False)
    tags = models.ManyToManyField(
        Tag, verbose_name="étiquettes", blank=True, related_name="contacts"
    )
    display_name = models.CharField("nom", max_length=250, editable=False, db_index=True)
    name_key = models.CharField(max_length=250, editable=False, db_index=True)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = "contact"
        ordering = ["name_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="person", organisation_name="", org_kind="")
                | Q(kind="organisation", first_name="", last_name=""),
                name="contact_kind_fields_consistent",
                violation_error_message=_(
                    "Une personne n’a ni raison sociale ni type d’organisation, une organisation "
                    "n’a ni prénom ni nom : videz les champs de l’autre type de fiche."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(display_name=""),
                name="contact_has_a_name",
                violation_error_message=_(
                    "Une fiche doit avoir un nom (nom de la personne ou raison sociale)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("contacts:detail", args=[self.pk])

    @property
    def is_person(self) -> bool:
        return self.kind == ContactKind.PERSON

    @property
    def is_local_authority(self) -> bool:
        return self.org_kind in LOCAL_AUTHORITY_KINDS

    @property
    def mail_to(self) -> str:
        """The one address we write to about this contact (placette.lib.mail): its own, else,
        for an organisation, that of the first person attached to it who has one (the
        representative who subscribed for it comes first); "" when there is none."""
        if self.email or self.is_person or not self.pk:
            return self.email
        return (
            Contact.objects.filter(affiliations__organisation=self)
            .exclude(email="")
            .order_by("affiliations__id")
            .values_list("email", flat=True)
            .first()
            or ""
        )

    @property
    def commune(self) -> communes.Commune | None:
        return communes.commune_get(self.commune_code)

    @property
    def department_name(self) -> str:
        return communes.departments().get(self.department_code, "")

    def refresh_derived(self, organisation_names: list[str] | None = None) -> None:
        """Recompute the stored copies used for display, search and duplicate detection."""
        if self.kind == ContactKind.PERSON:
            self.display_name = f"{self.first_name} {self.last_name.upper()}".strip()
        else:
            self.display_name = self.organisation_name.strip()
        self.name_key = normalize(
            f"{self.last_name} {self.first_name}" if self.is_person else self.organisation_name
        )
        self.email_normalized = normalize_email(self.email)
        commune = communes.commune_get(self.commune_code)
        self.commune_name = commune.name if commune else ""
        self.department_code = commune.department if commune else ""
        self.region_code = commune.region if commune else ""
        if organisation_names is None:
            organisation_names = (
                list(self.affiliations.values_list("organisation__display_name", flat=True))
                if self.pk and self.is_person
                else []
            )
        self.search_text = normalize(
            " ".join(
                [
                    self.display_name,
                    self.email_normalized,
                    self.postcode,
                    self.commune_name,
                    self.phone.replace(" ", ""),
                    *organisation_names,
                ]
            )
        )


class Affiliation(models.Model):
    """A person's link to an organisation, with a role (« maire », « gérante »…)."""

    person = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="affiliations", verbose_name="personne"
    )
    organisation = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="people", verbose_name="organisation"
    )
    role = models.CharField("fonction", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rattachement"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"],
                name="affiliation_unique",
                violation_error_message=_(
                    "Cette personne est déjà rattachée à cette organisation."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(person=models.F("organisation")),
                name="affiliation_not_self",
                violation_error_message=_("Une fiche ne peut pas être rattachée à elle-même."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.role or 'membre'} — {self.organisation}"


class TimelineKind(models.TextChoices):
    NOTE = "note", "Note"
    CALL = "call", "Appel"
    MEETING = "meeting", "Rendez-vous"
    EMAIL = "email", "E-mail"
    CREATED = "created", "Création"
    UPDATED = "updated", "Modification"
    MERGED = "merged", "Fusion"
    IMPORTED = "imported", "Import"
    SUBSCRIPTION = "subscription", "Souscription"
    VOTE = "vote", "Vote"
    EVENT = "event", "Événement"
    CONSENT = "consent", _("Consentement")
    OTHER = "other", "Autre"


class TimelineEntry(models.Model):
    """One event in a contact's history; every area appends here through `timeline_append`."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField("date", db_index=True)
    kind = models.CharField("type", max_length=20, choices=TimelineKind.choices)
    title = models.CharField("titre", max_length=200)
    body = models.TextField("détail", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    area = models.CharField("domaine", max_length=30, default="contacts")
    link = models.CharField("lien", max_length=300, blank=True)

    class Meta:
        verbose_name = "événement de l’historique"
        verbose_name_plural = "historique"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["contact", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y} {self.title}"


# --------------------------------------------------------------------------------------------
# Consent ledger: who agreed to what, when, through which words (GDPR art. 7(1))
# --------------------------------------------------------------------------------------------


class ConsentPurpose(models.Model):
    """One thing a contact may agree to (electronic AG convocation, a newsletter…): data, not
    code. Its texts are what forms show; each record keeps the exact words it was given with,
    so changing a text (with a new `version`) never rewrites an earlier proof."""

    AG_CONVOCATION = "ag-convocation-email"
    """Code of the purpose read when convening a general assembly (R225-63)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("finalité"), max_length=120)
    description = models.TextField(_("ce que couvre l’accord"), blank=True)
    consent_text = models.TextField(_("texte de l’accord"))
    withdrawal_text = models.TextField(_("texte du retrait"))
    version = models.CharField(_("version des textes"), max_length=30)
    needs_email = models.BooleanField(
        _("demande une adresse e-mail"),
        default=True,
        help_text=_("L’accord ne peut être donné que par un contact qui a une adresse e-mail."),
    )
    member_can_change = models.BooleanField(_("modifiable dans l’espace personnel"), default=True)
    active = models.BooleanField(_("proposée"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("finalité de consentement")
        verbose_name_plural = _("finalités de consentement")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return str(self.label)

    def text_for(self, given: bool) -> str:
        """The words shown to give (`given`) or withdraw the consent."""
        return self.consent_text if given else self.withdrawal_text


class ConsentSource(models.TextChoices):
    WEB_FORM = "web_form", _("formulaire en ligne")
    PORTAL = "portal", _("espace personnel")
    STAFF = "staff", _("saisie par l’équipe (accord écrit reçu)")
    IMPORT = "import", _("import")
    UNSUBSCRIBE = "unsubscribe", _("désinscription en un clic")
    OTHER = "other", _("autre (voir la précision)")


CONSENT_IMMUTABLE_MESSAGE = _(
    "Le registre des consentements est en ajout seul : un accord ou un retrait enregistré ne "
    "se modifie pas et ne se supprime pas (enregistrez un nouvel accord ou un retrait)."
)


class ConsentRecordQuerySet(models.QuerySet["ConsentRecord"]):
    def update(self, **kwargs):
        # Only a contact merge may move records onto the surviving record of the same person.
        if set(kwargs) - {"contact", "contact_id"}:
            raise Refusal(str(CONSENT_IMMUTABLE_MESSAGE), code="append_only")
        return super().update(**kwargs)

    def delete(self):
        raise Refusal(str(CONSENT_IMMUTABLE_MESSAGE), code="append_only")

    def at_or_before(self, moment: dt.datetime) -> ConsentRecordQuerySet:
        return self.filter(at__lte=moment)


class ConsentRecord(models.Model):
    """One act of consent or withdrawal (append-only): enough to prove it (GDPR art. 7(1)) —
    when, through which channel, which words and form version, from which address and browser
    for a web form, and who typed it in for a paper one."""

    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="consents", verbose_name=_("contact")
    )
    purpose = models.ForeignKey(
        ConsentPurpose,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("finalité"),
    )
    given = models.BooleanField(_("accord donné"))
    at = models.DateTimeField(_("date de l’accord ou du retrait"), default=timezone.now)
    source = models.CharField(_("origine"), max_length=20, choices=ConsentSource.choices)
    source_detail = models.CharField(_("précision sur l’origine"), max_length=200, blank=True)
    version = models.CharField(_("version du formulaire"), max_length=30, blank=True)
    text = models.TextField(_("texte présenté"))
    email = models.EmailField(_("adresse e-mail concernée"), blank=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=400, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    objects = ConsentRecordQuerySet.as_manager()

    # Not stored: True on the record `consent_set` has just written, False on the one in force
    # it returned unchanged.
    is_new = False

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("registre des consentements")
        ordering = ["-at", "-id"]
        indexes = [
            # consent_of (one contact), consent_givers (one purpose) and the "newer record"
            # probe all read this index.
            models.Index(fields=["purpose", "contact", "at"], name="consent_purpose_contact_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(at__lte=models.F("recorded_at")),
                name="consent_not_after_recording",
                violation_error_message=_(
                    "Un consentement ne peut pas être daté après le moment où il est enregistré."
                ),
            ),
        ]

    def __str__(self) -> str:
        state = _("accord") if self.given else _("retrait")
        return f"{self.contact_id} · {self.purpose_id} · {state} ({self.at:%d/%m/%Y})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise Refusal(str(CONSENT_IMMUTABLE_MESSAGE), code="append_only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Refusal(str(CONSENT_IMMUTABLE_MESSAGE), code="append_only")

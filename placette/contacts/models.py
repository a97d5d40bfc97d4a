from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from placette.contacts import communes
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
    def search(self, text: str) -> "ContactQuerySet":
        """Every word must appear in the name, email, commune or organisations of the contact."""
        queryset = self
        for word in normalize(text).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def local_authorities(self) -> "ContactQuerySet":
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
            ),
            models.CheckConstraint(condition=~Q(display_name=""), name="contact_has_a_name"),
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
            models.UniqueConstraint(fields=["person", "organisation"], name="affiliation_unique"),
            models.CheckConstraint(
                condition=~Q(person=models.F("organisation")), name="affiliation_not_self"
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

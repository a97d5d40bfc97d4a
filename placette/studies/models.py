"""Studies and coaching sold to local authorities: requests, mission templates, quotes (with
versions), missions (team, phases, milestones, workshops, deliverables, time spent), invoicing
schedule, invoices and credit notes, payments. Writes go through `services.py`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placette.lib.money import ZERO
from placette.lib.refusals import Refusal
from placette.lib.sums import decimal_exact


class _DecimalOptions(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: _DecimalOptions = {"max_digits": 12, "decimal_places": 2}
DAYS: _DecimalOptions = {"max_digits": 6, "decimal_places": 1}


class StudiesSettings(models.Model):
    """The seller's legal identity printed on quotes and invoices, the invoicing rules and the
    yearly targets; one row (pk = 1), edited by the staff admins."""

    seller_name = models.CharField(_("raison sociale"), max_length=200, default="Placette SCIC")
    seller_legal_form = models.CharField(
        _("forme juridique et capital"),
        max_length=200,
        default="SCIC SAS à capital variable",
    )
    seller_address = models.CharField(
        _("adresse du siège"), max_length=300, default="1 place de la Mairie"
    )
    seller_postcode = models.CharField(_("code postal"), max_length=10, default="26150")
    seller_city = models.CharField(_("commune"), max_length=100, default="Die")
    seller_siren = models.CharField(_("SIREN"), max_length=9, default="000000000")
    seller_siret = models.CharField(_("SIRET du siège"), max_length=14, default="00000000000000")
    seller_vat_number = models.CharField(
        _("n° de TVA intracommunautaire"), max_length=20, blank=True, default="FR00000000000"
    )
    seller_rcs = models.CharField(_("immatriculation (RCS)"), max_length=100, blank=True)
    seller_email = models.EmailField(_("e-mail de facturation"), blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    vat_rate = models.DecimalField(
        _("taux de TVA par défaut (%)"), max_digits=5, decimal_places=2, default=Decimal(20)
    )
    vat_exemption = models.CharField(
        _("mention d’exonération de TVA (si taux 0 %)"),
        max_length=200,
        blank=True,
        default="TVA non applicable, art. 293 B du CGI",
    )
    payment_days = models.PositiveSmallIntegerField(_("délai de paiement (jours)"), default=30)
    # Code de commerce L441-10 (to verify): at least three times the legal interest rate.
    late_penalty = models.CharField(
        _("pénalités de retard"),
        max_length=300,
        default="trois fois le taux d’intérêt légal en vigueur",
    )
    # Code de commerce D441-5: 40 € for a professional debtor.
    recovery_indemnity = models.DecimalField(
        _("indemnité forfaitaire de recouvrement (€)"), **MONEY, default=Decimal(40)
    )
    quote_validity_days = models.PositiveSmallIntegerField(
        _("validité des devis (jours)"), default=90
    )
    revenue_target = models.DecimalField(
        _("objectif de chiffre d’affaires annuel (€ HT)"), **MONEY, default=Decimal(120_000)
    )
    days_target = models.PositiveIntegerField(_("objectif de jours vendus par an"), default=150)
    weekly_capacity_days = models.DecimalField(
        _("capacité par personne et par semaine (jours)"), **DAYS, default=Decimal(3)
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réglages des études")
        verbose_name_plural = _("réglages des études")
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1),
                name="studies_settings_singleton",
                violation_error_message=_("Un seul réglage des études."),
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0) & Q(vat_rate__lte=100),
                name="studies_settings_vat_rate",
                violation_error_message=_("Le taux de TVA est entre 0 et 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Réglages des études"))

    @classmethod
    def get(cls) -> StudiesSettings:
        """The settings row, or its unsaved defaults (reading never writes)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def seller(self) -> dict[str, str]:
        """The seller as printed on a document (kept with each invoice: a later change of the
        settings never changes an issued invoice)."""
        return {
            "name": self.seller_name,
            "legal_form": self.seller_legal_form,
            "address": self.seller_address,
            "postcode": self.seller_postcode,
            "city": self.seller_city,
            "siren": self.seller_siren,
            "siret": self.seller_siret,
            "vat_number": self.seller_vat_number,
            "rcs": self.seller_rcs,
            "email": self.seller_email,
            "iban": self.iban,
            "bic": self.bic,
            "late_penalty": self.late_penalty,
            "recovery_indemnity": f"{self.recovery_indemnity:f}",
        }


class Counter(models.Model):
    """The last number given in a series and year (quotes, missions, invoices, credit notes):
    read and incremented under a row lock, so numbers follow each other without gaps."""

    series = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)
    last_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year"],
                name="studies_counter_unique",
                violation_error_message=_("Un seul compteur par série et par année."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last}"


class StudyRole(models.Model):
    """A role sold in quotes, with its default daily rate (« chargé·e d’études » 650 €)."""

    name = models.CharField(_("rôle"), max_length=100, unique=True)
    daily_rate = models.DecimalField(_("prix de journée (€ HT)"), **MONEY)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("rôle")
        constraints = [
            models.CheckConstraint(
                condition=Q(daily_rate__gte=0),
                name="studies_role_rate_positive",
                violation_error_message=_("Un prix de journée ne peut pas être négatif."),
            )
        ]

    def __str__(self) -> str:
        return self.name


# -- requests ---------------------------------------------------------------------------------


class RequestSource(models.TextChoices):
    DIRECT = "direct", _("Sollicitation directe")
    TENDER = "tender", _("Appel d’offres / marché public")
    NETWORK = "network", _("Réseau, partenaire")
    EVENT = "event", _("Rencontre, événement")
    WEBSITE = "website", _("Site internet")
    OTHER = "other", _("Autre")


class RequestStatus(models.TextChoices):
    NEW = "new", _("Nouvelle")
    QUALIFIED = "qualified", _("Qualifiée")
    QUOTE_SENT = "quote_sent", _("Devis envoyé")
    WON = "won", _("Gagnée")
    LOST = "lost", _("Perdue")
    DROPPED = "dropped", _("Abandonnée")


CLOSED_REQUEST = {RequestStatus.WON, RequestStatus.LOST, RequestStatus.DROPPED}


class StudyRequest(models.Model):
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("demandeur"),
        on_delete=models.PROTECT,
        related_name="study_requests",
    )
    title = models.CharField(_("objet"), max_length=200)
    need = models.TextField(_("besoin exprimé"), blank=True)
    territory = models.CharField(_("territoire"), max_length=200, blank=True)
    department_code = models.CharField(_("département"), max_length=3, blank=True)
    source = models.CharField(
        _("origine"), max_length=20, choices=RequestSource.choices, default=RequestSource.DIRECT
    )
    received_on = models.DateField(_("reçue le"))
    deadline = models.DateField(_("échéance de réponse"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    status_reason = models.CharField(_("motif"), max_length=300, blank=True)
    status_on = models.DateField(_("statut depuis le"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chargé·e d’études"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("demande")
        indexes = [models.Index(fields=["status", "received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["lost", "dropped"]) | ~Q(status_reason=""),
                name="studies_request_reason",
                violation_error_message=_(
                    "Une demande perdue ou abandonnée doit en donner le motif."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("studies:request", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_REQUEST


# -- mission templates ------------------------------------------------------------------------


class MissionTemplate(models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("proposée"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mission type")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("studies:template", args=[self.pk])


class TemplatePhase(models.Model):
    template = models.ForeignKey(MissionTemplate, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    name = models.CharField(_("phase"), max_length=200)
    description = models.TextField(_("contenu"), blank=True)
    deliverables = models.TextField(_("livrables (un par ligne)"), blank=True)

    class Meta:
        ordering = ["template", "position", "id"]

    def __str__(self) -> str:
        return self.name


class TemplateDays(models.Model):
    phase = models.ForeignKey(TemplatePhase, on_delete=models.CASCADE, related_name="days")
    role = models.ForeignKey(StudyRole, on_delete=models.PROTECT, related_name="+")
    days = models.DecimalField(_("jours"), **DAYS)

    class Meta:
        ordering = ["phase", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gt=0),
                name="studies_template_days_positive",
                violation_error_message=_("Le nombre de jours doit être supérieur à zéro."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} × {self.days}"


# -- quotes -----------------------------------------------------------------------------------


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SENT = "sent", _("Envoyé")
    ACCEPTED = "accepted", _("Accepté")
    REFUSED = "refused", _("Refusé")
    EXPIRED = "expired", _("Expiré")
    SUPERSEDED = "superseded", _("Remplacé par une version suivante")


class QuoteQuerySet(models.QuerySet["Quote"]):
    def expired_on(self, day: dt.date) -> QuoteQuerySet:
        """Sent quotes whose validity is over at `day` (shown as « expiré »)."""
        return self.filter(status=QuoteStatus.SENT, valid_until__lt=day)


class Quote(models.Model):
    """One version of a quote. A sent quote is never edited: a change is a new version (the
    former one is « remplacé »), under the same number."""

    request = models.ForeignKey(
        StudyRequest, verbose_name=_("demande"), on_delete=models.PROTECT, related_name="quotes"
    )
    client = models.ForeignKey(
        "contacts.Contact", verbose_name=_("client"), on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(
        MissionTemplate,
        verbose_name=_("mission type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("année"))
    seq = models.PositiveIntegerField(_("numéro d’ordre"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("intitulé"), max_length=200)
    introduction = models.TextField(_("contexte et méthode"), blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT
    )
    created_on = models.DateField(_("établi le"))
    sent_on = models.DateField(_("envoyé le"), null=True, blank=True)
    valid_until = models.DateField(_("valable jusqu’au"))
    decided_on = models.DateField(_("accepté ou refusé le"), null=True, blank=True)
    decision_note = models.CharField(_("motif"), max_length=300, blank=True)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2)
    vat_exemption = models.CharField(_("mention d’exonération"), max_length=200, blank=True)
    payment_terms = models.CharField(_("conditions de paiement"), max_length=300, blank=True)
    buyer_siret = models.CharField(_("SIRET de l’acheteur"), max_length=14, blank=True)
    buyer_service_code = models.CharField(
        _("code service (Chorus Pro)"), max_length=100, blank=True
    )
    buyer_commitment = models.CharField(
        _("n° d’engagement (bon de commande)"), max_length=50, blank=True
    )
    # Stored projections of the lines (recomputed by services at each change).
    total_net = models.DecimalField(_("total HT"), **MONEY, default=ZERO)
    total_vat = models.DecimalField(_("TVA"), **MONEY, default=ZERO)
    total_gross = models.DecimalField(_("total TTC"), **MONEY, default=ZERO)
    total_days = models.DecimalField(_("jours"), **DAYS, default=ZERO)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-seq", "-version"]
        verbose_name = _("devis")
        verbose_name_plural = _("devis")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "seq", "version"],
                name="studies_quote_number_unique",
                violation_error_message=_("Ce numéro de devis existe déjà."),
            ),
            models.CheckConstraint(
                condition=Q(total_net__gte=0) & Q(total_days__gte=0),
                name="studies_quote_totals_positive",
                violation_error_message=_("Les totaux d’un devis ne peuvent pas être négatifs."),
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0) & Q(vat_rate__lte=100),
                name="studies_quote_vat_rate",
                violation_error_message=_("Le taux de TVA est entre 0 et 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("studies:quote", args=[self.pk])

    @property
    def number(self) -> str:
        base = f"D-{self.year}-{self.seq:03d}"
        return f"{base} v{self.version}" if self.version > 1 else base

    def status_on(self, day: dt.date | None = None) -> str:
        """The status as read at `day`: a sent quote past its validity is expired."""
        day = day or timezone.localdate()
        if self.status == QuoteStatus.SENT and self.valid_until < day:
            return QuoteStatus.EXPIRED
        return self.status

    @property
    def status_label(self) -> str:
        return str(QuoteStatus(self.status_on()).label)

    @property
    def is_editable(self) -> bool:
        return self.status == QuoteStatus.DRAFT


class QuotePhase(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    name = models.CharField(_("phase"), max_length=200)
    description = models.TextField(_("contenu"), blank=True)
    deliverables = models.TextField(_("livrables (un par ligne)"), blank=True)

    class Meta:
        ordering = ["quote", "position", "id"]

    def __str__(self) -> str:
        return self.name

    def deliverable_list(self) -> list[str]:
        return [line.strip() for line in self.deliverables.splitlines() if line.strip()]


class LineKind(models.TextChoices):
    DAYS = "days", _("Jours d’intervention")
    EXPENSE = "expense", _("Frais")


class QuoteLine(models.Model):
    """Days of a role or of a named person at a daily rate, or an expense; an option is shown
    apart and counts only once chosen by the client at acceptance."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    phase = models.ForeignKey(
        QuotePhase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lines",
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    kind = models.CharField(_("nature"), max_length=10, choices=LineKind.choices)
    label = models.CharField(_("libellé"), max_length=200)
    role = models.ForeignKey(
        StudyRole, verbose_name=_("rôle"), null=True, blank=True, on_delete=models.PROTECT
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("intervenant·e"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField(_("jours ou quantité"), max_digits=8, decimal_places=2)
    unit_price = models.DecimalField(_("prix unitaire (€ HT)"), **MONEY)
    net = models.DecimalField(_("montant HT"), **MONEY)
    is_option = models.BooleanField(_("option"), default=False)
    option_taken = models.BooleanField(_("option retenue"), default=False)

    class Meta:
        ordering = ["quote", "phase__position", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(unit_price__gte=0) & Q(net__gte=0),
                name="studies_quote_line_positive",
                violation_error_message=_(
                    "Jours, quantités et prix d’une ligne ne peuvent pas être négatifs."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def counts(self) -> bool:
        return not self.is_option or self.option_taken


# -- missions ---------------------------------------------------------------------------------


class MissionStatus(models.TextChoices):
    OPEN = "open", _("En cours")
    CLOSED = "closed", _("Clôturée")


class Mission(models.Model):
    quote = models.OneToOneField(
        Quote, verbose_name=_("devis accepté"), on_delete=models.PROTECT, related_name="mission"
    )
    request = models.ForeignKey(StudyRequest, on_delete=models.PROTECT, related_name="missions")
    client = models.ForeignKey(
        "contacts.Contact", verbose_name=_("client"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    seq = models.PositiveIntegerField(_("numéro d’ordre"))
    title = models.CharField(_("intitulé"), max_length=200)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin prévue"))
    status = models.CharField(
        _("statut"), max_length=10, choices=MissionStatus.choices, default=MissionStatus.OPEN
    )
    closed_on = models.DateField(_("clôturée le"), null=True, blank=True)
    sold_net = models.DecimalField(_("montant vendu HT"), **MONEY)
    sold_days = models.DecimalField(_("jours vendus"), **DAYS)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("lieu ou projet de la foncière"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="study_missions",
    )
    # Projections kept by the services, in the same transaction as the rows they sum.
    invoiced_net = models.DecimalField(_("facturé HT"), **MONEY, default=ZERO)
    credited_net = models.DecimalField(_("avoirs HT"), **MONEY, default=ZERO)
    spent_half_days = models.PositiveIntegerField(_("demi-journées passées"), default=0)

    class Meta:
        ordering = ["-year", "-seq"]
        verbose_name = _("mission")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "seq"],
                name="studies_mission_number_unique",
                violation_error_message=_("Ce numéro de mission existe déjà."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="studies_mission_dates",
                violation_error_message=_("La fin de la mission ne peut précéder son début."),
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | Q(status="closed", closed_on__isnull=False),
                name="studies_mission_closed_on",
                violation_error_message=_("Une mission clôturée a une date de clôture."),
            ),
            models.CheckConstraint(
                condition=Q(invoiced_net__lte=decimal_exact(F("sold_net") + F("credited_net"))),
                name="studies_mission_not_over_invoiced",
                violation_error_message=_(
                    "Le montant facturé ne peut dépasser le montant du devis accepté."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("studies:mission", args=[self.pk])

    @property
    def number(self) -> str:
        return f"M-{self.year}-{self.seq:03d}"

    @property
    def is_closed(self) -> bool:
        return self.status == MissionStatus.CLOSED

    @property
    def remaining_net(self) -> Decimal:
        return self.sold_net - self.invoiced_net + self.credited_net

    @property
    def spent_days(self) -> Decimal:
        return Decimal(self.spent_half_days) / 2


class MissionMember(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("intervenant·e"),
        on_delete=models.PROTECT,
        related_name="study_missions",
    )
    role = models.ForeignKey(StudyRole, null=True, blank=True, on_delete=models.PROTECT)
    planned_days = models.DecimalField(_("jours prévus"), **DAYS, default=ZERO)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "user"],
                name="studies_member_unique",
                violation_error_message=_("Cette personne est déjà dans l’équipe."),
            ),
            models.CheckConstraint(
                condition=Q(planned_days__gte=0),
                name="studies_member_days_positive",
                violation_error_message=_("Le nombre de jours ne peut pas être négatif."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class MissionPhase(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    name = models.CharField(_("phase"), max_length=200)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    sold_days = models.DecimalField(_("jours vendus"), **DAYS, default=ZERO)
    sold_net = models.DecimalField(_("montant HT"), **MONEY, default=ZERO)

    class Meta:
        ordering = ["mission", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="studies_phase_dates",
                violation_error_message=_("La fin d’une phase ne peut précéder son début."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class MilestoneKind(models.TextChoices):
    MILESTONE = "milestone", _("Jalon")
    STEERING = "steering", _("Comité de pilotage")
    WORKSHOP = "workshop", _("Atelier")
    VISIT = "visit", _("Visite de terrain")


class Milestone(models.Model):
    """A dated moment of the mission: a milestone, a steering committee, a workshop or a field
    visit (date, place, participants)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="milestones")
    phase = models.ForeignKey(
        MissionPhase, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    kind = models.CharField(_("type"), max_length=20, choices=MilestoneKind.choices)
    name = models.CharField(_("intitulé"), max_length=200)
    on = models.DateField(_("date"))
    location = models.CharField(_("lieu"), max_length=200, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    done = models.BooleanField(_("réalisé"), default=False)

    class Meta:
        ordering = ["mission", "on", "id"]

    def __str__(self) -> str:
        return self.name


class Deliverable(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="deliverables")
    phase = models.ForeignKey(
        MissionPhase, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliverables"
    )
    name = models.CharField(_("livrable"), max_length=200)
    due_on = models.DateField(_("attendu le"))
    delivered_on = models.DateField(_("remis le"), null=True, blank=True)
    document = models.ForeignKey(
        "lib.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["mission", "due_on", "id"]

    def __str__(self) -> str:
        return self.name


class TimeEntry(models.Model):
    """Time spent by one person on one day, in half-days (1 or 2)."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="time_entries")
    phase = models.ForeignKey(
        MissionPhase, null=True, blank=True, on_delete=models.PROTECT, related_name="time_entries"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("intervenant·e"),
        on_delete=models.PROTECT,
        related_name="study_time",
    )
    on = models.DateField(_("date"))
    half_days = models.PositiveSmallIntegerField(_("demi-journées"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["staff", "on"]), models.Index(fields=["on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(half_days__gte=1) & Q(half_days__lte=2),
                name="studies_time_half_days",
                violation_error_message=_("Une saisie compte une ou deux demi-journées."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.on} {self.half_days}/2"

    @property
    def days(self) -> Decimal:
        return Decimal(self.half_days) / 2


class ScheduleItem(models.Model):
    """One planned invoice of the mission (deposit, milestone, balance), as a share of the
    sold amount; `invoice` once it is invoiced."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="schedule")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("échéance"), max_length=200)
    percent = models.DecimalField(_("part du montant (%)"), max_digits=5, decimal_places=2)
    planned_on = models.DateField(_("prévue le"))
    invoice = models.OneToOneField(
        "Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="schedule_item"
    )

    class Meta:
        ordering = ["mission", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gt=0) & Q(percent__lte=100),
                name="studies_schedule_percent",
                violation_error_message=_("Une échéance est une part entre 0 et 100 %."),
            )
        ]

    def __str__(self) -> str:
        return self.label


# -- invoices ---------------------------------------------------------------------------------


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Facture")
    CREDIT_NOTE = "credit_note", _("Avoir")


SERIES = {InvoiceKind.INVOICE: "F", InvoiceKind.CREDIT_NOTE: "A"}


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    def delete(self):  # type: ignore[override]
        raise Refusal(
            _("Une facture émise ne se supprime pas : émettez un avoir."), code="append_only"
        )

    def invoices(self) -> InvoiceQuerySet:
        return self.filter(kind=InvoiceKind.INVOICE)

    def unpaid(self) -> InvoiceQuerySet:
        return self.invoices().filter(
            paid_amount__lt=decimal_exact(F("total_gross") - F("credited_gross"))
        )

    def overdue_on(self, day: dt.date) -> InvoiceQuerySet:
        return self.unpaid().filter(due_on__lt=day)


class Invoice(models.Model):
    """An issued invoice or credit note: numbered without gaps in its series and year, never
    edited nor deleted (a correction is a credit note). Buyer and seller as printed are kept."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(_("type"), max_length=12, choices=InvoiceKind.choices)
    series = models.CharField(_("série"), max_length=10)
    year = models.PositiveSmallIntegerField(_("année"))
    seq = models.PositiveIntegerField(_("numéro d’ordre"))
    number = models.CharField(_("numéro"), max_length=30, unique=True)
    issued_on = models.DateField(_("date d’émission"))
    due_on = models.DateField(_("date d’échéance"))
    label = models.CharField(_("objet"), max_length=200)
    credited_invoice = models.ForeignKey(
        "self",
        verbose_name=_("facture concernée"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2)
    vat_exemption = models.CharField(_("mention d’exonération"), max_length=200, blank=True)
    total_net = models.DecimalField(_("total HT"), **MONEY)
    total_vat = models.DecimalField(_("TVA"), **MONEY)
    total_gross = models.DecimalField(_("total TTC"), **MONEY)
    # Kept by the services: payments received, and credit notes issued against this invoice.
    paid_amount = models.DecimalField(_("payé"), **MONEY, default=ZERO)
    credited_gross = models.DecimalField(_("avoirs TTC"), **MONEY, default=ZERO)
    payment_terms = models.CharField(_("conditions de paiement"), max_length=300)
    buyer_name = models.CharField(_("client"), max_length=250)
    buyer_address = models.CharField(_("adresse du client"), max_length=400, blank=True)
    buyer_postcode = models.CharField(max_length=10, blank=True)
    buyer_city = models.CharField(max_length=100, blank=True)
    buyer_siren = models.CharField(_("SIREN du client"), max_length=9, blank=True)
    buyer_siret = models.CharField(_("SIRET de l’acheteur"), max_length=14, blank=True)
    buyer_service_code = models.CharField(_("code service"), max_length=100, blank=True)
    buyer_commitment = models.CharField(_("n° d’engagement"), max_length=50, blank=True)
    buyer_is_public = models.BooleanField(_("acheteur public"), default=False)
    seller = models.JSONField(_("vendeur"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-year", "-seq"]
        verbose_name = _("facture")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "seq"],
                name="studies_invoice_seq_unique",
                violation_error_message=_("Ce numéro de facture existe déjà."),
            ),
            models.CheckConstraint(
                condition=Q(total_net__gt=0)
                & Q(total_vat__gte=0)
                & Q(total_gross=decimal_exact(F("total_net") + F("total_vat"))),
                name="studies_invoice_totals",
                violation_error_message=_(
                    "Le total TTC d’une facture est son total HT plus la TVA, et il est positif."
                ),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("issued_on")),
                name="studies_invoice_due_after_issue",
                violation_error_message=_("L’échéance ne peut précéder la date d’émission."),
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0)
                & Q(paid_amount__lte=decimal_exact(F("total_gross") - F("credited_gross"))),
                name="studies_invoice_not_overpaid",
                violation_error_message=_("Le montant payé dépasse le reste dû de la facture."),
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", credited_invoice__isnull=True)
                | Q(kind="credit_note", credited_invoice__isnull=False),
                name="studies_credit_note_refers",
                violation_error_message=_("Un avoir porte sur une facture."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("studies:invoice", args=[self.pk])

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise Refusal(
            _("Une facture émise ne se supprime pas : émettez un avoir."), code="append_only"
        )

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def balance(self) -> Decimal:
        """What the client still owes on this invoice (TTC)."""
        if self.is_credit_note:
            return ZERO
        return self.total_gross - self.credited_gross - self.paid_amount

    def payment_state(self, day: dt.date | None = None) -> str:
        day = day or timezone.localdate()
        if self.is_credit_note:
            return str(_("avoir"))
        if self.balance <= 0:
            return str(_("payée"))
        if self.due_on < day:
            return str(_("en retard"))
        if self.paid_amount > 0:
            return str(_("partiellement payée"))
        return str(_("à payer"))

    @property
    def is_paid(self) -> bool:
        return not self.is_credit_note and self.balance <= 0


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("libellé"), max_length=200)
    quantity = models.DecimalField(_("quantité"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("unité"), max_length=10, default="C62")  # UN/ECE rec 20: unit
    unit_price = models.DecimalField(_("prix unitaire HT"), **MONEY)
    net = models.DecimalField(_("montant HT"), **MONEY)

    class Meta:
        ordering = ["invoice", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(unit_price__gte=0) & Q(net__gte=0),
                name="studies_invoice_line_positive",
                violation_error_message=_(
                    "Quantité et prix d’une ligne de facture ne peuvent pas être négatifs."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.label


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    received_on = models.DateField(_("reçu le"))
    amount = models.DecimalField(_("montant"), **MONEY)
    reference = models.CharField(_("référence"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["invoice", "received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="studies_payment_positive",
                violation_error_message=_("Un paiement est un montant positif."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount}"

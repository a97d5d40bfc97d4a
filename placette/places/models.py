"""Places (lieux), their property operation, financing, installed activities, leases and rents."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from placette.contacts import communes
from placette.lib.money import euros, number
from placette.lib.sums import MoneyOutput, decimal_exact, decimal_sum

ZERO = Decimal("0")


def money(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=14, decimal_places=2, **kwargs)


def area(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=10, decimal_places=2, default=ZERO)


class PlaceKind(models.TextChoices):
    CAFE = "cafe", "Café"
    GROCERY = "epicerie", "Épicerie"
    MULTI = "multi_commerce", "Multi-commerce"
    BAKERY = "boulangerie", "Boulangerie"
    THIRD_PLACE = "tiers_lieu", "Tiers-lieu"
    WASTELAND = "friche", "Friche industrielle"
    STATION = "gare_poste", "Ancienne gare / poste"
    OTHER = "autre", "Autre"


class PlaceStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    STUDY = "study", "Étude"
    ACQUISITION = "acquisition", "Acquisition"
    WORKS = "works", "Travaux"
    OPEN = "open", "Ouvert"
    SOLD = "sold", "Vendu"


STATUS_ORDER = [s.value for s in PlaceStatus]


class PlacesSettings(models.Model):
    """The network goal (statutes setting, editable by staff admins); one row, pk = 1."""

    network_goal = models.PositiveIntegerField("objectif de lieux du réseau", default=50)
    goal_year = models.PositiveIntegerField("année de l’objectif", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réglages des lieux"
        verbose_name_plural = "réglages des lieux"
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1),
                name="places_settings_singleton",
                violation_error_message="Un seul réglage des lieux.",
            ),
            models.CheckConstraint(
                condition=Q(network_goal__gt=0),
                name="places_goal_positive",
                violation_error_message="L’objectif est un nombre de lieux positif.",
            ),
        ]

    def __str__(self) -> str:
        return f"Objectif : {self.network_goal} lieux"

    @classmethod
    def get(cls) -> "PlacesSettings":
        """The settings row, or its unsaved defaults (reading never writes; saving creates it)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class PlaceQuerySet(models.QuerySet["Place"]):
    def mapped(self) -> "PlaceQuerySet":
        return self.filter(latitude__isnull=False, longitude__isnull=False)


class Place(models.Model):
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type de lieu", max_length=20, choices=PlaceKind.choices)
    status = models.CharField(
        "étape", max_length=20, choices=PlaceStatus.choices, default=PlaceStatus.PROSPECT
    )
    address_line1 = models.CharField("adresse", max_length=200, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    # Resolved from the official COG: never typed by hand.
    commune_code = models.CharField("code INSEE", max_length=5, db_index=True)
    commune_name = models.CharField("commune", max_length=100, editable=False)
    department_code = models.CharField("département", max_length=3, db_index=True, editable=False)
    region_code = models.CharField("région", max_length=2, editable=False)
    latitude = models.DecimalField(
        "latitude", max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        "longitude", max_digits=9, decimal_places=6, null=True, blank=True
    )
    description = models.TextField("présentation", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = "lieu"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
                violation_error_message="La latitude va de -90 à 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
                violation_error_message="La longitude va de -180 à 180.",
            ),
            models.CheckConstraint(
                condition=~Q(commune_code=""),
                name="place_has_a_commune",
                violation_error_message="Choisissez la commune du lieu.",
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune_name})"

    def get_absolute_url(self) -> str:
        return reverse("places:detail", args=[self.pk])

    def refresh_derived(self) -> None:
        commune = communes.commune_get(self.commune_code)
        self.commune_name = commune.name if commune else ""
        self.department_code = commune.department if commune else ""
        self.region_code = commune.region if commune else ""

    @property
    def department_name(self) -> str:
        return communes.departments().get(self.department_code, "")

    @property
    def region_name(self) -> str:
        return communes.regions().get(self.region_code, "")


class StatusChange(models.Model):
    """One dated step of a place's pipeline and who decided it. Append-only."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField("étape", max_length=20, choices=PlaceStatus.choices)
    decided_on = models.DateField("date")
    decided_by = models.CharField(
        "décidé par",
        max_length=200,
        help_text="Ex. « Conseil d’administration du 12/03/2024 », « Comité d’investissement ».",
    )
    note = models.TextField("commentaire", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "étape du lieu"
        verbose_name_plural = "étapes des lieux"
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.place} : {self.get_status_display()} le {self.decided_on:%d/%m/%Y}"


class Operation(models.Model):
    """The property operation of a place: acquisition, works, surfaces, and the sale if any."""

    place = models.OneToOneField(Place, on_delete=models.CASCADE, related_name="operation")
    acquired_on = models.DateField("date d’acquisition", null=True, blank=True)
    price = money(verbose_name="prix d’achat (€)", default=ZERO)
    notary_fees = money(verbose_name="frais de notaire (€)", default=ZERO)
    works_budget = money(verbose_name="budget des travaux (€)", default=ZERO)
    works_cost = money(verbose_name="coût réel des travaux (€)", null=True, blank=True)
    works_started_on = models.DateField("début des travaux", null=True, blank=True)
    works_ended_on = models.DateField("fin des travaux", null=True, blank=True)
    land_area = area("surface du terrain (m²)")
    built_area = area("surface bâtie (m²)")
    renovated_area = area("surface rénovée (m²)")
    sold_on = models.DateField("date de vente", null=True, blank=True)
    sale_price = money(verbose_name="prix de vente (€)", null=True, blank=True)

    class Meta:
        verbose_name = "opération"
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0, notary_fees__gte=0, works_budget__gte=0),
                name="operation_amounts_not_negative",
                violation_error_message="Les montants de l’opération ne peuvent pas être négatifs.",
            ),
            models.CheckConstraint(
                condition=Q(works_cost__isnull=True) | Q(works_cost__gte=0),
                name="operation_works_cost_not_negative",
                violation_error_message="Le coût des travaux ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(sale_price__isnull=True) | Q(sale_price__gte=0),
                name="operation_sale_price_not_negative",
                violation_error_message="Le prix de vente ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(land_area__gte=0, built_area__gte=0, renovated_area__gte=0),
                name="operation_surfaces_not_negative",
                violation_error_message="Les surfaces ne peuvent pas être négatives.",
            ),
            models.CheckConstraint(
                condition=Q(works_started_on__isnull=True)
                | Q(works_ended_on__isnull=True)
                | Q(works_ended_on__gte=F("works_started_on")),
                name="operation_works_end_after_start",
                violation_error_message="La fin des travaux précède leur début.",
            ),
        ]

    def __str__(self) -> str:
        return f"Opération {self.place}"

    @property
    def works_amount(self) -> Decimal:
        """The actual cost once known, the budget until then."""
        return self.works_cost if self.works_cost is not None else self.works_budget

    @property
    def total_cost(self) -> Decimal:
        return self.price + self.notary_fees + self.works_amount


class FinancingSource(models.TextChoices):
    CAPITAL = "capital", "Capital citoyen"
    BDT = "bdt", "Banque des Territoires"
    BANK_LOAN = "bank_loan", "Prêt bancaire"
    FOUNDATION = "foundation", "Fondation"
    SUBSIDY = "subsidy", "Subvention"
    OTHER = "other", "Autre"


class FinancingLine(models.Model):
    """One source of the financing plan of an operation."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="financing")
    source = models.CharField("source", max_length=20, choices=FinancingSource.choices)
    funder = models.ForeignKey(
        "contacts.Contact",
        verbose_name="financeur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="place_financing",
    )
    amount = money(verbose_name="montant (€)")
    secured_on = models.DateField("date d’obtention")
    note = models.CharField("précision", max_length=200, blank=True)

    class Meta:
        verbose_name = "ligne du plan de financement"
        verbose_name_plural = "plan de financement"
        ordering = ["secured_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="financing_amount_positive",
                violation_error_message="Le montant d’une source de financement doit être positif.",
            )
        ]
        indexes = [models.Index(fields=["secured_on", "source"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} : {euros(self.amount)}"


class ActivityKind(models.TextChoices):
    CAFE = "cafe", "Café / bar associatif"
    GROCERY = "epicerie", "Épicerie"
    MULTI = "multi_commerce", "Multi-commerce"
    BAKERY = "boulangerie", "Boulangerie"
    RESTAURANT = "restaurant", "Restaurant"
    THIRD_PLACE = "tiers_lieu", "Tiers-lieu"
    WORKSHOP = "atelier", "Atelier / artisanat"
    SERVICES = "services", "Services / santé"
    OTHER = "autre", "Autre"


class ActivityQuerySet(models.QuerySet["Activity"]):
    def open_on(self, day: dt.date) -> "ActivityQuerySet":
        return self.filter(opened_on__lte=day).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=day)
        )


class Activity(models.Model):
    """An activity installed in a place; successive tenants are successive activities."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="activities")
    tenant = models.ForeignKey(
        "contacts.Contact",
        verbose_name="structure locataire",
        on_delete=models.PROTECT,
        related_name="installed_activities",
    )
    name = models.CharField("nom de l’activité", max_length=200)
    kind = models.CharField("type d’activité", max_length=20, choices=ActivityKind.choices)
    opened_on = models.DateField("date d’ouverture")
    closed_on = models.DateField("date de fermeture", null=True, blank=True)
    jobs_fte = models.DecimalField("emplois (ETP)", max_digits=6, decimal_places=2, default=ZERO)
    opening_hours = models.CharField("horaires d’ouverture", max_length=300, blank=True)
    contact_person = models.ForeignKey(
        "contacts.Contact",
        verbose_name="personne référente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "activité installée"
        verbose_name_plural = "activités installées"
        ordering = ["-opened_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(jobs_fte__gte=0),
                name="activity_jobs_not_negative",
                violation_error_message="Le nombre d’emplois ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="activity_closes_after_opening",
                violation_error_message="La fermeture précède l’ouverture.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day: dt.date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or self.closed_on > day)


class IndexKind(models.TextChoices):
    ILC = "ILC", "ILC — indice des loyers commerciaux"
    ILAT = "ILAT", "ILAT — indice des loyers des activités tertiaires"
    ICC = "ICC", "ICC — indice du coût de la construction"


class IndexValue(models.Model):
    """A quarterly value of an INSEE index, entered or imported by staff."""

    kind = models.CharField("indice", max_length=4, choices=IndexKind.choices)
    year = models.PositiveIntegerField("année")
    quarter = models.PositiveSmallIntegerField("trimestre")
    value = models.DecimalField("valeur", max_digits=9, decimal_places=2)
    published_on = models.DateField("publié au JO le", null=True, blank=True)

    class Meta:
        verbose_name = "valeur d’indice"
        verbose_name_plural = "valeurs d’indices"
        ordering = ["kind", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "quarter"],
                name="index_value_unique",
                violation_error_message="Une valeur existe déjà pour cet indice et ce trimestre.",
            ),
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="index_value_positive",
                violation_error_message="La valeur d’un indice est strictement positive.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="index_quarter_1_to_4",
                violation_error_message="Le trimestre va de 1 à 4.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} T{self.quarter} {self.year} : {self.value}"


def quarter_label(kind: str, year: int, quarter: int) -> str:
    nth = "1er" if quarter == 1 else f"{quarter}e"
    return f"{kind} du {nth} trimestre {year}"


class LeaseKind(models.TextChoices):
    COMMERCIAL = "commercial", "Bail commercial (3-6-9)"
    PROFESSIONAL = "professional", "Bail professionnel"
    TEMPORARY = "temporary", "Bail dérogatoire / convention d’occupation temporaire"


class LeaseQuerySet(models.QuerySet["Lease"]):
    def in_force_on(self, day: dt.date) -> "LeaseQuerySet":
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class Lease(models.Model):
    """A lease of an installed activity. Rents are monthly, excluding tax; indexation is yearly
    on the anniversary of `starts_on` (see `indexation.py`)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="leases")
    kind = models.CharField("type de bail", max_length=20, choices=LeaseKind.choices)
    starts_on = models.DateField("date d’effet")
    ends_on = models.DateField("date de fin")
    initial_rent = money(verbose_name="loyer mensuel initial HT (€)")
    current_rent = money(verbose_name="loyer mensuel en vigueur HT (€)", editable=False)
    charges = money(verbose_name="provision mensuelle de charges (€)", default=ZERO)
    deposit = money(verbose_name="dépôt de garantie (€)", default=ZERO)
    index_kind = models.CharField("indice de révision", max_length=4, choices=IndexKind.choices)
    # The reference quarter: the one named in the lease, then the one of the last revision.
    index_year = models.PositiveIntegerField("année de l’indice de référence")
    index_quarter = models.PositiveSmallIntegerField("trimestre de l’indice de référence")
    signed_on = models.DateField("date de signature", null=True, blank=True)

    objects = LeaseQuerySet.as_manager()

    class Meta:
        verbose_name = "bail"
        verbose_name_plural = "baux"
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="lease_ends_after_start",
                violation_error_message="Le bail doit se terminer après sa date d’effet.",
            ),
            models.CheckConstraint(
                condition=Q(
                    initial_rent__gte=0, current_rent__gte=0, charges__gte=0, deposit__gte=0
                ),
                name="lease_amounts_not_negative",
                violation_error_message="Loyer, charges et dépôt ne peuvent pas être négatifs.",
            ),
            models.CheckConstraint(
                condition=Q(index_quarter__gte=1, index_quarter__lte=4),
                name="lease_index_quarter_1_to_4",
                violation_error_message="Le trimestre de l’indice va de 1 à 4.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.activity} (depuis le {self.starts_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("places:lease", args=[self.pk])

    @property
    def reference_label(self) -> str:
        return quarter_label(self.index_kind, self.index_year, self.index_quarter)

    @property
    def next_index_label(self) -> str:
        return quarter_label(self.index_kind, self.index_year + 1, self.index_quarter)

    def next_revision_on(self) -> dt.date:
        """The next anniversary of the start date after the last revision."""
        last = self.revisions.order_by("-effective_on").values_list("effective_on", flat=True)
        base = last.first() or self.starts_on
        return _add_years(base, 1)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class RentRevision(models.Model):
    """One yearly indexation of a lease, with the exact computation. Append-only."""

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="revisions")
    effective_on = models.DateField("date d’effet")
    previous_rent = money(verbose_name="loyer précédent (€)")
    new_rent = money(verbose_name="nouveau loyer (€)")
    index_kind = models.CharField("indice", max_length=4, choices=IndexKind.choices)
    reference_year = models.PositiveIntegerField()
    reference_quarter = models.PositiveSmallIntegerField()
    reference_value = models.DecimalField(max_digits=9, decimal_places=2)
    new_year = models.PositiveIntegerField()
    new_quarter = models.PositiveSmallIntegerField()
    new_value = models.DecimalField(max_digits=9, decimal_places=2)
    explanation = models.CharField("calcul", max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "révision de loyer"
        verbose_name_plural = "révisions de loyer"
        ordering = ["effective_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lease", "effective_on"],
                name="revision_unique_date",
                violation_error_message="Le loyer est déjà révisé à cette date.",
            ),
            models.CheckConstraint(
                condition=Q(new_rent__gte=0, previous_rent__gte=0),
                name="revision_not_negative",
                violation_error_message="Un loyer ne peut pas être négatif.",
            ),
        ]

    def __str__(self) -> str:
        return f"Révision au {self.effective_on:%d/%m/%Y} : {euros(self.new_rent)}"


class RentLineQuerySet(models.QuerySet["RentLine"]):
    def unpaid_on(self, day: dt.date) -> "RentLineQuerySet":
        """Lines due on or before `day` and not fully paid *at* `day`: only the payments dated on
        or before `day` count. Annotated with `paid_at` and `balance_at` (computed by the
        database, one correlated sum per candidate line)."""
        paid = (
            RentPayment.objects.filter(line=OuterRef("pk"), paid_on__lte=day)
            .order_by()
            .values("line")
            .annotate(total=decimal_sum("amount"))
            .values("total")
        )
        # Payments are positive and a line is never over-paid, so a line is unpaid at `day` iff
        # it is unpaid today or one of its payments is dated after `day`. The union lets the
        # first part walk the partial index of unpaid lines (an OR would scan every line).
        candidates = (
            RentLine.objects.filter(due_on__lte=day, paid_amount__lt=F("amount"))
            .order_by()
            .values("pk")
            .union(RentPayment.objects.filter(paid_on__gt=day).order_by().values("line_id"))
        )
        return self.filter(due_on__lte=day, pk__in=candidates).annotate(
            paid_at=Coalesce(Subquery(paid, output_field=MoneyOutput()), Value(ZERO)),
            # Rounded by the database: exact on SQLite too, where decimals are floats.
            balance_at=decimal_exact(F("amount") - F("paid_at")),
        )


class RentLine(models.Model):
    """One line of a lease's rent schedule (échéancier): a monthly rent and its charges."""

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="schedule")
    due_on = models.DateField("échéance", db_index=True)
    period_start = models.DateField("du")
    period_end = models.DateField("au")
    rent = money(verbose_name="loyer (€)")
    charges = money(verbose_name="charges (€)", default=ZERO)
    amount = money(verbose_name="montant dû (€)")
    # Kept equal to the sum of the payments by `payment_record` (so arrears are one indexed query).
    paid_amount = money(verbose_name="montant payé (€)", default=ZERO)

    objects = RentLineQuerySet.as_manager()

    class Meta:
        verbose_name = "échéance de loyer"
        verbose_name_plural = "échéancier"
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lease", "due_on"],
                name="rent_line_unique_due_date",
                violation_error_message="Une échéance existe déjà à cette date.",
            ),
            models.CheckConstraint(
                condition=Q(rent__gte=0, charges__gte=0, paid_amount__gte=0),
                name="rent_line_not_negative",
                violation_error_message="Les montants d’une échéance ne peuvent pas être négatifs.",
            ),
            models.CheckConstraint(
                # Rounded: on SQLite `rent + charges` is a float sum, a few 1e-13 off the cent.
                condition=Q(amount=decimal_exact(F("rent") + F("charges"))),
                name="rent_line_amount_is_sum",
                violation_error_message="Le montant dû est la somme du loyer et des charges.",
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__lte=F("amount")),
                name="rent_line_not_overpaid",
                violation_error_message="Le montant payé dépasse le montant dû.",
            ),
        ]
        indexes = [
            # The arrears: a few per cent of the lines; the list walks this index in its order.
            models.Index(
                fields=["due_on", "id"],
                condition=Q(paid_amount__lt=F("amount")),
                name="rentline_unpaid_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Échéance du {self.due_on:%d/%m/%Y} : {euros(self.amount)}"

    @property
    def balance(self) -> Decimal:
        return self.amount - self.paid_amount

    @property
    def is_paid(self) -> bool:
        return self.paid_amount >= self.amount

    def days_late(self, today: dt.date | None = None) -> int:
        return max(((today or timezone.localdate()) - self.due_on).days, 0)


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", "Virement"
    DIRECT_DEBIT = "direct_debit", "Prélèvement"
    CHEQUE = "cheque", "Chèque"
    OTHER = "other", "Autre"


class RentPayment(models.Model):
    """A payment received for one schedule line. Append-only."""

    line = models.ForeignKey(RentLine, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField("date du paiement")
    amount = money(verbose_name="montant (€)")
    method = models.CharField(
        "moyen", max_length=20, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "paiement de loyer"
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payment_amount_positive",
                violation_error_message="Le montant d’un paiement doit être positif.",
            )
        ]
        # Arrears at a past date look for the payments dated after it.
        indexes = [models.Index(fields=["paid_on"], name="rentpayment_paid_on_idx")]

    def __str__(self) -> str:
        return f"{euros(self.amount)} le {self.paid_on:%d/%m/%Y}"


class RentReminder(models.Model):
    """A reminder email for an unpaid line; at most one per line per day."""

    line = models.ForeignKey(RentLine, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField("envoyée le")
    sent_at = models.DateTimeField(auto_now_add=True)
    email = models.EmailField("destinataire")
    balance = money(verbose_name="reste dû (€)")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "relance de loyer"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "sent_on"],
                name="one_reminder_per_line_per_day",
                violation_error_message="Cette échéance est déjà relancée aujourd’hui.",
            )
        ]

    def __str__(self) -> str:
        return f"Relance du {self.sent_on:%d/%m/%Y} ({self.email})"


class DocumentKind(models.TextChoices):
    PHOTO = "photo", "Photo"
    DEED = "deed", "Acte (achat, bail…)"
    DIAGNOSTIC = "diagnostic", "Diagnostic"
    PLAN = "plan", "Plan"
    OTHER = "other", "Autre document"


class PlaceDocument(models.Model):
    """A photo or document of a place; its file is a `lib.Document` of scope "places.place"
    (readable by the holder of an activity open in the place)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("type", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("titre", max_length=200)
    document = models.OneToOneField(
        "lib.Document", verbose_name="fichier", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "document du lieu"
        ordering = ["-uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_image(self) -> bool:
        return self.document.is_image


class PlaceEvent(models.Model):
    """A free event in a place's timeline (inauguration, visit, local event…)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="events")
    happened_on = models.DateField("date")
    title = models.CharField("titre", max_length=200)
    body = models.TextField("détail", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "événement du lieu"
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return self.title


class CriteriaState(models.TextChoices):
    DRAFT = "draft", "En préparation"
    PUBLISHED = "published", "Publiée"


class CriteriaVersionQuerySet(models.QuerySet["CriteriaVersion"]):
    def published(self) -> "CriteriaVersionQuerySet":
        return self.filter(state=CriteriaState.PUBLISHED)

    def in_force(self) -> "CriteriaVersion | None":
        """The version in force: the last one published."""
        return self.published().order_by("-number").first()


class CriteriaVersion(models.Model):
    """A version of the coop's investment criteria. A new version starts as a draft copied from
    the previous one; once published (adopted by members, AG or board) it is read-only."""

    number = models.PositiveIntegerField("version", unique=True)
    state = models.CharField(
        "état", max_length=10, choices=CriteriaState.choices, default=CriteriaState.DRAFT
    )
    note = models.TextField("commentaire", blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="publiée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_on = models.DateField("adoptée le", null=True, blank=True)
    adopted_by = models.CharField(
        "adoptée par",
        max_length=200,
        blank=True,
        help_text="Ex. « Consultation des sociétaires de mai 2024 », « AG du 19/06/2021 ».",
    )
    adopted_meeting = models.ForeignKey(
        "governance.Meeting",
        verbose_name="séance qui l’a adoptée",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CriteriaVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "grille de critères d’investissement"
        verbose_name_plural = "grilles de critères d’investissement"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(state="draft"),
                name="criteria_one_draft_at_a_time",
                violation_error_message="Une version de la grille est déjà en préparation.",
            ),
            models.CheckConstraint(
                condition=Q(state="draft", published_at__isnull=True)
                | Q(state="published", published_at__isnull=False),
                name="criteria_published_is_dated",
                violation_error_message="Une version publiée porte sa date de publication.",
            ),
        ]

    def __str__(self) -> str:
        return f"Critères v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("places:criteria", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.state == CriteriaState.PUBLISHED


class Criterion(models.Model):
    version = models.ForeignKey(CriteriaVersion, on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField("critère", max_length=200)
    description = models.CharField("précision", max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField("poids", default=1)

    class Meta:
        verbose_name = "critère d’investissement"
        ordering = ["version", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "label"],
                name="criterion_unique_label",
                violation_error_message="Ce critère figure déjà dans la grille.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=10),
                name="criterion_weight_1_to_10",
                violation_error_message="Le poids d’un critère va de 1 à 10.",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ProjectScoring(models.Model):
    """An incoming project scored against the criteria version in force (0–5 per criterion);
    `total` is the weighted mean, computed by `project_score_record`."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="scorings")
    version = models.ForeignKey(CriteriaVersion, on_delete=models.PROTECT, related_name="+")
    scored_on = models.DateField("notée le")
    origin = models.CharField(
        "origine du projet", max_length=200, blank=True, help_text="Ex. mission d’étude, commune."
    )
    comment = models.TextField("commentaire", blank=True)
    total = models.DecimalField("note pondérée (sur 5)", max_digits=4, decimal_places=2)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "notation d’un projet"
        verbose_name_plural = "notations des projets"
        ordering = ["-scored_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0, total__lte=5),
                name="scoring_total_0_to_5",
                violation_error_message="La note va de 0 à 5.",
            )
        ]

    def __str__(self) -> str:
        return f"Note {number(self.total, 2)}/5 ({self.version}) le {self.scored_on:%d/%m/%Y}"


class CriterionScore(models.Model):
    scoring = models.ForeignKey(ProjectScoring, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField("note (0 à 5)")

    class Meta:
        verbose_name = "note sur un critère"
        ordering = ["criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scoring", "criterion"],
                name="criterion_scored_once",
                violation_error_message="Ce critère est déjà noté.",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=5),
                name="criterion_score_0_to_5",
                violation_error_message="Une note va de 0 à 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} : {self.score}/5"


class DecisionBody(models.TextChoices):
    COMMITTEE = "committee", "Comité d’investissement"
    BOARD = "board", "Conseil d’administration"
    AG = "ag", "Assemblée générale"


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", "Projet retenu"
    POSTPONED = "postponed", "Ajourné"
    REJECTED = "rejected", "Projet refusé"


class InvestmentDecision(models.Model):
    """The decision of the investment committee or the board on a project, with its reasons and
    the scoring the body had before it."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="decisions")
    scoring = models.ForeignKey(
        ProjectScoring,
        verbose_name="notation examinée",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    decided_on = models.DateField("date de la décision")
    body = models.CharField("instance", max_length=20, choices=DecisionBody.choices)
    decided_by = models.CharField(
        "séance", max_length=200, blank=True, help_text="Ex. « CA du 12/03/2024 »."
    )
    outcome = models.CharField("décision", max_length=20, choices=DecisionOutcome.choices)
    note = models.TextField("motifs")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "décision d’investissement"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} le {self.decided_on:%d/%m/%Y}"


def financing_total(operation: Operation) -> Decimal:
    return operation.financing.aggregate(total=decimal_sum("amount"))["total"]

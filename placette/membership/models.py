"""Membership: statutes settings (versioned), categories and colleges, members, the append-only
share ledger, yearly frozen register snapshots and other investment instruments.

The ledger (`Movement`) is the source of truth; holdings, capital and the electoral roll are
projections computed from it (see `projections.py` and docs/membership.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placette.contacts.models import Contact
from placette.lib import money
from placette.lib.refusals import Refusal
from placette.lib.sums import decimal_exact

ZERO = Decimal("0.00")


# --------------------------------------------------------------------------------------------
# Statutes settings
# --------------------------------------------------------------------------------------------


class LegalForm(models.TextChoices):
    SA = "SA", "Société anonyme (SA)"
    SAS = "SAS", "Société par actions simplifiée (SAS)"
    SARL = "SARL", "Société à responsabilité limitée (SARL)"


class MembershipStart(models.TextChoices):
    SUBSCRIPTION = "subscription", "dès la souscription"
    FULL_PAYMENT = "full_payment", "à la libération complète des parts"


class EmptyCollegePolicy(models.TextChoices):
    REDISTRIBUTE = "redistribute", "son poids est réparti entre les collèges qui ont voté"
    ZERO = "zero", "il compte pour zéro"


class SasQuorum(models.TextChoices):
    SA = "SA", "comme une SA (1/5 puis aucun en AGO, 1/4 puis 1/5 en AGE)"
    NONE = "none", "sans quorum"


class Category(models.Model):
    """A category of associés (who you are): stable identity; its rules live in a statutes
    version (`CategoryRule`)."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("nom", max_length=100, unique=True)
    is_employees = models.BooleanField("catégorie des salariés (ou producteurs)", default=False)
    is_beneficiaries = models.BooleanField("catégorie des bénéficiaires", default=False)
    is_local_authorities = models.BooleanField("catégorie des collectivités", default=False)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "catégorie d’associés"
        verbose_name_plural = "catégories d’associés"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class College(models.Model):
    """A voting college (where your vote counts); its weight lives in a statutes version."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("nom", max_length=100, unique=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "collège de vote"
        verbose_name_plural = "collèges de vote"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class StatutesQuerySet(models.QuerySet["Statutes"]):
    def in_force(self, on: dt.date | None = None) -> Statutes | None:
        """The version in force on `on` (today by default): the latest effective one."""
        on = on or timezone.localdate()
        return self.filter(effective_from__lte=on).order_by("-effective_from", "-id").first()


class Statutes(models.Model):
    """One version of the statutes settings. Never edited: a change is a new row (who, when)."""

    effective_from = models.DateField("en vigueur à partir du")
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField("motif du changement", max_length=300, blank=True)
    coop_name = models.CharField("raison sociale", max_length=200, default="Placette SCIC")
    legal_form = models.CharField(
        "forme juridique", max_length=4, choices=LegalForm.choices, default=LegalForm.SAS
    )
    share_value = models.DecimalField(
        "valeur nominale d’une part (€)", max_digits=10, decimal_places=2, default=Decimal(100)
    )
    membership_start = models.CharField(
        "qualité d’associé acquise",
        max_length=20,
        choices=MembershipStart.choices,
        default=MembershipStart.SUBSCRIPTION,
    )
    # Loi 47-1775 art. 12 (to verify): at least 1/4 at subscription, balance within 5 years.
    min_paid_percent = models.DecimalField(
        "part minimale libérée à la souscription (%)",
        max_digits=6,
        decimal_places=2,
        default=Decimal(25),
    )
    balance_delay_months = models.PositiveSmallIntegerField(
        "délai de libération du solde (mois)", default=60
    )
    # Art. 13 (to verify): the capital may not fall below 1/4 of the highest capital reached.
    floor_percent = models.DecimalField(
        "plancher : part du capital le plus élevé atteint (%)",
        max_digits=6,
        decimal_places=2,
        default=Decimal(25),
    )
    floor_amount = models.DecimalField(
        "plancher : montant fixe plus élevé (€)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    refund_after_ago = models.BooleanField(
        "remboursement après l’AGO qui approuve les comptes", default=True
    )
    refund_min_delay_months = models.PositiveSmallIntegerField(
        "délai minimal avant remboursement (mois après la décision)", default=0
    )
    refund_max_delay_months = models.PositiveSmallIntegerField(
        "délai maximal de remboursement (mois après la décision)", default=60
    )
    refund_reduced_by_losses = models.BooleanField(
        "remboursement réduit de la quote-part des pertes de l’exercice du retrait", default=False
    )
    local_authorities_cap_percent = models.DecimalField(
        "plafond des collectivités (% du capital)",
        max_digits=6,
        decimal_places=2,
        default=Decimal(50),
    )
    colleges_enabled = models.BooleanField("collèges de vote", default=True)
    empty_college_policy = models.CharField(
        "collège sans votant",
        max_length=20,
        choices=EmptyCollegePolicy.choices,
        default=EmptyCollegePolicy.REDISTRIBUTE,
    )
    # Loi 47-1775 art. 19 octies (to verify): 3 colleges at least, each 10 % to 50 %.
    min_colleges = models.PositiveSmallIntegerField("nombre minimal de collèges", default=3)
    min_college_percent = models.DecimalField(
        "poids minimal d’un collège (%)", max_digits=6, decimal_places=2, default=Decimal(10)
    )
    max_college_percent = models.DecimalField(
        "poids maximal d’un collège (%)", max_digits=6, decimal_places=2, default=Decimal(50)
    )
    ir_pme_holding_years = models.PositiveSmallIntegerField(
        "durée de conservation IR-PME (années)", default=5
    )
    growth_target = models.PositiveIntegerField("objectif de sociétaires", default=4000)
    growth_target_year = models.PositiveSmallIntegerField(
        "échéance de l’objectif", null=True, blank=True
    )

    # Governance rules (read by placette.governance through `statutes_in_force()`).
    # Convocation delays: R225-69 for an SA (15 days on first call, 10 on later calls).
    notice_days_first_call = models.PositiveSmallIntegerField(
        "délai de convocation, première convocation (jours)", default=15
    )
    notice_days_second_call = models.PositiveSmallIntegerField(
        "délai de convocation, convocations suivantes (jours)", default=10
    )
    board_notice_days = models.PositiveSmallIntegerField(
        "délai de convocation du conseil (jours)", default=0
    )
    # The reference leaves the cap on proxies per holder to the statutes (to verify): 5 here.
    proxy_cap = models.PositiveSmallIntegerField("pouvoirs au plus par mandataire", default=5)
    # Board: the chair's vote decides a tie unless the statutes say otherwise (to verify).
    chair_casting_vote = models.BooleanField(
        "voix prépondérante du président en cas de partage", default=True
    )
    # L225-107: members attending remotely count toward the quorum when the statutes allow it.
    # Intérêt aux parts (loi 1947 art. 14, to verify): off unless the statutes provide for it.
    share_interest_allowed = models.BooleanField(
        "les statuts prévoient un intérêt aux parts", default=False
    )
    remote_counts_for_quorum = models.BooleanField(
        "les participants à distance comptent pour le quorum", default=True
    )
    # SAS: the statutes decide the quorum (L227-9); they may copy the SA rules.
    sas_quorum_as = models.CharField(
        "quorum d’une SAS",
        max_length=4,
        choices=SasQuorum.choices,
        default=SasQuorum.SA,
    )

    # Legal mentions of the convocation and the PV (form, « à capital variable », seat, RCS).
    seat = models.CharField("siège social", max_length=300, blank=True)
    registration = models.CharField("immatriculation (RCS et SIREN)", max_length=120, blank=True)
    # R225-77 (SA): paper postal voting forms received at least 3 days before the meeting;
    # electronic forms (and online proxies) until 15:00 the day before.
    paper_form_days = models.PositiveSmallIntegerField(
        "formulaires papier reçus au moins (jours avant la réunion)", default=3
    )
    electronic_deadline_hour = models.PositiveSmallIntegerField(
        "vote électronique jusqu’à la veille, heure limite", default=15
    )
    # R225-84: written questions up to the 4th business day before the meeting.
    written_questions_days = models.PositiveSmallIntegerField(
        "questions écrites au plus tard (jours ouvrés avant la réunion)", default=4
    )
    # Board: no blank proxy and no vote before the meeting unless the statutes allow them.
    board_blank_proxies = models.BooleanField("pouvoirs en blanc admis au conseil", default=False)
    board_remote_votes = models.BooleanField(
        "vote à distance avant la séance admis au conseil", default=False
    )

    objects = StatutesQuerySet.as_manager()

    class Meta:
        verbose_name = "version des statuts"
        verbose_name_plural = "versions des statuts"
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_value__gt=0),
                name="statutes_share_value",
                violation_error_message=_("La valeur nominale d’une part doit être positive."),
            ),
            models.CheckConstraint(
                condition=Q(min_paid_percent__gte=25, min_paid_percent__lte=100),
                name="statutes_min_paid_quarter",
                violation_error_message=_(
                    "La part libérée à la souscription va de 25 % à 100 % (au moins un quart)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(balance_delay_months__lte=60),
                name="statutes_balance_5_years",
                violation_error_message=_(
                    "Le délai de libération du solde ne peut pas dépasser 60 mois (5 ans)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(floor_percent__gte=25, floor_percent__lte=100),
                name="statutes_floor_quarter",
                violation_error_message=_(
                    "Le plancher du capital va de 25 % à 100 % du capital le plus haut atteint."
                ),
            ),
            models.CheckConstraint(
                condition=Q(local_authorities_cap_percent__gt=0)
                & Q(local_authorities_cap_percent__lte=50),
                name="statutes_authorities_cap",
                violation_error_message=_(
                    "La part du capital des collectivités publiques est comprise entre 0 % (exclu)"
                    " et 50 %."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Statuts en vigueur au {self.effective_from:%d/%m/%Y} (version {self.pk})"

    def save(self, *args, **kwargs) -> None:
        if self.pk and not self._state.adding:
            raise Refusal(
                "Une version des statuts ne se modifie pas : créez-en une autre.",
                code="append_only",
            )
        super().save(*args, **kwargs)

    @property
    def min_paid_fraction(self) -> Fraction:
        return Fraction(self.min_paid_percent) / 100

    @property
    def floor_fraction(self) -> Fraction:
        return Fraction(self.floor_percent) / 100

    def category_rules(self) -> dict[int, CategoryRule]:
        """Rules by category id (one query)."""
        return {r.category_id: r for r in self.rules.select_related("category", "college")}

    def college_weights(self) -> dict[str, Fraction]:
        return {w.college.name: w.fraction for w in self.weights.select_related("college")}


class CategoryRule(models.Model):
    """What a statutes version says about one category: minimum and maximum shares, college."""

    statutes = models.ForeignKey(Statutes, on_delete=models.CASCADE, related_name="rules")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="rules")
    min_shares = models.PositiveIntegerField("minimum de parts", default=1)
    max_shares = models.PositiveIntegerField("maximum de parts", null=True, blank=True)
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, null=True, blank=True, related_name="rules"
    )
    open_to_public = models.BooleanField("ouverte à la souscription en ligne", default=True)

    class Meta:
        verbose_name = "règle de catégorie"
        constraints = [
            models.UniqueConstraint(
                fields=["statutes", "category"],
                name="rule_unique",
                violation_error_message=_(
                    "Cette catégorie a déjà une règle dans cette version des statuts."
                ),
            ),
            models.CheckConstraint(
                condition=Q(min_shares__gte=1),
                name="rule_min_one_share",
                violation_error_message=_("Le minimum d’une catégorie est d’au moins 1 part."),
            ),
            models.CheckConstraint(
                condition=Q(max_shares__isnull=True) | Q(max_shares__gte=models.F("min_shares")),
                name="rule_max_above_min",
                violation_error_message=_(
                    "Le maximum de parts d’une catégorie ne peut pas être inférieur à son minimum."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} : {self.min_shares} part(s) minimum"


class CollegeWeight(models.Model):
    statutes = models.ForeignKey(Statutes, on_delete=models.CASCADE, related_name="weights")
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="weights")
    weight_percent = models.DecimalField("poids (%)", max_digits=7, decimal_places=4)

    class Meta:
        verbose_name = "poids de collège"
        constraints = [
            models.UniqueConstraint(
                fields=["statutes", "college"],
                name="weight_unique",
                violation_error_message=_(
                    "Ce collège a déjà un poids dans cette version des statuts."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weight_percent__gt=0, weight_percent__lte=100),
                name="weight_range",
                violation_error_message=_(
                    "Le poids d’un collège est compris entre 0 % (exclu) et 100 %."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.college} : {money.percent(self.weight_percent)}"

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.weight_percent) / 100


class TaxYear(models.Model):
    """IR-PME settings of one tax year (CGI art. 199 terdecies-0 A, to verify every year)."""

    year = models.PositiveSmallIntegerField("année d’imposition", unique=True)
    rate_percent = models.DecimalField("taux (%)", max_digits=5, decimal_places=2)
    ceiling_single = models.DecimalField(
        "plafond des versements, personne seule (€)", max_digits=12, decimal_places=2
    )
    ceiling_couple = models.DecimalField(
        "plafond des versements, couple (€)", max_digits=12, decimal_places=2
    )
    note = models.CharField("source / remarque", max_length=300, blank=True)
    # Is the company eligible this year? Without it no statement is made (and the batch says
    # why). A real-estate company (a foncière) is excluded unless approved ESUS.
    company_eligible = models.BooleanField(
        "la coopérative remplit les conditions d’éligibilité cette année", default=False
    )
    real_estate = models.BooleanField(
        "activité immobilière (exclue sauf agrément ESUS)", default=True
    )
    esus_reference = models.CharField("agrément ESUS : référence", max_length=200, blank=True)
    esus_from = models.DateField("agrément ESUS : du", null=True, blank=True)
    esus_until = models.DateField("agrément ESUS : au", null=True, blank=True)
    holding_years = models.PositiveSmallIntegerField(
        "conservation des titres (années)",
        default=5,
        help_text="Jusqu’au 31 décembre de la N-ième année suivant la souscription (à vérifier).",
    )
    clawback_years = models.PositiveSmallIntegerField(
        "reprise en cas de remboursement des apports avant (années)",
        default=7,
        help_text="Remboursement avant le 31 décembre de la N-ième année : reprise (à vérifier).",
    )
    signatory_name = models.CharField("signataire", max_length=200, blank=True)
    signatory_role = models.CharField("qualité du signataire", max_length=200, blank=True)

    class Meta:
        verbose_name = "paramètres IR-PME d’une année"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(esus_from__isnull=True)
                | Q(esus_until__isnull=True)
                | Q(esus_until__gte=models.F("esus_from")),
                name="tax_year_esus_dates",
                violation_error_message=_(
                    "La fin de l’agrément ESUS ne peut pas précéder son début."
                ),
            ),
            models.CheckConstraint(
                condition=Q(holding_years__gte=1)
                & Q(clawback_years__gte=models.F("holding_years")),
                name="tax_year_horizons",
                violation_error_message=_(
                    "La durée de conservation est d’au moins un an, et l’horizon de reprise en "
                    "cas de remboursement n’est pas plus court qu’elle."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"IR-PME {self.year} : {money.percent(self.rate_percent)}"

    def esus_covers(self, day: dt.date) -> bool:
        """The ESUS approval is in force on `day`."""
        return bool(
            self.esus_reference.strip()
            and self.esus_from is not None
            and self.esus_from <= day
            and (self.esus_until is None or day <= self.esus_until)
        )

    def ineligibility(self) -> list[str]:
        """Why no statement can be made for this year (French sentences); empty if eligible."""
        year = self.year
        if not self.company_eligible:
            return [
                f"La coopérative n’est pas déclarée éligible à la réduction d’impôt IR-PME pour "
                f"{year} (paramètres IR-PME de l’année) : aucun état individuel n’est produit."
            ]
        if self.real_estate and not (
            self.esus_covers(dt.date(year, 12, 31)) or self.esus_covers(dt.date(year, 1, 1))
        ):
            return [
                f"Une société à activité immobilière n’ouvre droit à la réduction IR-PME que si "
                f"elle est agréée ESUS : aucun agrément (référence et dates) ne couvre {year}, "
                "aucun état individuel n’est produit."
            ]
        if not self.signatory_name.strip():
            return [f"Indiquez le signataire des états individuels de {year}."]
        return []

    def holding_end(self, subscribed_on: dt.date) -> dt.date:
        """End of the holding period: 31 December of the `holding_years`-th year after."""
        return dt.date(subscribed_on.year + self.holding_years, 12, 31)

    def clawback_end(self, subscribed_on: dt.date) -> dt.date:
        return dt.date(subscribed_on.year + self.clawback_years, 12, 31)


# --------------------------------------------------------------------------------------------
# Gapless counters
# --------------------------------------------------------------------------------------------


class Sequence(models.Model):
    """A gapless counter (movement numbers, member numbers). Read under a row lock, incremented
    in the booking transaction: a rollback gives the number back."""

    name = models.CharField(max_length=40, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "compteur"

    def __str__(self) -> str:
        return f"{self.name} = {self.last}"


# --------------------------------------------------------------------------------------------
# Members
# --------------------------------------------------------------------------------------------


class MemberQuerySet(models.QuerySet["Member"]):
    def active_on(self, on: dt.date) -> MemberQuerySet:
        """Members who were associés on `on` (admitted on or before, not left on or before)."""
        return self.filter(admitted_on__lte=on).exclude(left_on__lte=on)


class Member(models.Model):
    """An associé: a contact admitted to the cooperative, numbered once and for good.

    `admitted_on`/`left_on` are maintained by the services from the ledger (admission at
    subscription or at full payment, per the statutes; leaving when the holding reaches zero).
    """

    contact = models.OneToOneField(
        Contact, on_delete=models.PROTECT, related_name="member", verbose_name="contact"
    )
    number = models.PositiveIntegerField("n° de sociétaire", unique=True, null=True, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="members", verbose_name="catégorie"
    )
    admitted_on = models.DateField("admis le", null=True, blank=True, db_index=True)
    left_on = models.DateField("sorti le", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # IR-PME: a natural person's cash subscriptions qualify only if they are a French tax
    # resident (CGI art. 199 terdecies-0 A); declared on the bulletin, changed by staff.
    tax_resident_fr = models.BooleanField("domicilié(e) fiscalement en France", default=False)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "sociétaire"
        ordering = ["number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(admitted_on__isnull=False, left_on__gte=models.F("admitted_on")),
                name="member_left_after_admitted",
                violation_error_message=_(
                    "La date de sortie d’un sociétaire ne peut pas précéder son admission."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"n° {self.number or '—'} {self.contact}"

    def get_absolute_url(self) -> str:
        return reverse("membership:holder", args=[self.contact_id])

    def is_active_on(self, on: dt.date) -> bool:
        if self.admitted_on is None or self.admitted_on > on:
            return False
        return self.left_on is None or self.left_on > on


CATEGORY_HISTORY_MESSAGE = (
    "L’historique des catégories est en ajout seul : un changement enregistré ne se modifie pas "
    "et ne se supprime pas (enregistrez un nouveau changement)."
)


class CategoryChangeQuerySet(models.QuerySet["CategoryChange"]):
    def update(self, **kwargs):
        raise Refusal(CATEGORY_HISTORY_MESSAGE, code="append_only")

    def delete(self):
        raise Refusal(CATEGORY_HISTORY_MESSAGE, code="append_only")


class CategoryChange(models.Model):
    """One line of a member's category history (append-only): from `effective_on`, the member
    belongs to `category`. The first line is the category at admission.

    `Member.category` is a cache of the latest line effective today; the projections at a date
    read this history (`projections.category_at`)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="category_changes", verbose_name="sociétaire"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name="catégorie"
    )
    effective_on = models.DateField("en vigueur à partir du")
    reason = models.CharField("motif", max_length=300, blank=True)
    decision = models.CharField("décision (référence)", max_length=200, blank=True)
    created_at = models.DateTimeField("enregistré le", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CategoryChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "changement de catégorie"
        verbose_name_plural = "historique des catégories"
        ordering = ["member", "effective_on", "id"]
        indexes = [
            # The category at a date: the latest line of a member on or before the date.
            models.Index(
                fields=["member", "effective_on", "id", "category"],
                name="categorychange_member_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} : {self.category} au {self.effective_on:%d/%m/%Y}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise Refusal(CATEGORY_HISTORY_MESSAGE, code="append_only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Refusal(CATEGORY_HISTORY_MESSAGE, code="append_only")


# --------------------------------------------------------------------------------------------
# The share ledger
# --------------------------------------------------------------------------------------------


class MovementKind(models.TextChoices):
    SUBSCRIPTION = "subscription", "Souscription"
    PAYMENT = "payment", "Libération"
    TRANSFER = "transfer", "Cession"
    GIFT = "gift", "Donation"
    REFUND_REQUEST = "refund_request", "Demande de remboursement"
    REFUND_DECISION = "refund_decision", "Décision de remboursement"
    REFUND_PAYMENT = "refund_payment", "Paiement du remboursement"
    CANCELLATION = "cancellation", "Annulation"


# Columns a contact merge may re-point (same person, duplicate record); every other column of a
# booked movement is immutable, in Django and in the database triggers (migration 0002).
MOVEMENT_REPOINTABLE = ("holder_id", "counterparty_id")
MOVEMENT_IMMUTABLE = (
    "id",
    "number",
    "date",
    "booked_at",
    "kind",
    "shares",
    "capital",
    "called",
    "paid",
    "quantity",
    "amount",
    "share_value",
    "accepted",
    "related_id",
    "reverses_id",
    "idempotency_key",
    "reference",
    "note",
    "booked_by_id",
)

LEDGER_IMMUTABLE_MESSAGE = (
    "Le registre des mouvements est en ajout seul : un mouvement enregistré ne se modifie pas "
    "et ne se supprime pas (passez une annulation)."
)


class MovementQuerySet(models.QuerySet["Movement"]):
    def update(self, **kwargs):
        if not set(kwargs) <= {"holder", "counterparty", *MOVEMENT_REPOINTABLE}:
            raise Refusal(LEDGER_IMMUTABLE_MESSAGE, code="append_only")
        return super().update(**kwargs)

    def delete(self):
        raise Refusal(LEDGER_IMMUTABLE_MESSAGE, code="append_only")

    def on(self, date: dt.date) -> MovementQuerySet:
        """Movements with a value date on or before `date`."""
        return self.filter(date__lte=date)


class Movement(models.Model):
    """One line of the register of share movements (registre des mouvements de titres).

    Each line changes one holder's account by signed deltas: `shares` (number of shares held),
    `capital` (subscribed capital), `called` (called capital), `paid` (paid-up capital). A
    transfer or a gift is two lines (giver, receiver) linked by `related`. A refund request
    changes nothing yet (`quantity` says how many shares); an accepted refund decision removes
    the shares and the capital and sets `amount`, the sum owed; the refund payment pays
    `amount`. A cancellation carries the opposite deltas and points at what it reverses.
    """

    # Not stored: set by the booking services on the instance they return.
    warnings: list[str]

    number = models.PositiveBigIntegerField("n°", unique=True)
    date = models.DateField("date de valeur", db_index=True)
    booked_at = models.DateTimeField("enregistré le", default=timezone.now)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistré par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("nature", max_length=20, choices=MovementKind.choices)
    holder = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="movements", verbose_name="titulaire"
    )
    counterparty = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="contrepartie",
    )
    shares = models.IntegerField("parts (variation)", default=0)
    capital = models.DecimalField("capital souscrit (variation)", max_digits=14, decimal_places=2)
    called = models.DecimalField("capital appelé (variation)", max_digits=14, decimal_places=2)
    paid = models.DecimalField("capital libéré (variation)", max_digits=14, decimal_places=2)
    quantity = models.PositiveIntegerField("parts concernées", default=0)
    amount = models.DecimalField("montant", max_digits=14, decimal_places=2, default=ZERO)
    share_value = models.DecimalField("valeur nominale", max_digits=10, decimal_places=2)
    accepted = models.BooleanField("décision favorable", null=True, blank=True)
    related = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name="mouvement lié",
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name="annule le mouvement",
    )
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    reference = models.CharField("référence", max_length=100, blank=True)
    note = models.CharField("observation", max_length=300, blank=True)

    objects = MovementQuerySet.as_manager()

    class Meta:
        verbose_name = "mouvement de titres"
        verbose_name_plural = "registre des mouvements de titres"
        ordering = ["number"]
        indexes = [
            # Covering: a holding at a date and the grouped sums per holder (electoral roll,
            # holders at a date) read the index only, already in holder order.
            models.Index(
                fields=["holder", "date", "shares", "capital", "called", "paid"],
                name="movement_holder_date_sums",
            ),
            models.Index(fields=["date", "number"], name="movement_date_number"),
            # The register page at a date walks the numbers newest first and checks the date
            # in the index, without reading the table.
            models.Index(fields=["number", "date"], name="movement_number_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="cancellation", reverses__isnull=False)
                | (~Q(kind="cancellation") & Q(reverses__isnull=True)),
                name="movement_cancellation_reverses",
                violation_error_message=_(
                    "Une annulation désigne le mouvement qu’elle annule, et seule une annulation "
                    "en désigne un."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="cancellation")
                | Q(kind="subscription", shares__gt=0)
                | Q(kind__in=["transfer", "gift"], counterparty__isnull=False)
                | Q(kind="refund_decision", shares__lte=0)
                | Q(kind__in=["payment", "refund_request", "refund_payment"], shares=0),
                name="movement_kind_shares",
                violation_error_message=_(
                    "Le nombre de parts ne correspond pas à la nature du mouvement (une "
                    "souscription compte au moins une part, une cession désigne un bénéficiaire…)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(share_value__gt=0),
                name="movement_share_value",
                violation_error_message=_(
                    "La valeur de la part d’un mouvement doit être positive."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Mouvement n° {self.number} — {self.get_kind_display()} — {self.holder_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise Refusal(LEDGER_IMMUTABLE_MESSAGE, code="append_only")
        with transaction.atomic():
            super().save(*args, **kwargs)
            HolderBalance.add(self)
            CapitalDay.add(self)

    def delete(self, *args, **kwargs):
        raise Refusal(LEDGER_IMMUTABLE_MESSAGE, code="append_only")

    @property
    def kind_label(self) -> str:
        if self.kind == MovementKind.TRANSFER:
            return "Cession (reçue)" if self.shares > 0 else "Cession (cédée)"
        if self.kind == MovementKind.GIFT:
            return "Donation (reçue)" if self.shares > 0 else "Donation (donnée)"
        if self.kind == MovementKind.REFUND_DECISION:
            return "Remboursement accepté" if self.accepted else "Remboursement refusé"
        return self.get_kind_display()


class HolderBalance(models.Model):
    """Running balance of one holder: the sum of all their movements, kept in the same
    transaction as each movement is booked (`Movement.save`).

    A projection, never the truth: the append-only ledger is. It can be rebuilt from the
    movements at any time (`projections.balances_rebuild`, migration 0006) and is only read for
    the holding "now" (`last_date` ≤ the date asked), so that booking a movement costs the same
    whatever the size of the ledger. Holdings at a past date are still summed from movements.
    """

    holder = models.OneToOneField(
        Contact, on_delete=models.CASCADE, primary_key=True, related_name="share_balance"
    )
    shares = models.BigIntegerField(default=0)
    capital = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    called = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    paid = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    last_date = models.DateField("date du dernier mouvement", null=True, blank=True)

    class Meta:
        verbose_name = "solde d’un titulaire (projection)"

    def __str__(self) -> str:
        return f"{self.holder_id} : {self.shares} part(s)"

    @classmethod
    def add(cls, movement: Movement) -> None:
        """Add one booked movement's deltas (two small indexed queries, race-safe)."""
        HolderBalance.objects.bulk_create(
            [HolderBalance(holder_id=movement.holder_id)], ignore_conflicts=True
        )
        cls.objects.filter(holder_id=movement.holder_id).update(
            shares=models.F("shares") + movement.shares,
            # Rounded by the database: on SQLite a running float sum drifts off the cent.
            capital=decimal_exact(models.F("capital") + Value(movement.capital)),
            called=decimal_exact(models.F("called") + Value(movement.called)),
            paid=decimal_exact(models.F("paid") + Value(movement.paid)),
            last_date=Greatest(Coalesce("last_date", Value(movement.date)), Value(movement.date)),
        )


class CapitalDay(models.Model):
    """Net change of the subscribed capital on one value date, kept in the same transaction as
    each movement (`Movement.save`), like `HolderBalance`: a projection, rebuilt from the
    ledger by `projections.balances_rebuild`.

    `shares`, `capital`, `called` and `paid` sum every movement of the day, so the totals at any
    date are sums over at most one row per day (a few thousand rows, not the million
    movements), and the monthly chart groups these rows. `peak` sums the capital of the same
    movements but leaves out a cancelled movement and its cancellation (the pair counts as if
    never booked, on the cancelled movement's own date): the highest capital reached, which
    sets the capital floor, is the running maximum of `peak` — a typo cancelled the next day
    does not raise the floor (docs/decisions.md)."""

    date = models.DateField("date de valeur", primary_key=True)
    shares = models.BigIntegerField(default=0)
    capital = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    called = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    paid = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    peak = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)

    class Meta:
        verbose_name = "variation du capital d’un jour (projection)"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} : {self.capital}"

    @classmethod
    def _bump(cls, day: dt.date, *, movement: Movement | None, peak: Decimal) -> None:
        CapitalDay.objects.bulk_create([CapitalDay(date=day)], ignore_conflicts=True)
        changes: dict[str, models.Expression] = {
            "peak": decimal_exact(models.F("peak") + Value(peak))
        }
        if movement is not None:
            changes["shares"] = models.F("shares") + movement.shares
            for name in ("capital", "called", "paid"):
                changes[name] = decimal_exact(models.F(name) + Value(getattr(movement, name)))
        CapitalDay.objects.filter(date=day).update(**changes)

    @classmethod
    def add(cls, movement: Movement) -> None:
        """Add one booked movement's changes (nothing for a movement without any)."""
        if not (movement.shares or movement.capital or movement.called or movement.paid):
            return
        if movement.kind == MovementKind.CANCELLATION and movement.reverses_id is not None:
            cls._bump(movement.date, movement=movement, peak=ZERO)
            if movement.capital:
                reversed_on = Movement.objects.filter(pk=movement.reverses_id).values_list(
                    "date", flat=True
                )[0]
                cls._bump(reversed_on, movement=None, peak=movement.capital)
        else:
            cls._bump(movement.date, movement=movement, peak=movement.capital)


class ShareInterestYear(models.Model):
    """The interest on shares (intérêt aux parts) the AGO decided for one year: its rate, the
    legal cap it was checked against (loi 1947 art. 14: average TMO of the three previous
    years plus two points, to verify — entered each year) and the decision. No row: no
    interest that year. Append-only."""

    year = models.PositiveSmallIntegerField("exercice", unique=True)
    rate_percent = models.DecimalField("taux servi (%)", max_digits=5, decimal_places=3)
    cap_percent = models.DecimalField(
        "plafond légal de l’année (%)", max_digits=5, decimal_places=3
    )
    decided_on = models.DateField("décidé le")
    decision = models.CharField("décision (AGO, procès-verbal)", max_length=300)
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "intérêt aux parts d’un exercice"
        verbose_name_plural = "intérêts aux parts"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_percent__gt=0) & Q(rate_percent__lte=models.F("cap_percent")),
                name="share_interest_within_cap",
                violation_error_message=_("Le taux servi dépasse le plafond légal de l’année."),
            ),
        ]

    def __str__(self) -> str:
        return f"Intérêt aux parts {self.year} : {self.rate_percent} %"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise Refusal(
                str(_("Un intérêt aux parts décidé ne se modifie pas.")), code="append_only"
            )
        super().save(*args, **kwargs)


class ClosedFiscalYear(models.Model):
    """A closed accounting period (exercice clos): no movement of the register may be dated
    in it or before it. The fiscal year is the calendar year; the last closed one is the
    highest `year`. Append-only (a closure is not reopened in Placette)."""

    year = models.PositiveSmallIntegerField("exercice clos", unique=True)
    closed_at = models.DateTimeField("enregistré le", auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("observation", max_length=300, blank=True)

    class Meta:
        verbose_name = "exercice clos"
        verbose_name_plural = "exercices clos"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Exercice {self.year} clos"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise Refusal("Un exercice clos ne se modifie pas.", code="append_only")
        super().save(*args, **kwargs)

    @classmethod
    def last(cls) -> int | None:
        return cls.objects.aggregate(last=models.Max("year"))["last"]


class UnpaidReminder(models.Model):
    """A reminder sent for a balance still unpaid after the statutory delay: at most one per
    holder and month (the unique constraint makes `unpaid_reminders` idempotent)."""

    holder = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    month = models.DateField("mois (premier jour)")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)
    sent_to = models.EmailField("envoyé à", blank=True)
    outstanding = models.DecimalField("reste à libérer (€)", max_digits=16, decimal_places=2)
    due_on = models.DateField("échéance dépassée")

    class Meta:
        verbose_name = "relance de libération"
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "month"],
                name="unpaid_reminder_month",
                violation_error_message=_("Ce titulaire a déjà été relancé ce mois-ci."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.holder_id} {self.month:%m/%Y}"


# --------------------------------------------------------------------------------------------
# Register snapshots and other instruments
# --------------------------------------------------------------------------------------------


def _snapshot_path(instance: RegisterSnapshot, filename: str) -> str:
    # Only referenced by migration 0001: files now live in placette.lib.documents.
    return f"membership/registre/{instance.on:%Y}/{filename}"


class RegisterSnapshot(models.Model):
    """The register frozen at a date (usually 31 December): totals and the PDF, never
    recomputed."""

    on = models.DateField("arrêté au", unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_movement_number = models.PositiveBigIntegerField("dernier mouvement", default=0)
    members = models.PositiveIntegerField("sociétaires")
    holders = models.PositiveIntegerField("titulaires")
    shares = models.PositiveBigIntegerField("parts")
    capital = models.DecimalField("capital souscrit", max_digits=14, decimal_places=2)
    called = models.DecimalField("capital appelé", max_digits=14, decimal_places=2)
    paid = models.DecimalField("capital libéré", max_digits=14, decimal_places=2)
    sha256 = models.CharField(max_length=64)
    # Files kept as lib Documents of scope "membership.register" (the team only).
    pdf = models.OneToOneField(
        "lib.Document", verbose_name="registre PDF", on_delete=models.PROTECT, related_name="+"
    )
    csv = models.OneToOneField(
        "lib.Document",
        verbose_name="registre CSV",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "registre arrêté"
        verbose_name_plural = "registres arrêtés"
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"Registre arrêté au {self.on:%d/%m/%Y}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise Refusal("Un registre arrêté ne se modifie pas.", code="append_only")
        super().save(*args, **kwargs)


class InstrumentKind(models.TextChoices):
    PARTICIPATING = "titre_participatif", "Titres participatifs"
    LOAN = "loan", "Prêt / compte courant d’associé"
    BOND = "bond", "Obligations"


class Instrument(models.Model):
    """An investment instrument other than shares (titres participatifs, loans) with its terms."""

    kind = models.CharField("nature", max_length=20, choices=InstrumentKind.choices)
    name = models.CharField("nom", max_length=150, unique=True)
    unit_value = models.DecimalField(
        "valeur unitaire (€)", max_digits=12, decimal_places=2, default=Decimal(1)
    )
    rate_percent = models.DecimalField("taux annuel (%)", max_digits=6, decimal_places=3)
    duration_months = models.PositiveSmallIntegerField("durée (mois)")
    issued_on = models.DateField("date d’émission")
    note = models.TextField("conditions", blank=True)

    class Meta:
        verbose_name = "autre instrument"
        ordering = ["issued_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("membership:instrument", args=[self.pk])


class InstrumentHolding(models.Model):
    """One investor's subscription to an instrument (amount, dates). Closed by `repaid_on`."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="holdings")
    holder = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="instrument_holdings"
    )
    units = models.PositiveIntegerField("nombre de titres", default=1)
    amount = models.DecimalField("montant (€)", max_digits=14, decimal_places=2)
    subscribed_on = models.DateField("souscrit le")
    repaid_on = models.DateField("remboursé le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "détention d’instrument"
        ordering = ["subscribed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="instrument_amount_positive",
                violation_error_message=_("Le montant d’une détention doit être positif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} — {self.instrument} — {money.euros(self.amount)}"


from placette.membership.models_requests import *  # noqa: E402, F403


class AccountsApproval(models.Model):
    """The ordinary general meeting (AGO) that approved the accounts of one fiscal year, with
    the approved result: refunds of members who left that year wait for it (statutes setting
    `refund_after_ago`) and may be reduced by the year's losses (`refund_reduced_by_losses`).

    `meeting_id` is the governance meeting (a closed AGO or mixed AG, read through
    `membership.approvals`, never imported: governance reads membership, not the reverse);
    an AGO held before Placette is recorded from its minutes (`minutes_reference`)."""

    year = models.PositiveSmallIntegerField("exercice", unique=True)
    approved_on = models.DateField("date de l’AGO")
    meeting_id = models.PositiveIntegerField("réunion (gouvernance)", null=True, blank=True)
    meeting_title = models.CharField("assemblée", max_length=200)
    minutes_reference = models.CharField("procès-verbal (archive)", max_length=200, blank=True)
    result = models.DecimalField(
        "résultat approuvé de l’exercice (€, négatif : perte)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    recorded_at = models.DateTimeField("enregistrée le", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "approbation des comptes"
        verbose_name_plural = "approbations des comptes"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting_id__isnull=False) | ~Q(minutes_reference=""),
                name="approval_has_a_source",
                violation_error_message=_(
                    "Une approbation des comptes renvoie à l’assemblée de la gouvernance ou, pour "
                    "une AGO antérieure, à son procès-verbal."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Comptes {self.year} approuvés le {self.approved_on:%d/%m/%Y}"

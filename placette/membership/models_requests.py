"""The subscription journey: online requests (bulletins de souscription), the payments received
for them, the documents sent to subscribers (bulletin, certificate, IR-PME statement), the
consent to electronic convocation, and the coop's payment settings.

The share ledger (`Movement`) is only touched at approval, by `services.shares_subscribe`;
everything before approval lives here. See docs/membership.md, "Subscription journey".
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placette.contacts.models import Contact
from placette.lib import money
from placette.lib.audit import audit_log
from placette.lib.models import OutgoingMessage
from placette.lib.sums import decimal_sum

__all__ = [
    "BankStatement",
    "DocumentKind",
    "PaymentMethod",
    "RequestPayment",
    "RequestStatus",
    "SubscriptionDocument",
    "SubscriptionRequest",
    "SubscriptionSettings",
]


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", "Virement bancaire"
    CHEQUE = "cheque", "Chèque"
    SEPA = "sepa", "Prélèvement SEPA"


class RequestStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", "En attente de paiement"
    PARTIALLY_PAID = "partially_paid", "Partiellement payée"
    PAID = "paid", "Payée"
    APPROVED = "approved", "Approuvée"
    REFUSED = "refused", "Refusée"


OPEN_STATUSES = (
    RequestStatus.AWAITING_PAYMENT,
    RequestStatus.PARTIALLY_PAID,
    RequestStatus.PAID,
)


ACCOUNT_NUMBER = RegexValidator(
    r"^\d{3,20}$", _("Un numéro de compte s’écrit avec 3 à 20 chiffres (plan comptable).")
)
JOURNAL_CODE = RegexValidator(
    r"^[A-Z0-9]{1,10}$", _("Le code du journal s’écrit en majuscules et chiffres (10 au plus).")
)


def _account(label: str, default: str) -> models.CharField:
    return models.CharField(label, max_length=20, default=default, validators=[ACCOUNT_NUMBER])


class SubscriptionSettings(models.Model):
    """Where and how subscribers pay, and the identity printed on IR-PME statements. Versioned:
    the latest row is in force; a change is a new row."""

    created_at = models.DateTimeField("enregistré le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    account_holder = models.CharField("titulaire du compte de la coopérative", max_length=200)
    iban = models.CharField("IBAN de la coopérative", max_length=40)
    bic = models.CharField("BIC", max_length=11, blank=True)
    cheque_payable_to = models.CharField("chèques à l’ordre de", max_length=200, blank=True)
    cheque_address = models.TextField("adresse d’envoi des chèques", blank=True)
    sepa_creditor_id = models.CharField(
        "identifiant créancier SEPA (ICS)", max_length=35, blank=True
    )
    company_object = models.TextField("objet social (pour l’état individuel IR-PME)", blank=True)
    company_seat = models.CharField("siège social", max_length=300, blank=True)
    siren = models.CharField("SIREN", max_length=9, blank=True)
    esus_reference = models.CharField(
        "agrément ESUS (référence et date)", max_length=200, blank=True
    )
    # The capital journal of the FEC (membership/fec.py): journal and account numbers.
    fec_journal_code = models.CharField(
        "FEC : code du journal", max_length=10, default="CAP", validators=[JOURNAL_CODE]
    )
    fec_journal_label = models.CharField(
        "FEC : libellé du journal", max_length=100, default="Capital social"
    )
    fec_account_bank = _account("FEC : compte de banque", "512")
    fec_account_capital_unpaid = _account("FEC : capital souscrit appelé non versé", "1012")
    fec_account_capital_paid = _account("FEC : capital souscrit appelé versé", "1013")
    fec_account_called_unpaid = _account("FEC : associés, capital appelé non versé", "4562")
    fec_account_received = _account(
        "FEC : associés, versements reçus avant l’augmentation du capital", "4563"
    )
    fec_account_to_refund = _account("FEC : associés, capital à rembourser", "4567")
    fec_account_losses = _account("FEC : pertes imputées aux remboursements", "119")

    class Meta:
        verbose_name = "paramètres de souscription"
        verbose_name_plural = "paramètres de souscription"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Paramètres de souscription du {self.created_at:%d/%m/%Y}"

    @classmethod
    def current(cls) -> SubscriptionSettings:
        """The settings in force (an unsaved empty row when staff has not filled them yet)."""
        return cls.objects.order_by("-created_at", "-id").first() or cls()


class SubscriptionRequest(models.Model):
    """One bulletin de souscription, from the form to the approval (or refusal).

    Status: awaiting payment → partially paid / paid (payments recorded) → approved (the ledger
    movement is booked) or refused (with a reason). `form_token` is the one-time token of the
    form that created it: a second POST of the same form finds this row instead of a new one.
    """

    # Not stored: set by the approval service on the instance it returns.
    warnings: list[str]

    reference = models.CharField("référence de virement", max_length=20, unique=True)
    access_key = models.CharField(max_length=64, unique=True, editable=False)
    form_token = models.CharField(max_length=200, unique=True, editable=False)
    created_at = models.DateTimeField("reçue le", default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        related_name="subscription_requests",
        verbose_name="souscripteur",
    )
    representative = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="represented_requests",
        verbose_name="représentant légal",
    )
    representative_role = models.CharField("qualité du représentant", max_length=100, blank=True)
    is_additional = models.BooleanField(
        "souscription complémentaire d’un sociétaire", default=False
    )
    category = models.ForeignKey(
        "membership.Category",
        on_delete=models.PROTECT,
        related_name="subscription_requests",
        verbose_name="catégorie",
    )
    shares = models.PositiveIntegerField("nombre de parts")
    share_value = models.DecimalField("valeur nominale", max_digits=10, decimal_places=2)
    amount = models.DecimalField("montant", max_digits=14, decimal_places=2)
    payment_method = models.CharField(
        "mode de paiement", max_length=10, choices=PaymentMethod.choices
    )
    # The full IBAN is needed to issue the SEPA debit; it is erased once the request is fully
    # paid or closed, and only the masked form is ever displayed or emailed.
    iban = models.CharField("IBAN (prélèvement)", max_length=40, blank=True)
    iban_masked = models.CharField("IBAN masqué", max_length=50, blank=True)
    bic = models.CharField("BIC", max_length=11, blank=True)
    account_holder = models.CharField("titulaire du compte", max_length=200, blank=True)
    tax_resident_fr = models.BooleanField("domicilié(e) fiscalement en France", default=False)
    # A paper bulletin entered by staff: its signature date and the scan (a lib.Document).
    channel = models.CharField(
        "origine",
        max_length=10,
        choices=[("online", "en ligne"), ("paper", "bulletin papier")],
        default="online",
    )
    signed_on = models.DateField("bulletin signé le", null=True, blank=True)
    bulletin_scan = models.OneToOneField(
        "lib.Document",
        verbose_name="bulletin numérisé",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    consents = models.JSONField("consentements (texte, version, date)", default=dict)
    e_convocation = models.BooleanField("accepte la convocation électronique", default=False)
    status = models.CharField(
        "état",
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.AWAITING_PAYMENT,
        db_index=True,
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    refusal_reason = models.TextField("motif du refus", blank=True)
    refusal_sent_at = models.DateTimeField("refus envoyé le", null=True, blank=True)
    movement = models.OneToOneField(
        "membership.Movement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subscription_request",
        verbose_name="mouvement de souscription",
    )

    class Meta:
        verbose_name = "demande de souscription"
        verbose_name_plural = "demandes de souscription"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(shares__gte=1),
                name="request_shares_positive",
                violation_error_message=_(
                    "Une demande de souscription porte sur au moins une part."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="request_amount_positive",
                violation_error_message=_(
                    "Le montant d’une demande de souscription doit être positif."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="request_refusal_has_reason",
                violation_error_message=_("Une demande refusée doit indiquer le motif du refus."),
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(movement__isnull=False),
                name="request_approved_has_movement",
                violation_error_message=_(
                    "Une demande approuvée doit être inscrite au registre des mouvements."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Demande {self.reference} — {self.contact} — {self.shares} part(s)"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def received(self) -> Decimal:
        return self.payments.aggregate(total=decimal_sum("amount"))["total"]

    def mail_sent(self, message: OutgoingMessage) -> None:
        """placette.lib.mail: the refusal, the bulletin or the certificate has left."""
        if message.kind == "membership.refusal":
            self.refusal_sent_at = message.sent_at
            self.save(update_fields=["refusal_sent_at"])
            return
        kind = message.kind.removeprefix("membership.")
        for document in self.documents.filter(kind=kind):
            document.mail_sent(message)


class PaymentSource(models.TextChoices):
    MANUAL = "manual", "Saisie"
    BANK = "bank", "Relevé bancaire"


class RequestPayment(models.Model):
    """A sum received for a request (by hand or from a bank statement line). Never edited."""

    request = models.ForeignKey(
        SubscriptionRequest, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField("montant", max_digits=14, decimal_places=2)
    paid_on = models.DateField("date du paiement")
    method = models.CharField("mode", max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField("référence", max_length=200, blank=True)
    source = models.CharField(max_length=10, choices=PaymentSource.choices, default="manual")
    # The same bank line imported twice is recorded once (hash of the line and its rank).
    bank_line_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    movement = models.OneToOneField(
        "membership.Movement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="request_payment",
    )

    class Meta:
        verbose_name = "paiement reçu"
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="request_payment_positive",
                violation_error_message=_("Le montant d’un paiement reçu doit être positif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{money.euros(self.amount)} le {self.paid_on:%d/%m/%Y}"


class BankStatement(models.Model):
    """An uploaded bank statement CSV, kept between the dry run and the confirmation."""

    filename = models.CharField(max_length=200, blank=True)
    content = models.TextField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "relevé bancaire importé"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename or f"Relevé {self.pk}"


class DocumentKind(models.TextChoices):
    BULLETIN = "bulletin", "Bulletin de souscription"
    CERTIFICATE = "certificate", "Certificat de parts"
    TAX_STATEMENT = "tax_statement", "État individuel IR-PME"


class SubscriptionDocument(models.Model):
    """A PDF given to a subscriber (its file a `lib.Document` owned by the subscriber, stored
    with the transaction that made it); `sent_at` makes its sending idempotent."""

    kind = models.CharField("nature", max_length=20, choices=DocumentKind.choices)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(
        SubscriptionRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    # A tax statement is about one subscription of the ledger (online, paper or imported).
    movement = models.ForeignKey(
        "membership.Movement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="souscription",
    )
    filename = models.CharField(max_length=120)
    document = models.OneToOneField(
        "lib.Document", verbose_name="fichier", on_delete=models.PROTECT, related_name="+"
    )
    # Digest of the facts printed (not of the PDF bytes, which carry a timestamp): a yearly
    # batch run again only rewrites a statement whose facts changed.
    facts_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    sent_to = models.EmailField("envoyé à", blank=True)

    class Meta:
        verbose_name = "document de souscription"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "request"],
                condition=Q(request__isnull=False),
                name="document_one_per_request",
                violation_error_message=_("Ce document existe déjà pour cette demande."),
            ),
            models.UniqueConstraint(
                fields=["kind", "movement", "year"],
                condition=Q(kind="tax_statement", movement__isnull=False),
                name="document_one_tax_statement_per_subscription_a_year",
                violation_error_message=_(
                    "L’état IR-PME de cette année existe déjà pour cette souscription."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.contact}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        replaced = self.__dict__.pop("_replaced", None)
        if replaced is not None:
            from placette.lib.documents import document_delete

            document_delete(replaced)

    def mail_sent(self, message: OutgoingMessage) -> None:
        """placette.lib.mail: this document's email has left."""
        self.sent_at = message.sent_at
        self.sent_to = message.to
        self.save(update_fields=["sent_at", "sent_to"])
        audit_log(
            actor=None,
            action="membership.document.sent",
            obj=self.contact,
            document=self.pk,
            kind=self.kind,
            to=message.to,
        )

    def set_content(self, content: bytes) -> None:
        """Store the PDF (a new `lib.Document` owned by the contact); the file it replaces, if
        any, is deleted once this row is saved."""
        from placette.lib.documents import document_store

        if self.document_id is not None:
            self._replaced = self.document
        self.document = document_store(
            content=content,
            name=self.filename,
            content_type="application/pdf",
            owner=self.contact,
        )

    @property
    def content(self) -> bytes:
        """The PDF's bytes (e.g. to attach it to an email)."""
        return self.document.read()

    @property
    def sha256(self) -> str:
        return self.document.sha256

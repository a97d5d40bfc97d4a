"""Forms of the subscription journey: the public bulletin, a member's further subscription,
and the staff forms of the request queue."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placette.contacts import communes
from placette.contacts.models import ConsentPurpose
from placette.contacts.services import consent_purpose_offered
from placette.lib.dates import DateBoundsMixin
from placette.membership.models_requests import PaymentMethod, RequestStatus
from placette.membership.services import MAX_SHARES
from placette.membership.subscriptions import CONSENTS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _BootstrapMixin:
    def _style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            if isinstance(widget, forms.RadioSelect):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class _PaymentFields(forms.Form):
    """Shares, payment method, IBAN and consents: common to the two subscription forms."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    shares = forms.IntegerField(
        label="Nombre de parts",
        error_messages={
            "required": "Indiquez le nombre de parts souscrites.",
            "invalid": "Le nombre de parts doit être un nombre entier.",
        },
    )
    payment_method = forms.ChoiceField(
        label="Mode de paiement",
        choices=PaymentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez un mode de paiement."},
    )
    iban = forms.CharField(
        label="IBAN du compte à prélever",
        required=False,
        help_text="Seulement pour le prélèvement SEPA. Il n’apparaîtra que masqué.",
    )
    bic = forms.CharField(label="BIC", required=False, max_length=11)
    account_holder = forms.CharField(label="Titulaire du compte", required=False, max_length=200)
    consent_statutes = forms.BooleanField(
        label=CONSENTS["statutes"],
        error_messages={"required": "Vous devez avoir lu les statuts et y adhérer pour souscrire."},
    )
    consent_risk = forms.BooleanField(
        label=CONSENTS["risk"],
        error_messages={
            "required": "Vous devez reconnaître le risque de perte en capital pour souscrire."
        },
    )
    consent_data = forms.BooleanField(
        label=CONSENTS["data"],
        error_messages={
            "required": "Vous devez accepter le traitement de vos données pour souscrire."
        },
    )
    # Worded by the consent purpose (data): the words recorded as proof are the words shown.
    e_convocation = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        purpose = consent_purpose_offered(ConsentPurpose.AG_CONVOCATION)
        if purpose is None:
            del self.fields["e_convocation"]
        else:
            self.fields["e_convocation"].label = purpose.consent_text

    def clean_shares(self) -> int:
        shares = self.cleaned_data["shares"]
        if shares is None or shares <= 0:
            raise forms.ValidationError("Le nombre de parts doit être d’au moins 1.")
        if shares > MAX_SHARES:
            raise forms.ValidationError(f"Le nombre de parts ne peut pas dépasser {MAX_SHARES}.")
        return shares

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("payment_method") == PaymentMethod.SEPA:
            if not data.get("iban", "").strip():
                self.add_error("iban", "Indiquez l’IBAN du compte à prélever.")
            if not data.get("account_holder", "").strip():
                self.add_error("account_holder", "Indiquez le titulaire du compte à prélever.")
        return data

    def consents_given(self) -> list[str]:
        return [key for key in CONSENTS if self.cleaned_data.get(f"consent_{key}")]


class SubscriptionForm(_BootstrapMixin, _PaymentFields):
    """The public bulletin de souscription."""

    subscriber_kind = forms.ChoiceField(
        label="Vous souscrivez",
        choices=[("person", "en votre nom"), ("organisation", "pour une personne morale")],
        widget=forms.RadioSelect,
        initial="person",
    )
    organisation_name = forms.CharField(label="Raison sociale", required=False, max_length=200)
    siren = forms.CharField(label="SIREN", required=False, max_length=11)
    representative_role = forms.CharField(
        label="Votre qualité (gérant·e, président·e…)", required=False, max_length=100
    )
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    email = forms.EmailField(
        label="Adresse e-mail",
        error_messages={"invalid": "Saisissez une adresse e-mail valide."},
    )
    phone = forms.CharField(label="Téléphone", required=False, max_length=30)
    address_line1 = forms.CharField(label="Adresse", max_length=200)
    postcode = forms.CharField(label="Code postal", max_length=5)
    commune = forms.CharField(label="Commune", max_length=100)
    tax_resident_fr = forms.BooleanField(
        label="Je suis domicilié(e) fiscalement en France (pour recevoir l’état individuel "
        "de réduction d’impôt IR-PME)",
        required=False,
    )
    category = forms.ModelChoiceField(
        label="Catégorie d’associé",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choisissez une catégorie d’associé."},
    )

    field_order = [
        "form_token",
        "subscriber_kind",
        "organisation_name",
        "siren",
        "representative_role",
        "first_name",
        "last_name",
        "email",
        "phone",
        "address_line1",
        "postcode",
        "commune",
        "tax_resident_fr",
        "category",
        "shares",
    ]

    def __init__(self, *args: Any, categories: Any, share_value: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.share_value = share_value
        self.fields["shares"].widget.attrs.update({"min": 1, "data-share-value": share_value})
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("subscriber_kind") == "organisation":
            if not data.get("organisation_name", "").strip():
                self.add_error("organisation_name", "Indiquez la raison sociale.")
            siren = re.sub(r"\s", "", data.get("siren", ""))
            if siren and not re.fullmatch(r"\d{9}", siren):
                self.add_error("siren", "Le SIREN compte 9 chiffres.")
            data["siren"] = siren
        postcode = data.get("postcode", "").strip()
        if postcode and data.get("commune"):
            found = communes.commune_resolve(postcode, data["commune"])
            if found is None:
                self.add_error(
                    "commune",
                    "Commune introuvable pour ce code postal : vérifiez l’orthographe.",
                )
            else:
                data["commune_code"] = found.code
        return data

    def person_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "email": data["email"].strip(),
            "phone": data.get("phone", "").strip(),
            "address_line1": data["address_line1"].strip(),
            "postcode": data["postcode"].strip(),
            "commune_code": data.get("commune_code", ""),
        }

    def organisation_data(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if data.get("subscriber_kind") != "organisation":
            return None
        return {
            "organisation_name": data["organisation_name"].strip(),
            "siren": data.get("siren", ""),
            "email": data["email"].strip(),
            "address_line1": data["address_line1"].strip(),
            "postcode": data["postcode"].strip(),
            "commune_code": data.get("commune_code", ""),
        }


class PaperBulletinForm(DateBoundsMixin, SubscriptionForm):
    """A signed paper bulletin entered by staff, with its scan (any category of the statutes;
    the boxes record what the subscriber ticked and signed)."""

    past_dates = ("signed_on",)

    signed_on = forms.DateField(
        label="Bulletin signé le", widget=forms.DateInput(attrs={"type": "date"})
    )
    scan = forms.FileField(label="Bulletin numérisé (PDF ou image)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False
        self.fields[
            "tax_resident_fr"
        ].label = "Le souscripteur se déclare domicilié fiscalement en France (état IR-PME)"
        self._style()

    def clean_signed_on(self) -> Any:
        from django.utils import timezone

        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError("La date de signature ne peut pas être dans le futur.")
        return signed_on


class MoreSharesForm(_BootstrapMixin, _PaymentFields):
    """A member subscribes further shares in their category (identity already known)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shares"].widget.attrs["min"] = 1
        self._style()


class RefundForm(_BootstrapMixin, forms.Form):
    shares = forms.IntegerField(
        label="Nombre de parts à faire rembourser",
        min_value=1,
        max_value=MAX_SHARES,
        error_messages={
            "min_value": "Le nombre de parts doit être d’au moins 1.",
            "max_value": "Le nombre de parts ne peut pas dépasser %(limit_value)s.",
        },
    )
    note = forms.CharField(label="Commentaire (facultatif)", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


# --------------------------------------------------------------------------------------------
# Staff
# --------------------------------------------------------------------------------------------


class RequestFilterForm(_BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label="État", required=False, choices=[("", "Toutes"), *RequestStatus.choices]
    )
    q = forms.CharField(label="Référence ou nom", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def filter(self, queryset: Any) -> Any:
        if not self.is_valid():
            return queryset
        if self.cleaned_data["status"]:
            queryset = queryset.filter(status=self.cleaned_data["status"])
        text = self.cleaned_data["q"].strip()
        if text:
            from django.db.models import Q

            from placette.lib.text import normalize

            queryset = queryset.filter(
                Q(reference__icontains=text) | Q(contact__search_text__contains=normalize(text))
            )
        return queryset


class PaymentRecordForm(DateBoundsMixin, _BootstrapMixin, forms.Form):
    past_dates = ("paid_on",)

    amount = forms.DecimalField(
        label="Montant reçu (€)",
        max_digits=14,
        decimal_places=2,
        min_value=0.01,
        localize=True,
        error_messages={"min_value": "Le montant reçu doit être positif."},
    )
    paid_on = forms.DateField(label="Date du paiement", widget=DATE, initial=timezone.localdate)
    method = forms.ChoiceField(label="Mode", choices=PaymentMethod.choices)
    reference = forms.CharField(
        label="Référence (n° de chèque, libellé…)", required=False, max_length=200
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class RefuseForm(_BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label="Motif du refus (envoyé au souscripteur)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez le motif du refus : il est envoyé au souscripteur."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class BankStatementForm(_BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="Relevé bancaire (CSV : date;libellé;montant)",
        error_messages={"required": "Choisissez un fichier CSV."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def clean_file(self) -> Any:
        from placette.membership.subscriptions import BANK_STATEMENT_MAX_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > BANK_STATEMENT_MAX_BYTES:
            raise forms.ValidationError(
                f"Le relevé dépasse {BANK_STATEMENT_MAX_BYTES // 1_000_000} Mo : exportez une "
                "période plus courte."
            )
        return upload


class SettingsForm(_BootstrapMixin, forms.ModelForm):
    class Meta:
        from placette.membership.models_requests import SubscriptionSettings

        model = SubscriptionSettings
        fields = [
            "account_holder",
            "iban",
            "bic",
            "cheque_payable_to",
            "cheque_address",
            "sepa_creditor_id",
            "company_object",
            "company_seat",
            "siren",
            "esus_reference",
            "fec_journal_code",
            "fec_journal_label",
            "fec_account_bank",
            "fec_account_capital_unpaid",
            "fec_account_capital_paid",
            "fec_account_called_unpaid",
            "fec_account_received",
            "fec_account_to_refund",
            "fec_account_losses",
        ]
        widgets = {
            "cheque_address": forms.Textarea(attrs={"rows": 2}),
            "company_object": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name.startswith("fec_"):  # left empty: the usual account (plan comptable)
                field.required = False
                field.help_text = _("Vide : %(default)s.") % {"default": self._default(name)}
        self._style()

    def _default(self, name: str) -> str:
        return str(self._meta.model._meta.get_field(name).get_default())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in self.fields:
            if name.startswith("fec_") and not data.get(name):
                data[name] = self._default(name)
        return data


class TaxBatchForm(_BootstrapMixin, forms.Form):
    year = forms.IntegerField(label="Année des versements", min_value=2000, max_value=2100)
    conditions_met = forms.BooleanField(
        label="La coopérative remplit les conditions d’éligibilité de l’article 199 terdecies-0 A "
        "du CGI pour cette année (attesté sur chaque état individuel).",
        error_messages={"required": "Cochez l’attestation des conditions d’éligibilité."},
    )
    send = forms.BooleanField(label="Envoyer les états par e-mail", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class TaxYearForm(DateBoundsMixin, _BootstrapMixin, forms.ModelForm):
    far_dates = ("esus_until",)

    class Meta:
        from placette.membership.models import TaxYear

        model = TaxYear
        fields = [
            "rate_percent",
            "ceiling_single",
            "ceiling_couple",
            "company_eligible",
            "real_estate",
            "esus_reference",
            "esus_from",
            "esus_until",
            "holding_years",
            "clawback_years",
            "signatory_name",
            "signatory_role",
            "note",
        ]
        widgets = {
            "esus_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "esus_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

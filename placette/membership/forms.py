import uuid

from django import forms
from django.utils import timezone

from placette.contacts.models import Contact
from placette.lib.dates import DateBoundsMixin
from placette.lib.refusals import constraint_message
from placette.membership.models import (
    Category,
    College,
    Instrument,
    InstrumentHolding,
    LegalForm,
    Statutes,
)
from placette.membership.services import MAX_SHARES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _contact_field(label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Contact.objects.all(),
        widget=forms.NumberInput(attrs={"placeholder": "n° de fiche contact"}),
        error_messages={
            "invalid_choice": "Aucune fiche contact ne porte ce numéro : personne inconnue.",
            "required": "Choisissez une fiche contact existante.",
        },
    )


class BookingForm(DateBoundsMixin, forms.Form):
    """Every booking form carries a one-time key: a second submission books nothing more."""

    past_dates = ("on",)

    key = forms.CharField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(label="Date de valeur", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("key", uuid.uuid4().hex)
            self.initial.setdefault("on", timezone.localdate())

    def idempotency_key(self) -> str | None:
        key = self.cleaned_data.get("key") or ""
        return f"form-{key}" if key.isalnum() else None


TOO_MANY_SHARES = {"max_value": "Le nombre de parts ne peut pas dépasser %(limit_value)s."}


class SubscribeForm(BookingForm):
    shares = forms.IntegerField(
        label="Nombre de parts", max_value=MAX_SHARES, error_messages=TOO_MANY_SHARES
    )
    paid = forms.DecimalField(
        label="Montant libéré (€)",
        required=False,
        min_value=0,
        decimal_places=2,
        help_text="Laisser vide si la souscription est entièrement libérée.",
    )
    category = forms.ModelChoiceField(
        label="Catégorie (nouveau sociétaire)",
        queryset=Category.objects.all(),
        required=False,
    )
    reference = forms.CharField(
        label="Référence (bulletin, virement)", required=False, max_length=100
    )


class PaymentForm(BookingForm):
    amount = forms.DecimalField(label="Montant versé (€)", decimal_places=2)
    reference = forms.CharField(label="Référence du versement", required=False, max_length=100)


class TransferForm(BookingForm):
    kind = forms.ChoiceField(
        label="Nature", choices=[("transfer", "Cession"), ("gift", "Donation")]
    )
    receiver = _contact_field("Bénéficiaire")
    shares = forms.IntegerField(
        label="Nombre de parts", max_value=MAX_SHARES, error_messages=TOO_MANY_SHARES
    )
    category = forms.ModelChoiceField(
        label="Catégorie du bénéficiaire (s’il n’est pas sociétaire)",
        queryset=Category.objects.all(),
        required=False,
    )
    note = forms.CharField(label="Observation", required=False, max_length=300)


class RefundRequestForm(BookingForm):
    shares = forms.IntegerField(
        label="Nombre de parts à rembourser", max_value=MAX_SHARES, error_messages=TOO_MANY_SHARES
    )
    note = forms.CharField(label="Motif", required=False, max_length=200)


class CategoryChangeForm(DateBoundsMixin, forms.Form):
    """Staff move a member to another category from a date (a board decision, a new job…)."""

    past_dates = ("effective_on",)

    category = forms.ModelChoiceField(label="Nouvelle catégorie", queryset=Category.objects.all())
    effective_on = forms.DateField(label="À compter du", widget=DATE)
    reason = forms.CharField(label="Motif", max_length=300)
    decision = forms.CharField(label="Décision (référence du PV)", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("effective_on", timezone.localdate())


class RefundDecisionForm(BookingForm):
    accepted = forms.TypedChoiceField(
        label="Décision du conseil",
        choices=[("1", "Accepter"), ("0", "Refuser")],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label="Motif / référence du PV", required=False, max_length=300)


class RefundPaymentForm(BookingForm):
    past_dates = ("on", "ago_on")

    ago_on = forms.DateField(
        label="Date de l’AGO qui a approuvé les comptes", widget=DATE, required=False
    )
    reference = forms.CharField(label="Référence du virement", required=False, max_length=100)


class AccountsApprovalForm(DateBoundsMixin, forms.Form):
    past_dates = ("approved_on",)

    year = forms.IntegerField(label="Exercice", min_value=2000, max_value=2100)
    meeting = forms.ChoiceField(label="AGO (gouvernance)", required=False)
    approved_on = forms.DateField(
        label="ou date d’une AGO antérieure à Placette", widget=DATE, required=False
    )
    minutes_reference = forms.CharField(
        label="et référence de son procès-verbal", required=False, max_length=200
    )
    result = forms.DecimalField(
        label="Résultat approuvé (€, négatif : perte)",
        required=False,
        max_digits=14,
        decimal_places=2,
        localize=True,
    )

    def __init__(self, *args, meetings=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [("", "—")] + [
            (str(m.id), f"{m.title} ({m.held_on:%d/%m/%Y})") for m in meetings
        ]


class CancelForm(BookingForm):
    reason = forms.CharField(label="Motif de l’annulation", max_length=300)


class DateForm(DateBoundsMixin, forms.Form):
    date = forms.DateField(label="Au", widget=DATE, required=False)

    def on(self):
        if self.is_valid() and self.cleaned_data["date"]:
            return self.cleaned_data["date"]
        return timezone.localdate()


class PeriodForm(DateBoundsMixin, forms.Form):
    start = forms.DateField(label="Du", widget=DATE)
    end = forms.DateField(label="Au", widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("La date de début est après la date de fin.")
        return data


class StatutesForm(DateBoundsMixin, forms.ModelForm):
    effective_from = forms.DateField(label="En vigueur à partir du", widget=DATE)
    reason = forms.CharField(label="Motif du changement (AGE, décision…)", max_length=300)

    class Meta:
        model = Statutes
        fields = [
            "effective_from",
            "reason",
            "coop_name",
            "legal_form",
            "share_value",
            "membership_start",
            "min_paid_percent",
            "balance_delay_months",
            "floor_percent",
            "floor_amount",
            "refund_after_ago",
            "refund_min_delay_months",
            "refund_max_delay_months",
            "refund_reduced_by_losses",
            "local_authorities_cap_percent",
            "colleges_enabled",
            "empty_college_policy",
            "min_colleges",
            "min_college_percent",
            "max_college_percent",
            "ir_pme_holding_years",
            "growth_target",
            "growth_target_year",
            "notice_days_first_call",
            "notice_days_second_call",
            "board_notice_days",
            "proxy_cap",
            "chair_casting_vote",
            "remote_counts_for_quorum",
            "share_interest_allowed",
            "sas_quorum_as",
            "seat",
            "registration",
            "paper_form_days",
            "electronic_deadline_hour",
            "written_questions_days",
            "board_blank_proxies",
            "board_remote_votes",
        ]
        widgets = {"legal_form": forms.Select(choices=LegalForm.choices)}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):  # « 25,00 », not « 25.00 »
                field.localize = True
                field.widget.is_localized = True

    # The database constraints of the statutes, said on their field (no raw constraint name).
    BOUNDS = {
        "share_value": ("statutes_share_value", lambda v: v > 0),
        "min_paid_percent": ("statutes_min_paid_quarter", lambda v: 25 <= v <= 100),
        "balance_delay_months": ("statutes_balance_5_years", lambda v: v <= 60),
        "floor_percent": ("statutes_floor_quarter", lambda v: 25 <= v <= 100),
        "local_authorities_cap_percent": ("statutes_authorities_cap", lambda v: 0 < v <= 50),
    }

    def clean(self):
        data = super().clean()
        for name, (constraint, sane) in self.BOUNDS.items():
            value = data.get(name)
            if value is not None and not sane(value):
                self.add_error(name, constraint_message(Statutes, constraint))
        return data


class FecForm(PeriodForm):
    encoding = forms.ChoiceField(
        label="Encodage",
        choices=[("iso-8859-15", "ISO 8859-15 (Latin-9)"), ("utf-8", "UTF-8")],
        initial="iso-8859-15",
        help_text="Les deux sont admis ; en UTF-8, signalez-le à l’administration fiscale.",
    )


class CategoryRuleForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.all(), widget=forms.HiddenInput)
    included = forms.BooleanField(label="Prévue", required=False)
    min_shares = forms.IntegerField(label="Minimum de parts", min_value=1, initial=1)
    max_shares = forms.IntegerField(label="Maximum", min_value=1, required=False)
    college = forms.ModelChoiceField(
        label="Collège", queryset=College.objects.all(), required=False
    )
    open_to_public = forms.BooleanField(label="Souscription en ligne", required=False)


class CollegeWeightForm(forms.Form):
    college = forms.ModelChoiceField(queryset=College.objects.all(), widget=forms.HiddenInput)
    weight_percent = forms.DecimalField(
        label="Poids (%)",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=4,
        localize=True,
    )


CategoryRuleFormSet = forms.formset_factory(CategoryRuleForm, extra=0)
CollegeWeightFormSet = forms.formset_factory(CollegeWeightForm, extra=0)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["code", "name", "is_employees", "is_beneficiaries", "is_local_authorities"]


class CollegeForm(forms.ModelForm):
    class Meta:
        model = College
        fields = ["code", "name"]


class ImportForm(forms.Form):
    file = forms.FileField(label="Fichier CSV ou Excel (.xlsx)")
    expected_shares = forms.IntegerField(
        label="Nombre total de parts attendu après import", required=False, min_value=0
    )
    expected_capital = forms.DecimalField(
        label="Capital souscrit attendu après import (€)",
        required=False,
        max_digits=14,
        decimal_places=2,
    )

    def clean_file(self):
        from placette.membership.importing import MAX_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"Le fichier dépasse {MAX_BYTES // 1_000_000} Mo : découpez le registre en "
                "plusieurs fichiers."
            )
        return upload


class InstrumentForm(DateBoundsMixin, forms.ModelForm):
    class Meta:
        model = Instrument
        fields = [
            "kind",
            "name",
            "unit_value",
            "rate_percent",
            "duration_months",
            "issued_on",
            "note",
        ]
        widgets = {"issued_on": DATE}


class InstrumentHoldingForm(DateBoundsMixin, forms.ModelForm):
    past_dates = ("subscribed_on",)

    holder = _contact_field("Investisseur")

    class Meta:
        model = InstrumentHolding
        fields = ["holder", "units", "amount", "subscribed_on"]
        widgets = {"subscribed_on": DATE}

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(
                constraint_message(InstrumentHolding, "instrument_amount_positive")
            )
        return amount

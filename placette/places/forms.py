import datetime as dt
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placette.contacts import communes
from placette.contacts.models import Contact, ContactKind, OrganisationKind
from placette.lib.dates import DateBoundsMixin
from placette.lib.documents import DocumentFileField
from placette.places.models import (
    Activity,
    CriteriaVersion,
    DecisionBody,
    DecisionOutcome,
    DocumentKind,
    FinancingLine,
    IndexValue,
    Lease,
    Operation,
    PaymentMethod,
    Place,
    PlaceKind,
    PlaceStatus,
)

TENANT_KINDS = [
    OrganisationKind.ASSOCIATION,
    OrganisationKind.ESS,
    OrganisationKind.COMPANY,
    OrganisationKind.OTHER,
]
FUNDER_KINDS = [
    OrganisationKind.BANK,
    OrganisationKind.FOUNDATION,
    OrganisationKind.PUBLIC_FUNDER,
    OrganisationKind.COMMUNE,
    OrganisationKind.EPCI,
    OrganisationKind.DEPARTEMENT,
    OrganisationKind.REGION,
    OrganisationKind.OTHER,
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LocalizedDecimalsMixin:
    """Decimal fields accept the French comma (« 1200,50 ») and show French formatting."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.DecimalField):
                field.localize = True
                field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
                field.widget.is_localized = True


class NotNegativeMixin(LocalizedDecimalsMixin):
    """A clear French message on each negative amount or surface (the database refuses them
    too, through CheckConstraints)."""

    not_negative: tuple[str, ...] = ()
    zero_when_blank: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.zero_when_blank:
            self.fields[name].required = False  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()  # type: ignore[misc]
        for name in self.zero_when_blank:
            if data.get(name) is None and name not in self.errors:  # type: ignore[attr-defined]
                data[name] = Decimal(0)
        for name in self.not_negative:
            value = data.get(name)
            if value is not None and value < 0:
                label = self.fields[name].label  # type: ignore[attr-defined]
                self.add_error(
                    name, _("« %(label)s » ne peut pas être négatif.") % {"label": label}
                )  # type: ignore[attr-defined]
        return data


class PlaceForm(LocalizedDecimalsMixin, forms.ModelForm):
    commune = forms.CharField(
        label=_("Commune"),
        help_text=_("Saisissez le code postal puis choisissez la commune proposée."),
        widget=forms.TextInput(attrs={"list": "communes-list", "autocomplete": "off"}),
    )

    class Meta:
        model = Place
        fields = [
            "name",
            "kind",
            "address_line1",
            "postcode",
            "latitude",
            "longitude",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "latitude": "Facultatif, degrés décimaux (ex. 44,6982) : le lieu paraît sur la carte.",
            "longitude": "Facultatif, en degrés décimaux (ex. 5,1937).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postcode"].required = True
        self.fields["postcode"].widget.attrs.update(
            {"inputmode": "numeric", "pattern": "[0-9]{5}", "maxlength": "5"}
        )
        if self.instance.pk:
            self.fields["commune"].initial = self.instance.commune_name

    def clean(self):
        data = super().clean()
        postcode, name = data.get("postcode", ""), data.get("commune", "").strip()
        data["commune_code"] = ""
        if postcode and not (postcode.isdigit() and len(postcode) == 5):
            self.add_error("postcode", _("Un code postal compte 5 chiffres."))
        elif postcode:
            found = communes.commune_resolve(postcode, name)
            if found is None:
                known = ", ".join(c.name for c in communes.communes_for_postcode(postcode)[:8])
                hint = (
                    (_(" Communes de ce code postal : %(known)s.") % {"known": known})
                    if known
                    else ""
                )
                self.add_error(
                    "commune",
                    _("Commune inconnue : « %(name)s » avec le code postal %(postcode)s.%(hint)s")
                    % {"name": name or "—", "postcode": postcode, "hint": hint},
                )
            else:
                data["commune_code"] = found.code
        for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
            value = data.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(
                    name,
                    _("La %(name)s va de %(low)s à %(high)s degrés.")
                    % {"name": name, "low": low, "high": high},
                )
        return data

    def place_data(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in self.Meta.fields}
        data["commune_code"] = self.cleaned_data["commune_code"]
        return data


class PlaceCreateForm(DateBoundsMixin, PlaceForm):
    past_dates = ("decided_on",)

    status = forms.ChoiceField(label=_("Étape"), choices=PlaceStatus.choices)
    decided_on = forms.DateField(label=_("Date de l’étape"), widget=DateInput())
    decided_by = forms.CharField(
        label=_("Décidé par"),
        max_length=200,
        help_text=_("Ex. « Comité d’investissement », « Conseil d’administration du 12/03/2025 »."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class StatusChangeForm(DateBoundsMixin, forms.Form):
    past_dates = ("decided_on",)

    status = forms.ChoiceField(label=_("Nouvelle étape"), choices=PlaceStatus.choices)
    decided_on = forms.DateField(label=_("Date"), widget=DateInput())
    decided_by = forms.CharField(label=_("Décidé par"), max_length=200)
    note = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_decided_on(self) -> dt.date:
        value = self.cleaned_data["decided_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                _("Une étape se date au jour de la décision : pas de date future.")
            )
        return value


class OperationForm(DateBoundsMixin, NotNegativeMixin, forms.ModelForm):
    not_negative = (
        "price",
        "notary_fees",
        "works_budget",
        "works_cost",
        "land_area",
        "built_area",
        "renovated_area",
        "sale_price",
    )
    zero_when_blank = (
        "price",
        "notary_fees",
        "works_budget",
        "land_area",
        "built_area",
        "renovated_area",
    )

    class Meta:
        model = Operation
        fields = [
            "acquired_on",
            "price",
            "notary_fees",
            "works_budget",
            "works_cost",
            "works_started_on",
            "works_ended_on",
            "land_area",
            "built_area",
            "renovated_area",
            "sold_on",
            "sale_price",
        ]
        widgets = {
            "acquired_on": DateInput(),
            "works_started_on": DateInput(),
            "works_ended_on": DateInput(),
            "sold_on": DateInput(),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("works_started_on"), data.get("works_ended_on")
        if start and end and end < start:
            self.add_error("works_ended_on", _("La fin des travaux précède leur début."))
        return data


class FinancingLineForm(DateBoundsMixin, LocalizedDecimalsMixin, forms.ModelForm):
    class Meta:
        model = FinancingLine
        fields = ["source", "funder", "amount", "secured_on", "note"]
        widgets = {"secured_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = Contact.objects.filter(
            kind=ContactKind.ORGANISATION, org_kind__in=FUNDER_KINDS
        )
        self.fields["funder"].empty_label = "— (capital citoyen, autre)"
        self.fields["secured_on"].initial = timezone.localdate()

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(
                _("Le montant d’une source de financement doit être positif.")
            )
        return amount


class ActivityForm(DateBoundsMixin, NotNegativeMixin, forms.ModelForm):
    not_negative = ("jobs_fte",)
    zero_when_blank = ("jobs_fte",)

    class Meta:
        model = Activity
        fields = [
            "tenant",
            "name",
            "kind",
            "opened_on",
            "closed_on",
            "jobs_fte",
            "opening_hours",
            "contact_person",
        ]
        widgets = {"opened_on": DateInput(), "closed_on": DateInput()}
        help_texts = {
            "tenant": "La structure qui exploite le lieu (fiche organisation des contacts)."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.tenant_id if self.instance.pk else None
        self.fields["tenant"].queryset = Contact.objects.filter(
            Q(kind=ContactKind.ORGANISATION, org_kind__in=TENANT_KINDS) | Q(pk=current)
        )
        self.fields["contact_person"].queryset = Contact.objects.filter(
            kind=ContactKind.PERSON, affiliations__organisation__org_kind__in=TENANT_KINDS
        ).distinct()

    def clean(self):
        data = super().clean()
        opened, closed = data.get("opened_on"), data.get("closed_on")
        if opened and closed and closed < opened:
            self.add_error("closed_on", _("La fermeture précède l’ouverture."))
        return data


class LeaseForm(DateBoundsMixin, NotNegativeMixin, forms.ModelForm):
    past_dates = ("signed_on",)
    far_dates = ("ends_on",)

    not_negative = ("initial_rent", "charges", "deposit")
    zero_when_blank = ("charges", "deposit")

    class Meta:
        model = Lease
        fields = [
            "kind",
            "starts_on",
            "ends_on",
            "signed_on",
            "initial_rent",
            "charges",
            "deposit",
            "index_kind",
            "index_year",
            "index_quarter",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "signed_on": DateInput(),
            "index_quarter": forms.Select(
                choices=[
                    (1, "1er trimestre"),
                    (2, "2e trimestre"),
                    (3, "3e trimestre"),
                    (4, "4e trimestre"),
                ]
            ),
        }
        help_texts = {
            "index_year": "L’indice de référence nommé au bail (le dernier publié à la signature).",
        }

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error(
                "ends_on",
                _("Le bail se termine le %(ends)s, avant de commencer le %(starts)s.")
                % {"ends": f"{ends:%d/%m/%Y}", "starts": f"{starts:%d/%m/%Y}"},
            )
        return data


class RevisionForm(DateBoundsMixin, forms.Form):
    effective_on = forms.DateField(label=_("Date d’effet de la révision"), widget=DateInput())


class IndexValueForm(DateBoundsMixin, LocalizedDecimalsMixin, forms.ModelForm):
    past_dates = ("published_on",)

    class Meta:
        model = IndexValue
        fields = ["kind", "year", "quarter", "value", "published_on"]
        widgets = {
            "published_on": DateInput(),
            "quarter": forms.Select(choices=[(1, "T1"), (2, "T2"), (3, "T3"), (4, "T4")]),
        }

    def validate_unique(self):
        # An existing value is replaced (with an audit entry) by the service.
        pass

    def validate_constraints(self, exclude=None):
        pass

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("La valeur d’un indice est strictement positive."))
        return value


class IndexImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_("Colonnes : indice;annee;trimestre;valeur (et facultativement publication)."),
    )


class PaymentForm(DateBoundsMixin, LocalizedDecimalsMixin, forms.Form):
    amount = forms.DecimalField(label=_("Montant (€)"), max_digits=14, decimal_places=2)
    paid_on = forms.DateField(label=_("Date"), widget=DateInput())
    method = forms.ChoiceField(label=_("Moyen"), choices=PaymentMethod.choices)

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("Le montant d’un paiement doit être positif."))
        return amount

    def clean_paid_on(self) -> dt.date:
        day = self.cleaned_data["paid_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("Un paiement se date au jour où il est reçu : pas de date future.")
            )
        return day


class EventForm(DateBoundsMixin, forms.Form):
    past_dates = ("happened_on",)

    happened_on = forms.DateField(label=_("Date"), widget=DateInput())
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = forms.CharField(
        label=_("Détail"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Titre"), max_length=200)
    file = DocumentFileField(label=_("Fichier"))


class PlaceFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False)
    department = forms.ChoiceField(label=_("Département"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", "Tous"), *list(PlaceKind.choices)]
    )
    status = forms.ChoiceField(
        label=_("Étape"), required=False, choices=[("", "Toutes"), *list(PlaceStatus.choices)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "Tous")] + [
            (code, f"{code} — {name}") for code, name in communes.departments().items()
        ]

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            for word in data["q"].split():
                queryset = queryset.filter(
                    Q(name__icontains=word) | Q(commune_name__icontains=word)
                )
        if data["department"]:
            queryset = queryset.filter(department_code=data["department"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        return queryset


class FiguresDateForm(DateBoundsMixin, forms.Form):
    date = forms.DateField(label=_("À la date du"), required=False, widget=DateInput())


class SettingsForm(forms.Form):
    network_goal = forms.IntegerField(label=_("Objectif du réseau (nombre de lieux)"), min_value=1)
    goal_year = forms.IntegerField(label=_("Année visée"), required=False, min_value=2000)


class CriterionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(label=_("Critère"), max_length=200, required=False)
    description = forms.CharField(label=_("Précision"), max_length=500, required=False)
    weight = forms.IntegerField(
        label=_("Poids"),
        min_value=1,
        max_value=10,
        required=False,
        error_messages={
            "min_value": "Le poids va de 1 à 10.",
            "max_value": "Le poids va de 1 à 10.",
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("label") and not data.get("DELETE") and data.get("weight") is None:
            self.add_error("weight", _("Indiquez le poids du critère (1 à 10)."))
        return data


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True)


class CriteriaNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Commentaire de la version"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CriteriaPublishForm(DateBoundsMixin, forms.Form):
    past_dates = ("adopted_on",)

    adopted_on = forms.DateField(label=_("Adoptée le"), required=False, widget=DateInput())
    adopted_by = forms.CharField(
        label=_("Adoptée par (consultation, AG, CA…)"), required=False, max_length=200
    )
    adopted_meeting = forms.ModelChoiceField(
        label=_("Séance (instances)"), required=False, queryset=None, empty_label=_("—")
    )

    def __init__(self, *args, **kwargs):
        from placette.governance.models import Meeting

        super().__init__(*args, **kwargs)
        self.fields["adopted_meeting"].queryset = Meeting.objects.order_by("-starts_at")


class ScoringForm(DateBoundsMixin, forms.Form):
    """One 0–5 field per criterion of the version in force."""

    past_dates = ("scored_on",)

    scored_on = forms.DateField(label=_("Notée le"), widget=DateInput())
    origin = forms.CharField(
        label=_("Origine du projet"),
        required=False,
        max_length=200,
        help_text=_("Ex. mission d’étude, sollicitation de la commune, porteur de projet."),
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, version: CriteriaVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(version.criteria.all())
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=_("%(label)s (poids %(weight)s)")
                % {"label": criterion.label, "weight": criterion.weight},
                help_text=criterion.description,
                min_value=0,
                max_value=5,
                error_messages={
                    "min_value": "Une note va de 0 à 5.",
                    "max_value": "Une note va de 0 à 5.",
                    "required": "Notez ce critère (0 à 5).",
                },
            )
        # Criteria first, then date, origin and comment.
        names = [f"criterion_{c.pk}" for c in self.criteria]
        self.order_fields([*names, "scored_on", "origin", "comment"])

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class DecisionForm(DateBoundsMixin, forms.Form):
    decided_on = forms.DateField(label=_("Date de la décision"), widget=DateInput())
    body = forms.ChoiceField(label=_("Instance"), choices=DecisionBody.choices)
    decided_by = forms.CharField(
        label=_("Séance"), required=False, max_length=200, help_text=_("Ex. « CA du 12/03/2024 ».")
    )
    outcome = forms.ChoiceField(label=_("Décision"), choices=DecisionOutcome.choices)
    scoring = forms.ModelChoiceField(
        label=_("Notation examinée"), required=False, queryset=None, empty_label=_("—")
    )
    reason = forms.CharField(label=_("Motifs"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, place: Place, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scoring"].queryset = place.scorings.select_related("version")

    def clean_decided_on(self) -> dt.date:
        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Une décision se date au jour où elle est prise."))
        return day

"""Forms of the studies area. They read and shape the input; the rules (negative days, sent
quotes, remaining amounts, mission dates) are the services' refusals, shown on the fields."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placette.accounts.models import TEAM_ROLES, User
from placette.contacts.models import Contact, ContactKind
from placette.lib.dates import DateBoundsMixin
from placette.lib.documents import DocumentFileField
from placette.places.models import Place
from placette.studies.models import (
    LineKind,
    MilestoneKind,
    MissionTemplate,
    Quote,
    RequestStatus,
    StudiesSettings,
    StudyRequest,
    StudyRole,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FrenchDecimals:
    """Decimal fields accept the French comma (« 650,50 »)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.DecimalField):
                field.localize = True
                field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
                field.widget.is_localized = True


def _date(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


def team_users():
    return User.objects.filter(is_active=True, role__in=TEAM_ROLES).order_by("display_name", "id")


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name or obj.email


class RequestForm(DateBoundsMixin, forms.ModelForm):
    past_dates = ("received_on",)

    contact = forms.ModelChoiceField(
        label=_("Demandeur (collectivité, porteur de projet)"), queryset=Contact.objects.none()
    )
    received_on = _date(_("Reçue le"), initial=timezone.localdate)
    deadline = _date(_("Échéance de réponse"), required=False)
    owner = TeamChoiceField(
        label=_("Chargé·e d’études"), queryset=User.objects.none(), required=False
    )

    class Meta:
        model = StudyRequest
        fields = [
            "contact",
            "title",
            "need",
            "territory",
            "department_code",
            "source",
            "received_on",
            "deadline",
            "owner",
        ]
        widgets = {"need": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, contact_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        wanted = Q(kind=ContactKind.ORGANISATION)
        if contact_id:
            wanted |= Q(pk=contact_id)
        if self.instance.pk:
            wanted |= Q(pk=self.instance.contact_id)
        self.fields["contact"].queryset = Contact.objects.filter(wanted).order_by("name_key", "id")
        self.fields["owner"].queryset = team_users()
        if contact_id and not self.is_bound:
            self.initial["contact"] = contact_id
        if self.instance.pk:
            del self.fields["received_on"]
            self.fields["contact"].disabled = True


class RequestStatusForm(DateBoundsMixin, forms.Form):
    past_dates = ("on",)
    status = forms.ChoiceField(
        label=_("Nouveau statut"),
        choices=[
            (s.value, s.label)
            for s in (
                RequestStatus.NEW,
                RequestStatus.QUALIFIED,
                RequestStatus.LOST,
                RequestStatus.DROPPED,
            )
        ],
    )
    reason = forms.CharField(label=_("Motif"), max_length=300, required=False)
    on = _date(_("Depuis le"), initial=timezone.localdate)


class QuoteCreateForm(DateBoundsMixin, forms.Form):
    past_dates = ("created_on",)
    template = forms.ModelChoiceField(
        label=_("Partir de la mission type"),
        queryset=MissionTemplate.objects.filter(active=True),
        required=False,
        empty_label=_("— devis vierge —"),
    )
    title = forms.CharField(label=_("Intitulé"), max_length=200, required=False)
    created_on = _date(_("Date du devis"), initial=timezone.localdate)


class QuoteForm(DateBoundsMixin, FrenchDecimals, forms.ModelForm):
    valid_until = _date(_("Valable jusqu’au"))

    class Meta:
        model = Quote
        fields = [
            "title",
            "introduction",
            "valid_until",
            "vat_rate",
            "vat_exemption",
            "payment_terms",
            "buyer_siret",
            "buyer_service_code",
            "buyer_commitment",
        ]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "buyer_siret": _("Acheteur public : SIRET du service destinataire dans Chorus Pro."),
            "buyer_commitment": _("Numéro d’engagement juridique ou de bon de commande."),
        }


class QuotePhaseForm(forms.Form):
    name = forms.CharField(label=_("Phase"), max_length=200)
    description = forms.CharField(
        label=_("Contenu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deliverables = forms.CharField(
        label=_("Livrables (un par ligne)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuoteLineForm(FrenchDecimals, forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=LineKind.choices)
    phase = forms.TypedChoiceField(label=_("Phase"), required=False, coerce=int, empty_value=None)
    role = forms.ModelChoiceField(label=_("Rôle"), queryset=StudyRole.objects.all(), required=False)
    staff = TeamChoiceField(label=_("Intervenant·e"), queryset=User.objects.none(), required=False)
    label = forms.CharField(label=_("Libellé"), max_length=200, required=False)
    quantity = forms.DecimalField(label=_("Jours ou quantité"), max_digits=8, decimal_places=2)
    unit_price = forms.DecimalField(
        label=_("Prix unitaire ou de journée (€ HT)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Vide : le prix de journée du rôle."),
    )
    is_option = forms.BooleanField(label=_("En option"), required=False)

    def __init__(self, *args, quote=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = team_users()
        phases = list(quote.phases.all()) if quote is not None else []
        self.fields["phase"].choices = [("", _("— hors phase —"))] + [
            (p.pk, p.name) for p in phases
        ]


class QuoteSendForm(DateBoundsMixin, forms.Form):
    past_dates = ("sent_on",)
    sent_on = _date(_("Envoyé le"), initial=timezone.localdate)


class QuoteAcceptForm(DateBoundsMixin, forms.Form):
    past_dates = ("accepted_on",)
    accepted_on = _date(_("Accepté le"), initial=timezone.localdate)
    ends_on = _date(_("Fin prévue de la mission"), required=False)
    options = forms.TypedMultipleChoiceField(
        label=_("Options retenues"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, quote=None, **kwargs):
        super().__init__(*args, **kwargs)
        from placette.lib.money import euros

        self.fields["options"].choices = [
            (line.pk, f"{line.label} ({euros(line.net)} HT)")
            for line in (quote.lines.filter(is_option=True) if quote else [])
        ]
        if not self.fields["options"].choices:
            del self.fields["options"]


class QuoteRefuseForm(DateBoundsMixin, forms.Form):
    past_dates = ("refused_on",)
    refused_on = _date(_("Refusé le"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Motif"), max_length=300, required=False)


class MissionForm(DateBoundsMixin, forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    ends_on = _date(_("Fin prévue"))
    place = forms.ModelChoiceField(
        label=_("Lieu ou projet de la foncière"),
        queryset=Place.objects.order_by("name"),
        required=False,
        help_text=_("Une mission qui oriente un projet vers la foncière."),
    )


class TimeForm(DateBoundsMixin, forms.Form):
    past_dates = ("on",)
    staff = TeamChoiceField(label=_("Intervenant·e"), queryset=User.objects.none())
    on = _date(_("Date"), initial=timezone.localdate)
    half_days = forms.TypedChoiceField(
        label=_("Temps"),
        coerce=int,
        choices=[(1, _("une demi-journée")), (2, _("une journée"))],
    )
    phase = forms.TypedChoiceField(label=_("Phase"), required=False, coerce=int, empty_value=None)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, mission=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = team_users()
        phases = list(mission.phases.all()) if mission is not None else []
        self.fields["phase"].choices = [("", _("— sans phase —"))] + [
            (p.pk, p.name) for p in phases
        ]


class MilestoneForm(DateBoundsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=MilestoneKind.choices)
    name = forms.CharField(label=_("Intitulé"), max_length=200)
    on = _date(_("Date"))
    location = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    participants = forms.CharField(label=_("Participants"), required=False)
    done = forms.BooleanField(label=_("Réalisé"), required=False)


class MemberForm(FrenchDecimals, forms.Form):
    user = TeamChoiceField(label=_("Intervenant·e"), queryset=User.objects.none())
    planned_days = forms.DecimalField(label=_("Jours prévus"), max_digits=6, decimal_places=1)
    role = forms.ModelChoiceField(label=_("Rôle"), queryset=StudyRole.objects.all(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = team_users()


class MissionCloseForm(DateBoundsMixin, forms.Form):
    past_dates = ("closed_on",)
    closed_on = _date(_("Clôturée le"), initial=timezone.localdate)


class ScheduleItemForm(DateBoundsMixin, FrenchDecimals, forms.Form):
    label = forms.CharField(label=_("Échéance"), max_length=200)
    percent = forms.DecimalField(label=_("Part du montant (%)"), max_digits=5, decimal_places=2)
    planned_on = _date(_("Prévue le"))


class InvoiceForm(DateBoundsMixin, FrenchDecimals, forms.Form):
    past_dates = ("issued_on",)
    issued_on = _date(_("Date de facture"), initial=timezone.localdate)
    label = forms.CharField(label=_("Objet"), max_length=200, required=False)
    line_label = forms.CharField(label=_("Libellé de la ligne"), max_length=200)
    quantity = forms.DecimalField(
        label=_("Quantité"), max_digits=8, decimal_places=2, initial=Decimal(1)
    )
    amount = forms.DecimalField(label=_("Prix unitaire (€ HT)"), max_digits=12, decimal_places=2)


class FromScheduleForm(DateBoundsMixin, forms.Form):
    past_dates = ("issued_on",)
    issued_on = _date(_("Date de facture"), initial=timezone.localdate)


class PaymentForm(DateBoundsMixin, FrenchDecimals, forms.Form):
    past_dates = ("received_on",)
    received_on = _date(_("Reçu le"), initial=timezone.localdate)
    amount = forms.DecimalField(label=_("Montant reçu (€)"), max_digits=12, decimal_places=2)
    reference = forms.CharField(label=_("Référence"), max_length=200, required=False)


class CreditNoteForm(DateBoundsMixin, FrenchDecimals, forms.Form):
    past_dates = ("issued_on",)
    issued_on = _date(_("Date de l’avoir"), initial=timezone.localdate)
    amount = forms.DecimalField(
        label=_("Montant HT (vide : toute la facture)"),
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    reason = forms.CharField(label=_("Motif"), max_length=200)


class DeliverForm(DateBoundsMixin, forms.Form):
    past_dates = ("delivered_on",)
    delivered_on = _date(_("Remis le"), initial=timezone.localdate)
    file = DocumentFileField(label=_("Fichier"))


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TemplatePhaseForm(FrenchDecimals, forms.Form):
    name = forms.CharField(label=_("Phase"), max_length=200)
    description = forms.CharField(
        label=_("Contenu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deliverables = forms.CharField(
        label=_("Livrables (un par ligne)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, roles=(), **kwargs):
        self.roles = list(roles)
        super().__init__(*args, **kwargs)
        for role in self.roles:
            self.fields[f"role_{role.pk}"] = forms.DecimalField(
                label=_("Jours : %(role)s") % {"role": role.name},
                max_digits=6,
                decimal_places=1,
                required=False,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def days(self):
        return {role: self.cleaned_data.get(f"role_{role.pk}") for role in self.roles}


class RoleForm(FrenchDecimals, forms.Form):
    name = forms.CharField(label=_("Rôle"), max_length=100)
    daily_rate = forms.DecimalField(
        label=_("Prix de journée (€ HT)"), max_digits=12, decimal_places=2
    )


class SettingsForm(FrenchDecimals, forms.ModelForm):
    class Meta:
        model = StudiesSettings
        fields = [
            "seller_name",
            "seller_legal_form",
            "seller_address",
            "seller_postcode",
            "seller_city",
            "seller_siren",
            "seller_siret",
            "seller_vat_number",
            "seller_rcs",
            "seller_email",
            "iban",
            "bic",
            "vat_rate",
            "vat_exemption",
            "payment_days",
            "late_penalty",
            "recovery_indemnity",
            "quote_validity_days",
            "revenue_target",
            "days_target",
            "weekly_capacity_days",
        ]


class DashboardYearForm(forms.Form):
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100, required=False)

from django import forms
from django.utils.translation import gettext_lazy as _

from placette.impact.models import Dimension, Framework, Indicator, IndicatorKind, Respondent
from placette.impact.sources import source_choices
from placette.lib.dates import DateBoundsMixin
from placette.places.models import Place


class FrameworkCreateForm(forms.Form):
    ORIGINS = [
        ("starter", _("le référentiel de départ (24 indicateurs)")),
        ("empty", _("un référentiel vide")),
    ]
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    origin = forms.ChoiceField(label=_("Partir de"), choices=ORIGINS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        copies = [
            (f"copy-{f.pk}", _("une copie de %(f)s") % {"f": f}) for f in Framework.objects.all()
        ]
        self.fields["origin"].choices = copies + self.ORIGINS


class FrameworkImportForm(forms.Form):
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    file = forms.FileField(label=_("Fichier JSON ou CSV exporté"))


class DimensionForm(forms.Form):
    name = forms.CharField(label=_("Nouvelle dimension"), max_length=200)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class IndicatorForm(forms.ModelForm):
    respondents = forms.MultipleChoiceField(
        label=_("Qui répond"), choices=Respondent.choices, widget=forms.CheckboxSelectMultiple
    )
    source = forms.ChoiceField(label=_("Source calculée"), required=False)
    choices_text = forms.CharField(
        label=_("Choix proposés (un par ligne)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    items_text = forms.CharField(
        label=_("Questions de l’instrument (une par ligne)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    class Meta:
        model = Indicator
        fields = [
            "dimension",
            "label",
            "code",
            "kind",
            "unit",
            "nature",
            "item_min",
            "item_max",
            "threshold",
            "optional",
            "notes",
        ]

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = Dimension.objects.filter(framework=framework)
        self.fields["kind"].choices = IndicatorKind.choices
        self.fields["source"].choices = source_choices()
        self.fields["code"].required = False

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["choices"] = _lines(data.pop("choices_text"))
        data["items"] = _lines(data.pop("items_text"))
        data["source"] = data.get("source") or ""
        return data


class CampaignForm(DateBoundsMixin, forms.Form):
    framework = forms.ModelChoiceField(label=_("Référentiel"), queryset=Framework.objects.all())
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    opens_on = forms.DateField(label=_("Ouverture"), widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(
        label=_("Date limite des réponses"), widget=forms.DateInput(attrs={"type": "date"})
    )
    places = forms.ModelMultipleChoiceField(
        label=_("Lieux"),
        queryset=Place.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    inhabitants = forms.BooleanField(
        label=_("Questionnaire habitants"), required=False, initial=True
    )
    reminder_days = forms.IntegerField(
        label=_("Relancer au plus tous les (jours)"), min_value=1, max_value=60, initial=7
    )

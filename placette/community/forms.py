from django import forms
from django.utils.translation import gettext_lazy as _

from placette.community.models import Event, EventKind
from placette.contacts.models import Contact
from placette.lib.dates import DateBoundsMixin
from placette.places.models import Place


class EventForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=EventKind.choices)
    summary = forms.CharField(
        label=_("Présentation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SessionForm(DateBoundsMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Début"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Fin"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100000)
    place = forms.ModelChoiceField(
        label=_("Lieu de la coopérative"), queryset=Place.objects.order_by("name"), required=False
    )
    location = forms.CharField(label=_("Adresse ou salle"), max_length=200, required=False)


class StaffRegistrationForm(forms.Form):
    contact = forms.ModelChoiceField(
        label=_("N° de fiche du contact"),
        queryset=Contact.objects.all(),
        widget=forms.NumberInput,
        error_messages={"invalid_choice": _("Aucun contact ne porte ce numéro.")},
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Note"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)]
    )
    comment = forms.CharField(
        label=_("Votre avis"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class EventChoiceForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Événement"), queryset=Event.objects.all())


def _kind_choices():
    from placette.contacts.models import TimelineKind

    return [
        (k.value, k.label)
        for k in TimelineKind
        if k.value not in ("created", "updated", "merged", "imported")
    ]


class LevelForm(DateBoundsMixin, forms.Form):
    name = forms.CharField(label=_("Nom du niveau"), max_length=80)
    rank = forms.IntegerField(label=_("Rang (0 = le premier)"), min_value=0, max_value=50)
    min_actions = forms.IntegerField(label=_("Actions au moins"), min_value=0, max_value=1000)
    window_months = forms.IntegerField(
        label=_("Sur les derniers mois"), min_value=1, max_value=120, initial=12
    )
    kinds = forms.MultipleChoiceField(
        label=_("Actions comptées"), choices=_kind_choices, widget=forms.CheckboxSelectMultiple
    )
    valid_from = forms.DateField(
        label=_("En vigueur à partir du"), widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class LevelEndForm(DateBoundsMixin, forms.Form):
    on = forms.DateField(label=_("Fin de validité"), widget=forms.DateInput(attrs={"type": "date"}))


class OnDateForm(DateBoundsMixin, forms.Form):
    past_dates = ("date",)
    date = forms.DateField(
        label=_("À la date du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Sujet"), max_length=200)
    question = forms.CharField(label=_("Question posée"), widget=forms.Textarea(attrs={"rows": 3}))
    vote_mode = forms.ChoiceField(
        label=_("Mode de vote"),
        choices=[
            ("headcount", _("Une personne, une voix")),
            ("colleges", _("Pondéré par collège")),
        ],
    )


class SynthesisForm(forms.Form):
    synthesis = forms.CharField(
        label=_("Synthèse publiée"), widget=forms.Textarea(attrs={"rows": 5})
    )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Votre proposition"), max_length=200)
    body = forms.CharField(
        label=_("Explication"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

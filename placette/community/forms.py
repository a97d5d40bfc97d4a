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

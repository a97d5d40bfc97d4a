from django import forms
from django.utils.translation import gettext_lazy as _


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Nom de la vue"), max_length=80, strip=True)
    shared = forms.BooleanField(label=_("Partager avec l’équipe"), required=False)
    query = forms.CharField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

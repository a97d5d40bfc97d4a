from django import forms

from placette.accounts.models import Role, User
from placette.contacts.models import Contact
from placette.contacts.widgets import ContactPicker


class UserCreateForm(forms.Form):
    contact = forms.ModelChoiceField(
        label="Personne",
        queryset=Contact.objects.filter(kind="person"),
        widget=ContactPicker(kind="person"),
        error_messages={"invalid_choice": "Aucune personne ne porte ce numéro de fiche."},
    )
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)
    is_board_member = forms.BooleanField(label="Membre du conseil d’administration", required=False)


class UserUpdateForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["role", "is_board_member", "is_active"]


class UserFilterForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False)
    role = forms.ChoiceField(label="Rôle", required=False, choices=[("", "Tous"), *Role.choices])

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from placette.contacts import communes
from placette.contacts.models import (
    ConsentPurpose,
    Contact,
    ContactKind,
    OrganisationKind,
    TimelineKind,
)
from placette.contacts.widgets import ContactPicker
from placette.lib.dates import DateBoundsMixin
from placette.lib.text import normalize_email


class ContactForm(forms.ModelForm):
    commune = forms.CharField(
        label="Commune",
        required=False,
        help_text="Saisissez le code postal puis choisissez la commune proposée.",
        widget=forms.TextInput(attrs={"list": "communes-list", "autocomplete": "off"}),
    )
    tag_names = forms.CharField(
        label="Étiquettes", required=False, help_text="Séparées par des virgules."
    )

    class Meta:
        model = Contact
        fields = [
            "kind",
            "first_name",
            "last_name",
            "organisation_name",
            "org_kind",
            "siren",
            "email",
            "phone",
            "website",
            "address_line1",
            "address_line2",
            "postcode",
        ]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postcode"].widget.attrs.update(
            {"inputmode": "numeric", "pattern": "[0-9]{5}", "maxlength": "5"}
        )
        if self.instance.pk:
            self.fields["commune"].initial = self.instance.commune_name
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())
        if "org_kind" in self.fields:
            self.fields["org_kind"].choices = [("", "—"), *OrganisationKind.choices]

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data.get("email", ""))
        if email:
            other = Contact.objects.filter(email_normalized=email).exclude(pk=self.instance.pk)
            if other.exists():
                raise forms.ValidationError(
                    f"L’adresse {email} est déjà celle de « {other.first()} » : "
                    "ouvrez cette fiche ou fusionnez les doublons."
                )
        return email

    def clean_siren(self) -> str:
        siren = self.cleaned_data.get("siren", "").replace(" ", "")
        if siren and not (siren.isdigit() and len(siren) == 9):
            raise forms.ValidationError("Un SIREN compte exactement 9 chiffres.")
        return siren

    def clean(self):
        data = super().clean()
        self._clean_identity(data)
        self._clean_commune(data)
        return data

    def _clean_identity(self, data: dict) -> None:
        kind = data.get("kind")
        if kind == ContactKind.PERSON and not data.get("last_name"):
            self.add_error("last_name", "Le nom est obligatoire pour une personne.")
        if kind == ContactKind.ORGANISATION:
            if not data.get("organisation_name"):
                self.add_error("organisation_name", "La raison sociale est obligatoire.")
            if not data.get("org_kind"):
                self.add_error("org_kind", "Précisez le type d’organisation.")

    def _clean_commune(self, data: dict) -> None:
        postcode, name = data.get("postcode", ""), data.get("commune", "").strip()
        data["commune_code"] = ""
        if postcode and not (postcode.isdigit() and len(postcode) == 5):
            self.add_error("postcode", "Un code postal compte 5 chiffres.")
        elif postcode or name:
            found = communes.commune_resolve(postcode, name)
            if found is None and postcode and not name:
                candidates = communes.communes_for_postcode(postcode)
                if len(candidates) == 1:
                    found = candidates[0]
            if found is None:
                known = ", ".join(c.name for c in communes.communes_for_postcode(postcode)[:8])
                hint = f" Communes de ce code postal : {known}." if known else ""
                self.add_error(
                    "commune",
                    f"Commune inconnue : « {name or '—'} » avec le code postal "
                    f"« {postcode or '—'} ».{hint}",
                )
            else:
                data["commune_code"] = found.code

    def contact_data(self) -> dict:
        data = {k: self.cleaned_data.get(k, "") for k in self.Meta.fields}
        data["commune_code"] = self.cleaned_data.get("commune_code", "")
        return data

    def tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tag_names", "").split(",") if t.strip()]


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type",
        choices=[
            (k, label)
            for k, label in TimelineKind.choices
            if k in {"note", "call", "meeting", "email"}
        ],
    )
    title = forms.CharField(label="Objet", max_length=200)
    body = forms.CharField(label="Détail", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AffiliationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Contact.objects.filter(kind=ContactKind.ORGANISATION),
        widget=ContactPicker(kind="organisation"),
        error_messages={"invalid_choice": "Aucune organisation ne porte ce numéro de fiche."},
    )
    role = forms.CharField(label="Fonction", max_length=100, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="Fichier CSV")
    encoding = forms.ChoiceField(
        label="Encodage",
        choices=[("utf-8", "UTF-8 (recommandé)"), ("cp1252", "Windows-1252 (ancien Excel)")],
    )


class ConsentStaffForm(DateBoundsMixin, forms.Form):
    """A consent or a withdrawal received in writing (paper form, letter, signed email)."""

    purpose = forms.ModelChoiceField(
        label=gettext_lazy("Finalité"), queryset=ConsentPurpose.objects.none(), empty_label=None
    )
    given = forms.TypedChoiceField(
        label=gettext_lazy("Acte"),
        choices=[("1", gettext_lazy("accord donné")), ("0", gettext_lazy("retrait de l’accord"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    on = forms.DateField(
        label=gettext_lazy("Date de l’écrit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("La date portée sur le document signé (aujourd’hui par défaut)."),
    )
    text = forms.CharField(
        label=gettext_lazy("Texte signé"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Recopiez les mots acceptés. Laissé vide : le texte en vigueur de la finalité "
            "(accord ou retrait) et sa version."
        ),
    )
    version = forms.CharField(
        label=gettext_lazy("Version du formulaire papier"), required=False, max_length=30
    )
    detail = forms.CharField(
        label=gettext_lazy("Précision"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "Par exemple : « bulletin papier reçu le 3 mars, classé au dossier »."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].queryset = ConsentPurpose.objects.filter(active=True).order_by(
            "position", "id"
        )
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self) -> dt.date:
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(gettext("La date ne peut pas être dans le futur."))
        return on

    def act(self) -> dict:
        """The keyword arguments of `consent_set` this form stands for (the text and version
        in force for the purpose when none was typed)."""
        data = self.cleaned_data
        purpose, given = data["purpose"], data["given"]
        typed = data["text"].strip()
        on = data["on"]
        # Dated on the day written on the paper (its start: the hour is not on it), now today.
        at = (
            timezone.now()
            if on == timezone.localdate()
            else timezone.make_aware(dt.datetime.combine(on, dt.time.min))
        )
        return {
            "purpose": purpose,
            "given": given,
            "text": typed or purpose.text_for(given),
            "version": data["version"].strip() or ("" if typed else purpose.version),
            "at": at,
            "source_detail": data["detail"].strip(),
        }

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from placette.contacts.models import ConsentPurpose
from placette.lib.dates import DateBoundsMixin
from placette.lib.documents import DocumentFileField
from placette.mailing.models import (
    Campaign,
    CampaignTemplate,
    ImportMapping,
    ImportSource,
    Segment,
    SuppressionReason,
)


class SignupForm(forms.Form):
    """The public sign-up: every box unticked, each showing its purpose's own words."""

    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        error_messages={
            "invalid": _("Saisissez une adresse e-mail valide (exemple : nom@domaine.fr).")
        },
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=100, required=False)

    def __init__(self, *args: Any, purposes: list[ConsentPurpose], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.purposes = purposes
        for purpose in purposes:
            self.fields[f"purpose_{purpose.code}"] = forms.BooleanField(
                label=purpose.consent_text,
                required=False,
                initial=False,
                help_text=purpose.label,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.chosen_purposes():
            raise forms.ValidationError(_("Cochez au moins une lettre à recevoir."))
        return data

    def chosen_purposes(self) -> list[ConsentPurpose]:
        data = getattr(self, "cleaned_data", {})
        return [p for p in self.purposes if data.get(f"purpose_{p.code}")]


class SegmentForm(forms.ModelForm):
    class Meta:
        model = Segment
        fields = ["name", "description", "purpose"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from placette.mailing.services import newsletter_purposes

        ids = [p.pk for p in newsletter_purposes()]
        self.fields["purpose"].queryset = ConsentPurpose.objects.filter(pk__in=ids)
        self.fields["purpose"].empty_label = None


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["subject", "preheader", "template", "purpose", "segment", "archived"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from placette.mailing.services import newsletter_purposes

        ids = [p.pk for p in newsletter_purposes()]
        self.fields["purpose"].queryset = ConsentPurpose.objects.filter(pk__in=ids)
        self.fields["purpose"].empty_label = None
        self.fields["segment"].required = False
        self.fields["segment"].empty_label = _("— à choisir avant l’envoi —")
        self.fields["template"].choices = CampaignTemplate.choices


class ScheduleForm(DateBoundsMixin, forms.Form):
    at = forms.DateTimeField(
        label=_("Envoyer le"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


BLOCK_TYPES = [
    ("title", _("Titre")),
    ("text", _("Texte")),
    ("image", _("Image")),
    ("button", _("Bouton")),
    ("place", _("Fiche d’un lieu")),
    ("figure", _("Chiffre de la coopérative")),
    ("columns", _("Deux colonnes")),
]
FIGURES = [
    ("capital", _("Capital souscrit")),
    ("members", _("Nombre de sociétaires")),
    ("places", _("Nombre de lieux")),
    ("departments", _("Départements où sont nos lieux")),
]


class BlockForm(forms.Form):
    """The fields of one block; which are shown depends on its type."""

    text = forms.CharField(label=_("Texte"), required=False, max_length=300)
    markdown = forms.CharField(
        label=_("Texte (Markdown)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "**gras**, *italique*, [lien](https://…), listes avec « - ». "
            "Personnalisation : *|PRENOM|*, *|NOM|*, *|NUMERO|*."
        ),
    )
    right = forms.CharField(
        label=_("Colonne de droite (Markdown)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    url = forms.URLField(label=_("Adresse du lien"), required=False, assume_scheme="https")
    image = forms.ChoiceField(label=_("Image déjà déposée"), required=False)
    upload = DocumentFileField(label=_("Déposer une image"), required=False)
    alt = forms.CharField(
        label=_("Texte alternatif (décrit l’image)"), required=False, max_length=200
    )
    place = forms.ChoiceField(label=_("Lieu"), required=False)
    figure = forms.ChoiceField(label=_("Chiffre"), required=False, choices=FIGURES)

    FIELDS = {
        "title": ["text"],
        "text": ["markdown"],
        "image": ["image", "upload", "alt", "url"],
        "button": ["text", "url"],
        "place": ["place"],
        "figure": ["figure", "text"],
        "columns": ["markdown", "right"],
    }

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from placette.mailing.models import CampaignImage
        from placette.places.models import Place

        self.kind = kind
        self.fields["image"].choices = [("", "—")] + [
            (i.key, i.document.name)
            for i in CampaignImage.objects.select_related("document").order_by("-id")[:100]
        ]
        self.fields["place"].choices = [("", "—")] + [
            (str(pk), f"{name} ({commune})")
            for pk, name, commune in Place.objects.values_list("pk", "name", "commune_name")[:500]
        ]
        if kind == "figure":
            self.fields["text"].label = _("Légende (facultative)")
        if kind == "button":
            self.fields["text"].label = _("Libellé du bouton")
        if kind == "columns":
            self.fields["markdown"].label = _("Colonne de gauche (Markdown)")
        for name in list(self.fields):
            if name not in self.FIELDS.get(kind, []):
                del self.fields[name]

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload and getattr(upload, "checked_content_type", "") not in IMAGE_TYPES:
            raise forms.ValidationError(_("Déposez une image PNG, JPEG ou WebP."))
        return upload


IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")


class SuppressionForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    reason = forms.ChoiceField(
        label=_("Motif"),
        choices=[
            (SuppressionReason.MANUAL, SuppressionReason.MANUAL.label),
            (SuppressionReason.UNSUBSCRIBED, SuppressionReason.UNSUBSCRIBED.label),
            (SuppressionReason.COMPLAINT, SuppressionReason.COMPLAINT.label),
            (SuppressionReason.HARD_BOUNCE, SuppressionReason.HARD_BOUNCE.label),
        ],
    )
    detail = forms.CharField(label=_("Précision"), required=False, max_length=300)


class ImportForm(forms.Form):
    source = forms.ChoiceField(label=_("Outil d’origine"), choices=ImportSource.choices)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("MailChimp : le ZIP de l’export d’audience ; Brevo et Airtable : le CSV."),
    )
    purpose = forms.ChoiceField(label=_("Lettre concernée par les inscriptions"))
    mapping = forms.ModelChoiceField(
        label=_("Correspondance de colonnes enregistrée"),
        queryset=ImportMapping.objects.all(),
        required=False,
        empty_label=_("— celle de l’outil d’origine —"),
    )
    columns = forms.CharField(
        label=_("Correspondance des colonnes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Une ligne par colonne : « Nom de la colonne = champ » (champs : email, "
            "first_name, last_name, tags, consent, unsubscribed, postcode, commune, phone)."
        ),
    )
    save_as = forms.CharField(
        label=_("Enregistrer cette correspondance sous le nom"), required=False, max_length=80
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from placette.mailing.services import newsletter_purposes

        self.fields["purpose"].choices = [(p.code, p.label) for p in newsletter_purposes()]

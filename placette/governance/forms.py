from django import forms
from django.utils.translation import gettext_lazy as _

from placette.contacts.models import Contact
from placette.contacts.widgets import ContactPicker
from placette.governance.models import (
    ActionStatus,
    Body,
    BodyKind,
    Choice,
    EvaluationAnswer,
    Meeting,
    MeetingKind,
    ResolutionKind,
)
from placette.lib.dates import DateBoundsMixin
from placette.lib.documents import DocumentFileField
from placette.lib.refusals import constraint_message
from placette.membership.models import College

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
D = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(DateBoundsMixin, forms.Form):
    body = forms.ModelChoiceField(Body.objects.all(), label=_("Instance"))
    kind = forms.ChoiceField(label=_("Type"), choices=MeetingKind.choices)
    call = forms.TypedChoiceField(
        label=_("Convocation"),
        coerce=int,
        choices=[(1, _("Première convocation")), (2, _("Seconde convocation"))],
    )
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Date et heure"), widget=DT)
    cutoff_date = forms.DateField(label=_("Liste des votants arrêtée au"), widget=D)
    vote_opens_at = forms.DateTimeField(
        label=_("Ouverture du vote à distance"), widget=DT, required=False
    )
    place = forms.CharField(label=_("Lieu"), max_length=300, required=False)
    video_link = forms.URLField(label=_("Lien de visioconférence"), required=False)
    first_call = forms.ModelChoiceField(
        Meeting.objects.filter(quorum_failed_at__isnull=False, call=1),
        label=_("Réunion de première convocation (seconde convocation)"),
        required=False,
        help_text=_("Une seconde convocation suit une première réunion sans quorum."),
    )


class MeetingEditForm(DateBoundsMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "starts_at",
            "vote_opens_at",
            "place",
            "video_link",
            "proxy_cap",
            "casting_vote",
            "chair",
            "secretary",
            "scrutineers",
        ]
        widgets = {"starts_at": DT, "vote_opens_at": DT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = self.instance.roll.values("contact_id") if self.instance.pk else []
        for name in ("chair", "secretary", "scrutineers"):
            self.fields[name].queryset = Contact.objects.filter(pk__in=ids).order_by("name_key")
        self.fields[
            "scrutineers"
        ].help_text = (
            "Les deux associés présents qui détiennent le plus de voix et acceptent (R225-101)."
        )

    def clean(self):
        data = super().clean()
        opens, starts = data.get("vote_opens_at"), data.get("starts_at")
        if opens and starts and opens >= starts:
            self.add_error(
                "vote_opens_at", constraint_message(Meeting, "meeting_vote_opens_before_start")
            )
        return data


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Point de l’ordre du jour"), max_length=300)
    description = forms.CharField(
        label=_("Présentation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ResolutionForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=300)
    text = forms.CharField(
        label=_("Texte"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    secret = forms.BooleanField(
        label=_("Scrutin secret"),
        required=False,
        help_text=_("On enregistre qui a voté, jamais ce qu’il ou elle a voté."),
    )
    kind = forms.ChoiceField(label=_("Nature"), choices=ResolutionKind.choices)
    board_approved = forms.BooleanField(
        label=_("Agréée par le conseil d’administration"), required=False, initial=True
    )


class DocumentForm(DateBoundsMixin, forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    file = DocumentFileField(label=_("Fichier"))
    published_on = forms.DateField(
        label=_("Mis à disposition des associés le"),
        widget=D,
        required=False,
        help_text=_("Par défaut 15 jours avant la réunion (délai légal)."),
    )


class VoteForm(forms.Form):
    """One choice per open resolution (members' online vote)."""

    def __init__(self, *args, resolutions, initial_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolutions = list(resolutions)
        for r in self.resolutions:
            self.fields[f"r{r.pk}"] = forms.ChoiceField(
                label=f"Résolution n° {r.number} — {r.title}",
                choices=Choice.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=(initial_choices or {}).get(r.pk),
            )

    def choices(self):
        return {
            r: self.cleaned_data[f"r{r.pk}"]
            for r in self.resolutions
            if self.cleaned_data.get(f"r{r.pk}")
        }


BLANK = "blank"


def roll_label(entry) -> str:
    """A voter told apart from homonyms: name, member number, commune, college."""
    parts = [entry.name]
    if entry.member_number:
        parts.append(f"n° {entry.member_number}")
    commune = getattr(entry.contact, "commune_name", "")
    if commune:
        parts.append(commune)
    if entry.college:
        parts.append(entry.college)
    return " — ".join(parts)


class ProxyForm(forms.Form):
    """The member's proxy: a holder found by a search (not a list of the whole roll), or the
    chair (blank proxy). The posted holder is checked against the roll by the service."""

    holder = forms.ChoiceField(label=_("Je donne pouvoir à"), widget=forms.RadioSelect)

    def __init__(self, *args, meeting, me, q: str = "", **kwargs):
        from placette.governance.services import roll_search

        super().__init__(*args, **kwargs)
        choices = [(BLANK, "la présidence de séance (pouvoir en blanc)")]
        for entry in roll_search(meeting, q, exclude_contact=me) if q else []:
            choices.append((str(entry.contact_id), roll_label(entry)))
        posted = self.data.get(self.add_prefix("holder")) if self.is_bound else None
        if posted and posted != BLANK and posted.isdigit():
            entry = meeting.roll.filter(contact_id=int(posted)).select_related("contact").first()
            if entry is not None:
                choices.append((posted, roll_label(entry)))
        self.fields["holder"].choices = choices

    def holder_id(self) -> int | None:
        value = self.cleaned_data["holder"]
        return None if value == BLANK else int(value)


class PaperProxyForm(DateBoundsMixin, forms.Form):
    """Staff: a paper proxy received by post or handed in at the meeting."""

    past_dates = ("received_at",)

    giver = forms.IntegerField(widget=forms.HiddenInput)
    holder = forms.IntegerField(required=False, widget=forms.HiddenInput)
    to = forms.ChoiceField(
        label=_("Pouvoir donné à"),
        widget=forms.RadioSelect,
        choices=[
            ("member", "un associé de la liste"),
            (BLANK, "la présidence (pouvoir en blanc)"),
            ("outside", "le conjoint ou partenaire de PACS (SA)"),
        ],
        initial="member",
    )
    holder_name = forms.CharField(
        label=_("Nom du conjoint ou partenaire"), max_length=250, required=False
    )
    holder_relation = forms.ChoiceField(
        label=_("Lien"),
        required=False,
        choices=[("", "—"), ("spouse", _("conjoint·e")), ("pacs", _("partenaire de PACS"))],
    )
    received_at = forms.DateTimeField(label=_("Reçu le"), widget=DT)
    file = DocumentFileField(label=_("Formulaire numérisé"), required=False)


class PostalFormForm(DateBoundsMixin, forms.Form):
    """Staff: a paper postal voting form, one choice per resolution."""

    past_dates = ("received_on",)

    giver = forms.IntegerField(widget=forms.HiddenInput)
    received_on = forms.DateField(label=_("Reçu le"), widget=D)
    file = DocumentFileField(label=_("Formulaire numérisé"), required=False)

    def __init__(self, *args, resolutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolutions = list(resolutions)
        for r in self.resolutions:
            self.fields[f"r{r.pk}"] = forms.ChoiceField(
                label=f"Résolution n° {r.number} — {r.title}",
                choices=Choice.choices,
                widget=forms.RadioSelect,
                required=False,
            )

    def choices(self):
        return {
            r: self.cleaned_data[f"r{r.pk}"]
            for r in self.resolutions
            if self.cleaned_data.get(f"r{r.pk}")
        }


class LettersPostedForm(DateBoundsMixin, forms.Form):
    past_dates = ("posted_on",)

    posted_on = forms.DateField(label=_("Courriers déposés à la poste le"), widget=D)


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = EvaluationAnswer
        fields = ["information", "debate", "clarity", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Procès-verbal (markdown)"), widget=forms.Textarea(attrs={"rows": 25})
    )


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("Décision"), max_length=300)
    text = forms.CharField(
        label=_("Texte"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    adopted = forms.BooleanField(label=_("Adoptée"), required=False, initial=True)


class ActionForm(DateBoundsMixin, forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(Contact.objects.none(), label=_("Responsable"), required=False)
    due_on = forms.DateField(label=_("Échéance"), widget=D, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from placette.governance.models import Mandate

        self.fields["owner"].queryset = Contact.objects.filter(
            pk__in=Mandate.objects.values("contact_id")
        )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("État"), choices=ActionStatus.choices)


class BodyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=BodyKind.choices)
    name = forms.CharField(label=_("Nom"), max_length=150)
    description = forms.CharField(
        label=_("Rôle"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


def _mandate_choices(form: forms.Form) -> None:
    from placette.membership.models import College

    form.fields["college"].queryset = College.objects.all()
    form.fields["elected_at"].queryset = Meeting.objects.filter(body__kind=BodyKind.AG)


class MandateForm(DateBoundsMixin, forms.Form):
    contact = forms.ModelChoiceField(
        Contact.objects.all(),
        label=_("Personne"),
        widget=ContactPicker(kind="person"),
        help_text=_("Tapez le nom puis choisissez la fiche proposée (ou saisissez son n°)."),
        error_messages={"invalid_choice": "Aucune fiche contact ne porte ce numéro."},
    )
    role = forms.CharField(label=_("Fonction"), max_length=100, initial="Administrateur·rice")
    is_chair = forms.BooleanField(label=_("Préside l’instance"), required=False)
    college = forms.ModelChoiceField(
        Contact.objects.none(), label=_("Collège"), required=False, empty_label=_("—")
    )
    starts_on = forms.DateField(label=_("Début"), widget=D)
    ends_on = forms.DateField(label=_("Fin"), widget=D, required=False)
    elected_at = forms.ModelChoiceField(
        Meeting.objects.none(), label=_("Élu·e lors de"), required=False, empty_label=_("—")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _mandate_choices(self)


class MandateEditForm(DateBoundsMixin, forms.Form):
    role = forms.CharField(label=_("Fonction"), max_length=100)
    is_chair = forms.BooleanField(label=_("Préside l’instance"), required=False)
    college = forms.ModelChoiceField(
        Contact.objects.none(), label=_("Collège"), required=False, empty_label=_("—")
    )
    starts_on = forms.DateField(label=_("Début"), widget=D)
    ends_on = forms.DateField(label=_("Fin"), widget=D, required=False)
    end_reason = forms.CharField(label=_("Motif de fin"), max_length=200, required=False)
    elected_at = forms.ModelChoiceField(
        Meeting.objects.none(), label=_("Élu·e lors de"), required=False, empty_label=_("—")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _mandate_choices(self)


class MandateEndForm(DateBoundsMixin, forms.Form):
    ends_on = forms.DateField(label=_("Dernier jour du mandat"), widget=D)
    reason = forms.CharField(
        label=_("Motif"),
        max_length=200,
        help_text=_("Par exemple : fin de mandat, démission, révocation par l’AG, décès."),
    )


class DecisionFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False)
    body = forms.ModelChoiceField(
        Body.objects.all(), label=_("Instance"), required=False, empty_label=_("Toutes")
    )


class ElectionForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    body = forms.ModelChoiceField(
        label=_("Instance à pourvoir"), queryset=Body.objects.exclude(kind=BodyKind.AG)
    )
    seats = forms.IntegerField(label=_("Sièges à pourvoir"), min_value=1, max_value=50)
    college = forms.ModelChoiceField(
        label=_("Sièges réservés au collège"),
        queryset=College.objects.all(),
        required=False,
        help_text=_("Laissez vide si tous les associés peuvent être candidats."),
    )
    term_years = forms.IntegerField(
        label=_("Durée du mandat (années)"), min_value=1, max_value=6, initial=6
    )
    secret = forms.BooleanField(label=_("Scrutin secret"), required=False, initial=True)


class CandidacyForm(forms.Form):
    member_number = forms.IntegerField(
        label=_("N° de sociétaire du candidat ou de la candidate"), min_value=1
    )
    statement = forms.CharField(
        label=_("Profession de foi"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

"""Social-utility measurement: a yearly framework (référentiel) of dimensions and indicators,
some computed from the other areas (never typed twice). Writes go through `services.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    NUMBER = "number", _("Nombre")
    PERCENT = "percent", _("Pourcentage")
    SCALE5 = "scale5", _("Échelle de 1 à 5")
    SCALE10 = "scale10", _("Échelle de 0 à 10")
    INSTRUMENT = "instrument", _("Instrument validé (plusieurs questions)")
    YESNO = "yesno", _("Oui / non")
    CHOICE = "choice", _("Choix dans une liste")
    TEXT = "text", _("Témoignage (texte libre)")


class Respondent(models.TextChoices):
    FONCIERE = "fonciere", _("La foncière")
    ACTIVITY = "activity", _("Les activités installées")
    INHABITANTS = "inhabitants", _("Les habitants")
    COMMITTEE = "committee", _("Le comité d’évaluation")


class Nature(models.TextChoices):
    FLOW = "flow", _("Flux (sur l’année)")
    STOCK = "stock", _("Stock (cumulé)")


class Framework(models.Model):
    """The framework of one year: its dimensions and indicators. A new year starts as a copy
    of the previous one (indicator codes stay, so years compare)."""

    year = models.PositiveIntegerField(_("année"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    notes = models.TextField(_("notes de méthode"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("référentiel")

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("impact:framework", args=[self.pk])


class Dimension(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    position = models.PositiveIntegerField(_("ordre"), default=0)
    name = models.CharField(_("dimension"), max_length=200)

    class Meta:
        ordering = ["framework", "position", "pk"]
        verbose_name = _("dimension")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "name"],
                name="impact_dimension_unique_name",
                violation_error_message=_("Cette dimension existe déjà dans ce référentiel."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One indicator of a framework. `code` is stable from one year to the next. An indicator
    with a `source` is computed from another area for the foncière and never asked."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField(_("numéro"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("intitulé"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=IndicatorKind.choices)
    unit = models.CharField(_("unité ou lecture"), max_length=120, blank=True)
    respondents = models.JSONField(_("qui répond"), default=list)
    nature = models.CharField(
        _("flux ou stock"), max_length=10, choices=Nature.choices, default=Nature.FLOW
    )
    source = models.CharField(_("source calculée"), max_length=40, blank=True)
    choices = models.JSONField(_("choix proposés"), default=list, blank=True)
    items = models.JSONField(_("questions de l’instrument"), default=list, blank=True)
    item_min = models.PositiveSmallIntegerField(_("note minimale par question"), default=1)
    item_max = models.PositiveSmallIntegerField(_("note maximale par question"), default=3)
    threshold = models.DecimalField(
        _("seuil de lecture"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    optional = models.BooleanField(_("module optionnel"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["framework", "position", "pk"]
        verbose_name = _("indicateur")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="impact_indicator_unique_code",
                violation_error_message=_("Ce code d’indicateur existe déjà dans ce référentiel."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.label}"

    @property
    def respondent_labels(self) -> list[str]:
        labels = dict(Respondent.choices)
        return [str(labels.get(code, code)) for code in self.respondents]

    @property
    def asked(self) -> bool:
        """Asked in questionnaires (a computed indicator is not)."""
        return not self.source


class Campaign(models.Model):
    """The yearly collection: a framework version, the places concerned, a window of dates.
    Each open activity of those places gets a personal link (an `Invitation`); the inhabitants
    of each place an anonymous link (`InhabitantLink`)."""

    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("référentiel")
    )
    title = models.CharField(_("titre"), max_length=200)
    opens_on = models.DateField(_("ouverture"))
    deadline = models.DateField(_("date limite des réponses"))
    places = models.ManyToManyField("places.Place", related_name="+", verbose_name=_("lieux"))
    inhabitants = models.BooleanField(_("questionnaire habitants"), default=True)
    reminder_days = models.PositiveSmallIntegerField(
        _("relancer au plus tous les (jours)"), default=7
    )
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("campagne")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("opens_on")),
                name="impact_campaign_deadline_after_opening",
                violation_error_message=_("La date limite précède l’ouverture de la campagne."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("impact:campaign", args=[self.pk])

    @property
    def year(self) -> int:
        return self.framework.year


class Invitation(models.Model):
    """An installed activity's personal link to the campaign's questionnaire (no account: the
    unguessable token is the key). Its answers live on its `Response`."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    activity = models.ForeignKey("places.Activity", on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("adresse invitée"), blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "activity"],
                name="impact_invitation_once_per_activity",
                violation_error_message=_("Cette activité est déjà invitée à cette campagne."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.activity}"

    def get_absolute_url(self) -> str:
        return reverse("impact_public:questionnaire", args=[self.token])


class InhabitantLink(models.Model):
    """The anonymous open link of a place's inhabitants for a campaign (poster, QR code)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "place"],
                name="impact_link_once_per_place",
                violation_error_message=_("Ce lieu a déjà son lien habitants pour cette campagne."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.place_id}"

    def get_absolute_url(self) -> str:
        return reverse("impact_public:inhabitants", args=[self.token])


class ResponseSource(models.TextChoices):
    WEB = "web", _("en ligne")
    PAPER = "paper", _("papier, saisi par l’équipe")


class Response(models.Model):
    """One questionnaire answered for a place: an activity's (through its invitation, saved as
    a draft until submitted) or one inhabitant's (anonymous, submitted at once)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+")
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.CASCADE, related_name="response"
    )
    respondent = models.CharField(max_length=20, choices=Respondent.choices)
    source = models.CharField(max_length=10, choices=ResponseSource.choices, default="web")
    saved_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["campaign", "pk"]
        indexes = [models.Index(fields=["campaign", "place", "respondent"])]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.place_id} — {self.respondent}"


class Answer(models.Model):
    """One answer to one indicator: a number (scales, instruments' scores, yes = 1) and/or a
    text (testimonies, choices, an instrument's item scores)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    publish = models.BooleanField(_("accord pour citer ce témoignage"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "indicator"],
                name="impact_answer_once_per_indicator",
                violation_error_message=_(
                    "Cet indicateur a déjà une réponse dans ce questionnaire."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value if self.value is not None else self.text[:40]}"

"""Member engagement: the catalogue of local events and trainings, their dated sessions with a
capacity and a waiting list, and each person's registration (attendance, feedback)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    EVENT = "event", _("Événement")
    TRAINING = "training", _("Formation")


class Event(models.Model):
    """One entry of the catalogue (a training, a recurring local event); held in sessions."""

    title = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    summary = models.TextField(_("présentation"), blank=True)
    active = models.BooleanField(_("au catalogue"), default=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("événement ou formation")
        verbose_name_plural = _("catalogue")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:event", args=[self.pk])


class SessionQuerySet(models.QuerySet["Session"]):
    def upcoming(self, now=None) -> SessionQuerySet:
        return self.filter(starts_at__gte=now or timezone.now(), cancelled_at__isnull=True)


class Session(models.Model):
    """A dated occurrence of an event, with a number of seats."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("début"), db_index=True)
    ends_at = models.DateTimeField(_("fin"))
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("lieu de la coopérative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="community_sessions",
    )
    location = models.CharField(_("adresse ou salle"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    reminders_sent_at = models.DateTimeField(_("rappels envoyés le"), null=True, blank=True)
    # Incremented at each change so calendar clients replace their copy (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="community_session_ends_after_start",
                violation_error_message=_("La fin doit être après le début."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="community_session_capacity_positive",
                violation_error_message=_("Une session a au moins une place."),
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.event.title} — {local:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("community:session", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def ical_uid(self) -> str:
        # Stable across updates: calendar clients match updates and cancellations on it.
        return f"session-{self.pk}@placette"

    @property
    def where(self) -> str:
        parts = [self.place.name if self.place is not None else "", self.location]
        return " — ".join(p for p in parts if p)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscrit")
    WAITING = "waiting", _("Liste d’attente")
    CANCELLED = "cancelled", _("Annulée")


class RegistrationSource(models.TextChoices):
    PORTAL = "portal", _("Espace personnel")
    STAFF = "staff", _("Équipe")


ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


class Registration(models.Model):
    """One person's registration to a session: confirmed, on the waiting list (served in the
    order of registration), or cancelled (kept for the history)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, related_name="community_registrations"
    )
    status = models.CharField(_("état"), max_length=20, choices=RegistrationStatus.choices)
    source = models.CharField(_("origine"), max_length=20, choices=RegistrationSource.choices)
    registered_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    promoted_at = models.DateTimeField(_("sorti de la liste d’attente le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    attended = models.BooleanField(_("présent"), default=False)
    feedback_rating = models.PositiveSmallIntegerField(_("note"), null=True, blank=True)
    feedback_comment = models.TextField(_("avis"), blank=True)
    feedback_at = models.DateTimeField(_("avis donné le"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "contact"],
                condition=Q(status__in=["confirmed", "waiting"]),
                name="community_registration_once",
                violation_error_message=_("Cette personne est déjà inscrite à cette session."),
            ),
            models.CheckConstraint(
                condition=Q(feedback_rating__isnull=True)
                | Q(feedback_rating__gte=1, feedback_rating__lte=5),
                name="community_feedback_rating_range",
                violation_error_message=_("La note va de 1 à 5."),
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "registered_at"])]

    def __str__(self) -> str:
        return f"{self.contact} — {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class EngagementLevel(models.Model):
    """One rung of the engagement ladder, with its transparent rule: at least `min_actions`
    actions of `action_kinds` (timeline kinds) in the last `window_months` months. Rules are
    dated (`valid_from`, `valid_until` excluded) so a level at a past date uses that date's
    ladder; changing a rule ends the old row and starts a new one."""

    name = models.CharField(_("niveau"), max_length=80)
    rank = models.PositiveSmallIntegerField(_("rang"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    min_actions = models.PositiveIntegerField(_("actions au moins"))
    window_months = models.PositiveSmallIntegerField(_("sur les derniers mois"), default=12)
    action_kinds = models.CharField(_("actions comptées"), max_length=200)
    valid_from = models.DateField(_("en vigueur à partir du"))
    valid_until = models.DateField(_("en vigueur jusqu’au (exclu)"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("niveau d’engagement")
        verbose_name_plural = _("niveaux d’engagement")
        ordering = ["rank", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_months__gte=1),
                name="community_level_window_positive",
                violation_error_message=_("La période compte au moins un mois."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="community_level_valid_until_after_from",
                violation_error_message=_("La fin de validité doit suivre son début."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(k for k in self.action_kinds.split(",") if k)


class ConsultationPhase(models.TextChoices):
    PROPOSALS = "proposals", _("Propositions")
    VOTE = "vote", _("Vote")
    CLOSED = "closed", _("Synthèse publiée")


class VoteMode(models.TextChoices):
    HEADCOUNT = "headcount", _("Une personne, une voix")
    COLLEGES = "colleges", _("Pondéré par collège")


class Consultation(models.Model):
    """A co-construction topic (e.g. the investment criteria): members propose, then vote on
    the proposals, then the team publishes the synthesis. Phases only move forward."""

    title = models.CharField(_("sujet"), max_length=200)
    question = models.TextField(_("question posée"))
    phase = models.CharField(
        _("phase"), max_length=20, choices=ConsultationPhase.choices, default="proposals"
    )
    vote_mode = models.CharField(
        _("mode de vote"), max_length=20, choices=VoteMode.choices, default="headcount"
    )
    synthesis = models.TextField(_("synthèse"), blank=True)
    vote_opened_at = models.DateTimeField(_("vote ouvert le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:consultation", args=[self.pk])


class Proposal(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="proposals"
    )
    author = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, related_name="community_proposals"
    )
    title = models.CharField(_("proposition"), max_length=200)
    body = models.TextField(_("explication"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class VoteChoice(models.TextChoices):
    YES = "yes", _("Pour")
    NO = "no", _("Contre")
    ABSTAIN = "abstain", _("Abstention")


class ProposalVote(models.Model):
    """One member's vote on one proposal, with the college their vote counted in that day
    (kept, so a later change of category does not move a cast vote)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, related_name="community_votes"
    )
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)
    college = models.CharField(_("collège"), max_length=100, blank=True)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vote sur une proposition")
        verbose_name_plural = _("votes sur les propositions")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "contact"],
                name="community_vote_once",
                violation_error_message=_("Vous avez déjà voté sur cette proposition."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} — {self.proposal} — {self.get_choice_display()}"

"""Governance in session (issue 11): members' registration, the live state of a meeting (the
item on the projector), electronic votes opened by the chair with a time limit, amendments and
their ballots.

Live votes on a resolution are ordinary `Ballot` rows (channel « en séance » or « par
pouvoir »): the one-ballot-per-voter constraint, the tally and the PV of `services.py` count
them with the rest. Amendments have their own ballots (`AmendmentBallot`), counted by the same
`tally.py`. Imported at the end of `models.py`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placette.governance.models import (
    BallotChannel,
    Choice,
    Meeting,
    Resolution,
    RollEntry,
    one_per,
)


class RegistrationAnswer(models.TextChoices):
    COME = "come", _("Je viens")
    REMOTE = "remote", _("Je participe à distance")
    PROXY = "proxy", _("Je donne procuration")
    POSTAL = "postal", _("Je vote par correspondance")


class Registration(models.Model):
    """A member's answer to the invitation (what they intend; attendance is recorded apart)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    entry = models.OneToOneField(
        RollEntry,
        on_delete=models.CASCADE,
        related_name="registration",
        verbose_name=_("inscrit·e"),
    )
    answer = models.CharField(_("réponse"), max_length=10, choices=RegistrationAnswer.choices)
    answered_at = models.DateTimeField(_("répondu le"), default=timezone.now)

    class Meta:
        verbose_name = _("réponse à l’invitation")
        indexes = [models.Index(fields=["meeting", "answer"], name="registration_answer")]

    def __str__(self) -> str:
        return f"{self.entry} — {self.get_answer_display()}"


class Amendment(models.Model):
    """An amendment proposed in session to a resolution, voted before the resolution."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("n°"))
    text = models.TextField(_("texte de l’amendement"))
    proposed_by = models.ForeignKey(
        RollEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposé par"),
    )
    proposed_at = models.DateTimeField(_("proposé le"), default=timezone.now)
    closed_at = models.DateTimeField(_("vote clos le"), null=True, blank=True)
    adopted = models.BooleanField(_("adopté"), null=True, blank=True)
    result = models.JSONField(_("résultat figé"), default=dict, blank=True)

    class Meta:
        verbose_name = _("amendement")
        ordering = ["resolution", "number"]
        constraints = [
            one_per(
                "resolution",
                "number",
                name="amendment_number_unique",
                message=_("Un amendement porte déjà ce numéro."),
            )
        ]

    def __str__(self) -> str:
        return _("Amendement n° %(n)s à la résolution n° %(r)s") % {
            "n": self.number,
            "r": self.resolution.number,
        }

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class AmendmentBallot(models.Model):
    """One named ballot on an amendment: one per voter (database constraint)."""

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(RollEntry, on_delete=models.CASCADE, related_name="+")
    college = models.CharField(_("collège"), max_length=100, blank=True)
    choice = models.CharField(_("vote"), max_length=7, choices=Choice.choices)
    channel = models.CharField(_("mode"), max_length=7, choices=BallotChannel.choices)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bulletin sur un amendement")
        constraints = [
            one_per(
                "amendment",
                "voter",
                name="amendment_ballot_one_per_voter",
                message=_("Cette personne a déjà voté sur cet amendement."),
            )
        ]
        indexes = [
            models.Index(fields=["amendment", "college", "choice"], name="amendment_ballot_tally")
        ]

    def __str__(self) -> str:
        return f"{self.voter} : {self.get_choice_display()}"


class LiveVote(models.Model):
    """The electronic vote in session on one resolution, or on one of its amendments: opened by
    the chair, closed at `closes_at` (the time limit) or earlier by the chair (`stopped_at`)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="live_votes")
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="live_votes")
    amendment = models.OneToOneField(
        Amendment, on_delete=models.CASCADE, null=True, blank=True, related_name="live_vote"
    )
    opened_at = models.DateTimeField(_("ouvert le"), default=timezone.now)
    closes_at = models.DateTimeField(_("clos au plus tard le"))
    stopped_at = models.DateTimeField(_("arrêté le"), null=True, blank=True)

    class Meta:
        verbose_name = _("vote électronique en séance")
        constraints = [
            models.UniqueConstraint(
                fields=["resolution"],
                condition=Q(amendment__isnull=True),
                name="live_vote_one_per_resolution",
                violation_error_message=_("Le vote de cette résolution a déjà été ouvert."),
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opened_at")),
                name="live_vote_closes_after_opening",
                violation_error_message=_("Le vote doit durer au moins une minute."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.amendment or self.resolution)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.stopped_at is None and self.opened_at <= now < self.closes_at


class LiveSession(models.Model):
    """What the projector shows: the current resolution (and amendment), chosen by the chair."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="live")
    resolution = models.ForeignKey(
        Resolution, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    amendment = models.ForeignKey(
        Amendment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("séance en direct")

    def __str__(self) -> str:
        return str(self.meeting)

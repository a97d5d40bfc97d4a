"""Elections of directors (issue 11): an election fills `seats` seats of a body (the board),
optionally reserved to one college; each candidacy carries the candidate's statement and its
own resolution (« élection de … »), voted for, against or abstaining like any resolution —
online, on a paper postal form, by proxy, live or by show of hands, secret or not — and
counted by `tally.py` with the college weights. Imported at the end of `models.py`.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placette.contacts.models import Contact
from placette.governance.models import Body, Mandate, Meeting, Resolution, RollEntry, one_per


class Election(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="elections")
    title = models.CharField(_("intitulé"), max_length=200)
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("instance à pourvoir")
    )
    seats = models.PositiveSmallIntegerField(_("sièges à pourvoir"))
    college = models.ForeignKey(
        "membership.College",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sièges réservés au collège"),
    )
    term_years = models.PositiveSmallIntegerField(_("durée du mandat (années)"), default=6)
    secret = models.BooleanField(_("scrutin secret"), default=True)
    closed_at = models.DateTimeField(_("résultat proclamé le"), null=True, blank=True)
    result = models.JSONField(_("résultat figé"), default=dict, blank=True)

    class Meta:
        verbose_name = _("élection")
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats__gte=1),
                name="election_seats_positive",
                violation_error_message=_("Une élection pourvoit au moins un siège."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Candidacy(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidacies")
    entry = models.ForeignKey(
        RollEntry, on_delete=models.PROTECT, related_name="+", verbose_name=_("candidat·e")
    )
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="candidacies")
    statement = models.TextField(_("profession de foi"), blank=True)
    declared_at = models.DateTimeField(_("déclarée le"), default=timezone.now)
    in_session = models.BooleanField(_("déclarée en séance"), default=False)
    resolution = models.OneToOneField(
        Resolution, on_delete=models.PROTECT, related_name="candidacy"
    )
    elected = models.BooleanField(_("élu·e"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rang"), null=True, blank=True)
    mandate = models.OneToOneField(
        Mandate, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidacy"
    )

    class Meta:
        verbose_name = _("candidature")
        ordering = ["election_id", "resolution__number"]
        constraints = [
            one_per(
                "election",
                "contact",
                name="candidacy_once",
                message=_("Cette personne est déjà candidate à cette élection."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry.name} — {self.election}"

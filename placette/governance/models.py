"""Governance: bodies and mandates, meetings with their agenda and resolutions, the frozen
electoral roll, convocations, proxies, ballots, show-of-hands counts, decisions and actions.

The vote arithmetic lives in `tally.py` (pure, no Django); `services.py` gathers the counts
with the database (GROUP BY college, choice) and feeds them to it.
"""

from __future__ import annotations

import uuid
from fractions import Fraction
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from placette.contacts.models import Contact, TimelineKind
from placette.contacts.services import timeline_append
from placette.lib.models import OutgoingMessage

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


def one_per(*fields: str, name: str, message: _StrOrPromise) -> models.UniqueConstraint:
    """A uniqueness rule of the governance models, with the French message shown when it is
    broken (one ballot per voter, one number per meeting…)."""
    return models.UniqueConstraint(fields=list(fields), name=name, violation_error_message=message)


# --------------------------------------------------------------------------------------------
# Bodies and mandates
# --------------------------------------------------------------------------------------------


class BodyKind(models.TextChoices):
    AG = "ag", gettext_lazy("Assemblée générale")
    BOARD = "board", gettext_lazy("Conseil d’administration")
    BUREAU = "bureau", gettext_lazy("Bureau")
    COMMITTEE = "committee", gettext_lazy("Comité")


class Body(models.Model):
    kind = models.CharField(gettext_lazy("type"), max_length=20, choices=BodyKind.choices)
    name = models.CharField(gettext_lazy("nom"), max_length=150, unique=True)
    description = models.TextField(gettext_lazy("rôle"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("instance")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:body", args=[self.pk])


class Mandate(models.Model):
    """Who sits on a body, in which role, for which college, from when to when."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="mandates")
    contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=gettext_lazy("personne"),
    )
    role = models.CharField(gettext_lazy("fonction"), max_length=100, default="Administrateur·rice")
    is_chair = models.BooleanField(gettext_lazy("préside l’instance"), default=False)
    college = models.ForeignKey(
        "membership.College",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("collège"),
    )
    starts_on = models.DateField(gettext_lazy("début"))
    ends_on = models.DateField(gettext_lazy("fin"), null=True, blank=True)
    elected_at = models.ForeignKey(
        "Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="elected_mandates",
        verbose_name=gettext_lazy("élu·e lors de"),
    )
    end_reason = models.CharField(gettext_lazy("motif de fin"), max_length=200, blank=True)

    class Meta:
        verbose_name = gettext_lazy("mandat")
        ordering = ["body", "-is_chair", "contact__name_key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="mandate_ends_after_start",
                violation_error_message=gettext_lazy(
                    "La fin du mandat ne peut pas précéder son début."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} — {self.role} ({self.body})"

    def is_active_on(self, on) -> bool:
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


# --------------------------------------------------------------------------------------------
# Meetings
# --------------------------------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    AGO = "AGO", gettext_lazy("Assemblée générale ordinaire")
    AGE = "AGE", gettext_lazy("Assemblée générale extraordinaire")
    MIXED = "MIXED", gettext_lazy("Assemblée générale mixte")
    BOARD = "CA", gettext_lazy("Conseil d’administration")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("En préparation")
    CONVENED = "convened", gettext_lazy("Convoquée")
    CLOSED = "closed", gettext_lazy("Close")


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(gettext_lazy("type"), max_length=5, choices=MeetingKind.choices)
    call = models.PositiveSmallIntegerField(
        "convocation", default=1, choices=[(1, "Première convocation"), (2, "Seconde convocation")]
    )
    title = models.CharField(gettext_lazy("intitulé"), max_length=200)
    starts_at = models.DateTimeField(gettext_lazy("date et heure"))
    place = models.CharField(gettext_lazy("lieu"), max_length=300, blank=True)
    video_link = models.URLField(gettext_lazy("lien de visioconférence"), blank=True)
    cutoff_date = models.DateField(
        "date d’arrêté de la liste des votants",
        help_text=gettext_lazy("Les associés inscrits au registre à cette date peuvent voter."),
    )
    vote_opens_at = models.DateTimeField(
        gettext_lazy("ouverture du vote en ligne"), null=True, blank=True
    )
    status = models.CharField(
        "état", max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    # Settings copied when the roll is frozen / the meeting is created (statutes may change later).
    legal_form = models.CharField(gettext_lazy("forme juridique"), max_length=4, default="SAS")
    sas_quorum_as = models.CharField(gettext_lazy("quorum d’une SAS"), max_length=4, default="SA")
    proxy_cap = models.PositiveSmallIntegerField(
        "pouvoirs au plus par mandataire",
        default=5,
        help_text=gettext_lazy("Paramètre statutaire."),
    )
    casting_vote = models.BooleanField(
        gettext_lazy("voix prépondérante du président"), default=True
    )
    colleges_enabled = models.BooleanField(gettext_lazy("vote par collèges"), default=False)
    college_weights = models.JSONField(gettext_lazy("poids des collèges"), default=dict, blank=True)
    empty_college_policy = models.CharField(
        "collège sans votant", max_length=20, default="redistribute"
    )
    roll_frozen_at = models.DateTimeField(gettext_lazy("liste arrêtée le"), null=True, blank=True)
    convened_at = models.DateTimeField(gettext_lazy("convoquée le"), null=True, blank=True)
    chair = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("président·e de séance"),
    )
    secretary = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("secrétaire de séance"),
    )
    scrutineers = models.ManyToManyField(
        Contact, blank=True, related_name="+", verbose_name=gettext_lazy("scrutateurs")
    )
    first_call = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="second_calls",
        verbose_name=gettext_lazy("première convocation"),
        help_text=gettext_lazy(
            "Réunion de première convocation dont le quorum n’a pas été atteint."
        ),
    )
    quorum_failed_at = models.DateTimeField(
        gettext_lazy("quorum constaté non atteint le"), null=True, blank=True
    )
    minutes = models.TextField(gettext_lazy("procès-verbal (markdown)"), blank=True)
    minutes_updated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(gettext_lazy("close le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("réunion")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(call__in=[1, 2]),
                name="meeting_call_1_or_2",
                violation_error_message=gettext_lazy(
                    "Une réunion se tient sur première ou sur deuxième convocation."
                ),
            ),
            models.CheckConstraint(
                condition=Q(vote_opens_at__isnull=True)
                | Q(vote_opens_at__lt=models.F("starts_at")),
                name="meeting_vote_opens_before_start",
                violation_error_message=gettext_lazy(
                    "L’ouverture du vote en ligne doit précéder le début de la réunion."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {timezone.localtime(self.starts_at):%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", args=[self.pk])

    @property
    def is_board(self) -> bool:
        return self.kind == MeetingKind.BOARD

    @property
    def weights(self) -> dict[str, Fraction]:
        return {name: Fraction(value) for name, value in self.college_weights.items()}

    @property
    def held(self) -> bool:
        """The meeting has started (a PV of a meeting not yet held is a draft)."""
        return timezone.now() >= self.starts_at

    def window_open(self, now=None) -> bool:
        """Online voting and proxies count only if received after opening and before the
        electronic deadline (R225-77: 15:00 the day before, statutes setting)."""
        from placette.governance.deadlines import electronic_deadline

        now = now or timezone.now()
        return (
            self.roll_frozen_at is not None
            and self.vote_opens_at is not None
            and self.vote_opens_at <= now < electronic_deadline(self)
            and self.status != MeetingStatus.CLOSED
        )


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(gettext_lazy("ordre"), default=0)
    title = models.CharField(gettext_lazy("point"), max_length=300)
    description = models.TextField(gettext_lazy("présentation"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("point de l’ordre du jour")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class ResolutionKind(models.TextChoices):
    ORDINARY = "ordinary", gettext_lazy("ordinaire")
    EXTRAORDINARY = "extraordinary", gettext_lazy("extraordinaire")


class ChairVote(models.TextChoices):
    YES = "yes", gettext_lazy("pour")
    NO = "no", gettext_lazy("contre")


class Resolution(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="resolutions"
    )
    number = models.PositiveSmallIntegerField(gettext_lazy("n°"))
    title = models.CharField(gettext_lazy("intitulé"), max_length=300)
    text = models.TextField(gettext_lazy("texte de la résolution"), blank=True)
    kind = models.CharField(
        "nature", max_length=15, choices=ResolutionKind.choices, default=ResolutionKind.ORDINARY
    )
    board_approved = models.BooleanField(
        gettext_lazy("agréée par le conseil d’administration"), default=True
    )
    chair_vote = models.CharField(
        "vote du président (CA)", max_length=3, choices=ChairVote.choices, blank=True
    )
    secret = models.BooleanField(
        "scrutin secret",
        default=False,
        help_text=gettext_lazy("On enregistre qui a voté, jamais ce qu’il ou elle a voté."),
    )
    closed_at = models.DateTimeField(gettext_lazy("vote clos le"), null=True, blank=True)
    adopted = models.BooleanField(gettext_lazy("adoptée"), null=True, blank=True)
    result = models.JSONField(gettext_lazy("résultat figé"), default=dict, blank=True)

    class Meta:
        verbose_name = gettext_lazy("résolution")
        ordering = ["meeting", "number"]
        constraints = [
            one_per(
                "meeting",
                "number",
                name="resolution_number_unique",
                message=gettext_lazy("Une résolution porte déjà ce numéro dans cette réunion."),
            )
        ]

    def __str__(self) -> str:
        return f"Résolution n° {self.number} — {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


def _document_path(instance: MeetingDocument, filename: str) -> str:
    # Only referenced by migration 0001: files now live in placette.lib.documents.
    return f"governance/{instance.meeting_id}/{filename}"


class MeetingDocument(models.Model):
    """A document attached to a meeting; its file is a `lib.Document` of scope
    "governance.meeting" (readable by the voters on the roll once the meeting is convened)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(gettext_lazy("titre"), max_length=200)
    document = models.OneToOneField(
        "lib.Document",
        verbose_name=gettext_lazy("fichier"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(auto_now_add=True)
    published_on = models.DateField(
        "mis à disposition des associés le",
        null=True,
        blank=True,
        help_text=gettext_lazy("Par défaut, le délai légal avant la réunion (15 jours)."),
    )

    class Meta:
        verbose_name = gettext_lazy("document joint")
        ordering = ["added_at"]

    def __str__(self) -> str:
        return self.title


class DocumentOpening(models.Model):
    """A member opened a meeting document from their space (who, when): evidence that the
    documents were made available."""

    document = models.ForeignKey(MeetingDocument, on_delete=models.CASCADE, related_name="openings")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("consultation d’un document")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.contact} — {self.document}"


# --------------------------------------------------------------------------------------------
# The frozen roll and attendance
# --------------------------------------------------------------------------------------------


class Attendance(models.TextChoices):
    PRESENT = "present", gettext_lazy("présent·e")
    REMOTE = "remote", gettext_lazy("à distance")
    REPRESENTED = "represented", gettext_lazy("représenté·e")
    POSTAL = "postal", gettext_lazy("vote à distance reçu")


class RollEntry(models.Model):
    """One voter of one meeting, frozen from the share ledger (or the mandates for a board)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="roll")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="roll_entries")
    member_number = models.PositiveIntegerField(
        gettext_lazy("n° de sociétaire"), null=True, blank=True
    )
    name = models.CharField(gettext_lazy("nom"), max_length=250)
    category = models.CharField(gettext_lazy("catégorie"), max_length=100, blank=True)
    college = models.CharField(gettext_lazy("collège"), max_length=100, blank=True)
    shares = models.PositiveIntegerField(gettext_lazy("parts"), default=0)
    attendance = models.CharField(
        gettext_lazy("présence"), max_length=12, choices=Attendance.choices, blank=True
    )
    attendance_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("inscrit·e")
        ordering = ["meeting", "member_number", "id"]
        constraints = [
            one_per(
                "meeting",
                "contact",
                name="roll_entry_unique",
                message=gettext_lazy(
                    "Cette personne est déjà sur la liste des votants de cette réunion."
                ),
            )
        ]
        indexes = [models.Index(fields=["meeting", "attendance"], name="roll_meeting_attendance")]

    def __str__(self) -> str:
        return self.name


# --------------------------------------------------------------------------------------------
# Convocation
# --------------------------------------------------------------------------------------------


class Channel(models.TextChoices):
    EMAIL = "email", gettext_lazy("e-mail")
    LETTER = "letter", gettext_lazy("courrier")


class Convocation(models.Model):
    """Evidence of who was convened, when and how. `sent_at` makes sending resumable."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="convocations")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="convocations")
    channel = models.CharField(gettext_lazy("canal"), max_length=10, choices=Channel.choices)
    email = models.EmailField(gettext_lazy("adresse"), blank=True)
    address = models.TextField(gettext_lazy("adresse postale"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(gettext_lazy("envoyée le"), null=True, blank=True)
    email_refused_at = models.DateTimeField(
        "e-mail refusé le",
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "La convocation par e-mail n’a pas été remise : elle part par courrier."
        ),
    )
    reminded_at = models.DateTimeField(gettext_lazy("relancé le"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("convocation")
        ordering = ["meeting", "id"]
        constraints = [
            one_per(
                "meeting",
                "contact",
                name="convocation_unique",
                message=gettext_lazy("Cette personne est déjà convoquée à cette réunion."),
            )
        ]
        indexes = [models.Index(fields=["meeting", "channel", "sent_at"], name="conv_pending")]

    def __str__(self) -> str:
        return f"{self.contact} — {self.get_channel_display()}"

    def mail_sent(self, message: OutgoingMessage) -> None:
        """placette.lib.mail: the relay accepted this convocation's email (or its reminder)."""
        reminder = message.kind == "governance.convocation.reminder"
        setattr(self, "reminded_at" if reminder else "sent_at", message.sent_at)
        self.save(update_fields=["reminded_at" if reminder else "sent_at"])
        title = _("Rappel de convocation par e-mail") if reminder else _("Convocation par e-mail")
        timeline_append(
            contact=self.contact,
            kind=TimelineKind.EMAIL,
            title=f"{title} : {self.meeting.title}",
            area="governance",
            link=reverse("governance:meeting", args=[self.meeting_id]),
        )

    def mail_failed(self, message: OutgoingMessage) -> None:
        """placette.lib.mail: the relay refused the address; the convocation turns into a
        letter (it joins the letters to print and post)."""
        if message.kind == "governance.convocation" and self.channel == Channel.EMAIL:
            self.channel = Channel.LETTER
            self.email_refused_at = timezone.now()
            self.sent_at = None
            self.save(update_fields=["channel", "email_refused_at", "sent_at"])
        timeline_append(
            contact=self.contact,
            kind=TimelineKind.NOTE,
            title=_("Convocation par e-mail non remise (%(to)s) : %(meeting)s")
            % {"to": message.to, "meeting": self.meeting.title},
            body=message.error,
            area="governance",
            link=reverse("governance:convocation", args=[self.meeting_id]),
        )


# --------------------------------------------------------------------------------------------
# Proxies and ballots
# --------------------------------------------------------------------------------------------


class ProxySource(models.TextChoices):
    ONLINE = "online", gettext_lazy("en ligne")
    PAPER = "paper", gettext_lazy("formulaire papier reçu")
    MEETING = "meeting", gettext_lazy("remis en séance")


class Proxy(models.Model):
    """A proxy, to a named member on the roll, to the giver's spouse or PACS partner (an SA,
    L225-106: `holder_name`, not on the roll) or blank (to the chair). Given online, on a
    paper form received by post (`document`: the scanned form) or handed in at the meeting.

    It counts in the giver's college."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="proxies")
    giver = models.OneToOneField(RollEntry, on_delete=models.CASCADE, related_name="proxy_given")
    holder = models.ForeignKey(
        RollEntry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proxies_held",
        verbose_name=gettext_lazy("mandataire"),
    )
    holder_name = models.CharField(
        "conjoint·e ou partenaire de PACS mandataire", max_length=250, blank=True
    )
    holder_relation = models.CharField(
        "lien avec l’associé",
        max_length=6,
        blank=True,
        choices=[("spouse", "conjoint·e"), ("pacs", "partenaire de PACS")],
    )
    holder_present = models.BooleanField(
        gettext_lazy("mandataire hors liste présent·e"), default=False
    )
    source = models.CharField(
        "forme", max_length=8, choices=ProxySource.choices, default=ProxySource.ONLINE
    )
    document = models.ForeignKey(
        "lib.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("formulaire numérisé"),
    )
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("pouvoir")
        constraints = [
            models.CheckConstraint(
                condition=Q(holder__isnull=True) | ~Q(holder=models.F("giver")),
                name="proxy_not_to_oneself",
                violation_error_message=gettext_lazy(
                    "On ne peut pas se donner un pouvoir à soi-même."
                ),
            ),
            models.CheckConstraint(
                condition=Q(holder__isnull=True) | Q(holder_name=""),
                name="proxy_one_holder",
                violation_error_message=gettext_lazy(
                    "Un pouvoir va à un associé ou au conjoint, pas aux deux."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Pouvoir de {self.giver} à {self.holder_label}"

    @property
    def is_blank(self) -> bool:
        return self.holder_id is None and not self.holder_name

    @property
    def holder_label(self) -> str:
        if self.holder_id is not None:
            return str(self.holder)
        if self.holder_name:
            return f"{self.holder_name} (conjoint·e ou partenaire)"
        return "la présidence (en blanc)"


class Choice(models.TextChoices):
    YES = "yes", gettext_lazy("pour")
    NO = "no", gettext_lazy("contre")
    ABSTAIN = "abstain", gettext_lazy("abstention")


class BallotChannel(models.TextChoices):
    ONLINE = "online", gettext_lazy("en ligne avant la séance")
    PAPER = "paper", gettext_lazy("formulaire papier de vote par correspondance")
    MEETING = "meeting", gettext_lazy("en séance")
    PROXY = "proxy", gettext_lazy("par pouvoir")


class PostalForm(models.Model):
    """A postal voting form (formulaire de vote par correspondance, R225-76/R225-77) of one
    voter: online (electronic form) or on paper received by post and recorded by the staff,
    with the scanned form. Its ballots are `Ballot` rows (channel online/paper) or, on a
    secret resolution, a `SecretBallot` and a `VoteMark`."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="postal_forms")
    voter = models.OneToOneField(RollEntry, on_delete=models.CASCADE, related_name="postal_form")
    channel = models.CharField(gettext_lazy("forme"), max_length=7, choices=BallotChannel.choices)
    received_at = models.DateTimeField(gettext_lazy("reçu le"))
    document = models.ForeignKey(
        "lib.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("formulaire numérisé"),
    )

    class Meta:
        verbose_name = gettext_lazy("formulaire de vote par correspondance")
        ordering = ["meeting", "received_at"]

    def __str__(self) -> str:
        return f"{self.voter} — {self.get_channel_display()}"


class Ballot(models.Model):
    """One named ballot: one per voter and resolution (database constraint)."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(RollEntry, on_delete=models.CASCADE, related_name="ballots")
    college = models.CharField(gettext_lazy("collège"), max_length=100, blank=True)
    choice = models.CharField(gettext_lazy("vote"), max_length=7, choices=Choice.choices)
    channel = models.CharField(gettext_lazy("mode"), max_length=7, choices=BallotChannel.choices)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("bulletin")
        constraints = [
            one_per(
                "resolution",
                "voter",
                name="ballot_one_per_voter",
                message=gettext_lazy("Cette personne a déjà voté sur cette résolution."),
            )
        ]
        indexes = [
            models.Index(fields=["resolution", "college", "choice"], name="ballot_tally"),
        ]

    def __str__(self) -> str:
        return f"{self.voter} : {self.get_choice_display()}"


class VoteMark(models.Model):
    """Secret ballot: that a voter voted on a resolution (no double vote), never what."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="marks")
    voter = models.ForeignKey(RollEntry, on_delete=models.CASCADE, related_name="marks")
    channel = models.CharField(gettext_lazy("mode"), max_length=7, choices=BallotChannel.choices)

    class Meta:
        verbose_name = gettext_lazy("émargement d’un scrutin secret")
        constraints = [
            one_per(
                "resolution",
                "voter",
                name="vote_mark_once",
                message=gettext_lazy("Cette personne a déjà voté à ce scrutin secret."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.voter} a voté"


class SecretBallot(models.Model):
    """Secret ballot: a choice in a college, with no voter and no time (a random key, no
    sequence: nothing links it to its `VoteMark`). `fingerprint` = SHA-256 of the resolution,
    the voter's receipt code and the choice: the voter checks it in the published list."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="secret_ballots"
    )
    college = models.CharField(gettext_lazy("collège"), max_length=100, blank=True)
    choice = models.CharField(gettext_lazy("vote"), max_length=7, choices=Choice.choices)
    fingerprint = models.CharField(gettext_lazy("empreinte"), max_length=64, unique=True)

    class Meta:
        verbose_name = gettext_lazy("bulletin secret")
        ordering = ["resolution", "fingerprint"]
        indexes = [models.Index(fields=["resolution", "college", "choice"], name="secret_tally")]

    def __str__(self) -> str:
        return self.fingerprint


class HandCount(models.Model):
    """Per-college counts of a show of hands in the meeting (college "" without colleges)."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="hands")
    college = models.CharField(gettext_lazy("collège"), max_length=100, blank=True)
    yes = models.PositiveIntegerField(gettext_lazy("pour"), default=0)
    no = models.PositiveIntegerField(gettext_lazy("contre"), default=0)
    abstain = models.PositiveIntegerField(gettext_lazy("abstentions"), default=0)

    class Meta:
        verbose_name = gettext_lazy("décompte à main levée")
        constraints = [
            one_per(
                "resolution",
                "college",
                name="hand_count_unique",
                message=gettext_lazy(
                    "Ce collège a déjà un décompte à main levée pour cette résolution."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.college or 'ensemble'} : {self.yes}/{self.no}/{self.abstain}"


# --------------------------------------------------------------------------------------------
# Decisions and actions
# --------------------------------------------------------------------------------------------


class Decision(models.Model):
    """An entry of the decision register: a resolution's outcome or a recorded decision."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    resolution = models.OneToOneField(
        Resolution, on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )
    decided_on = models.DateField(gettext_lazy("date"))
    title = models.CharField(gettext_lazy("décision"), max_length=300)
    text = models.TextField(gettext_lazy("texte"), blank=True)
    adopted = models.BooleanField(gettext_lazy("adoptée"), default=True)
    summary = models.CharField(gettext_lazy("résultat"), max_length=300, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = gettext_lazy("décision")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:decision", args=[self.pk])


class ActionStatus(models.TextChoices):
    TODO = "todo", gettext_lazy("à faire")
    DOING = "doing", gettext_lazy("en cours")
    DONE = "done", gettext_lazy("faite")


class Action(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(gettext_lazy("action"), max_length=300)
    owner = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("responsable"),
    )
    due_on = models.DateField(gettext_lazy("échéance"), null=True, blank=True)
    status = models.CharField(
        "état", max_length=5, choices=ActionStatus.choices, default=ActionStatus.TODO
    )

    class Meta:
        verbose_name = gettext_lazy("action de suivi")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------------------------
# Governance evaluation
# --------------------------------------------------------------------------------------------

SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]


class EvaluationAnswer(models.Model):
    """A participant's answer to the short questionnaire after a meeting (scores 1 to 5)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="evaluations")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    information = models.PositiveSmallIntegerField(
        "information reçue avant la réunion", choices=SCORE_CHOICES
    )
    debate = models.PositiveSmallIntegerField(
        gettext_lazy("temps laissé au débat"), choices=SCORE_CHOICES
    )
    clarity = models.PositiveSmallIntegerField(
        gettext_lazy("clarté des décisions"), choices=SCORE_CHOICES
    )
    comment = models.TextField(gettext_lazy("remarque"), blank=True)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("réponse au questionnaire")
        constraints = [
            one_per(
                "meeting",
                "contact",
                name="evaluation_once",
                message=gettext_lazy("Vous avez déjà répondu à ce questionnaire."),
            ),
            models.CheckConstraint(
                condition=Q(information__range=(1, 5), debate__range=(1, 5), clarity__range=(1, 5)),
                name="evaluation_scores_1_5",
                violation_error_message=gettext_lazy("Chaque note va de 1 à 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} — {self.meeting}"


from placette.governance import models_elections, models_live  # noqa: E402, F401  (issue 11)

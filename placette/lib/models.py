import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage, storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def for_object(self, obj: models.Model) -> "AuditEntryQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class AuditEntry(models.Model):
    """One line of the audit log: who did what, when, to which record. Never edited."""

    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("action", max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField("objet", max_length=300, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal d’audit"
        verbose_name_plural = "journal d’audit"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


# -- background jobs (placette.lib.jobs) -----------------------------------------------------


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


def private_storage() -> Storage:
    """The storage of private files: outside MEDIA_ROOT, no URL serves it."""
    return storages["private"]


def job_result_path(job: "Job", filename: str) -> str:
    """Referenced by migration 0003 only (results are Documents since 0005)."""
    return f"jobs/{job.pk}/{filename}"


class Job(models.Model):
    """One long action run in the background (a register PDF, letters to print…): who asked,
    how far it is, what it produced. Run by `placette.lib.jobs.job_run`; the page
    /gestion/travaux/<id>/ shows it."""

    kind = models.CharField(_("type"), max_length=100, db_index=True)
    label = models.CharField(_("intitulé"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("état"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("fait"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    func_path = models.CharField(_("fonction"), max_length=200)
    kwargs = models.JSONField(_("paramètres"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    return_url = models.CharField(_("page de retour"), max_length=300, blank=True)
    # The file it produced, kept as a stored document (placette.lib.documents).
    result = models.ForeignKey(
        "lib.Document",
        verbose_name=_("fichier produit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    error = models.TextField(_("erreur technique"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("travail en arrière-plan")
        verbose_name_plural = _("travaux en arrière-plan")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(done__lte=models.F("total")),
                name="lib_job_done_within_total",
                violation_error_message=_(
                    "Un travail ne peut pas avoir fait plus d’étapes que son total."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)

    def is_stale(self, now: dt.datetime | None = None) -> bool:
        """Running without a sign of life for `JOB_STALE_AFTER_SECONDS`: its worker died."""
        if self.status != JobStatus.RUNNING:
            return False
        limit = (now or timezone.now()) - dt.timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
        return (self.heartbeat_at or self.created_at) < limit

    def visible_to(self, user: Any) -> bool:
        """The job's page and its file: the person who started it and the staff admins."""
        return bool(
            user.is_authenticated
            and (user.pk == self.started_by_id or getattr(user, "is_staff_admin", False))
        )

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Report progress from inside the job (also its heartbeat). Written at most about
        once a second, and only if this run still owns the job; visible at once when the job
        function does not hold a transaction open."""
        from placette.lib.jobs import job_progress

        job_progress(self, done=done, total=total, message=message)


# -- stored files (placette.lib.documents) --------------------------------------------------


def _document_path(instance: "Document", filename: str) -> str:
    # A random folder per file: a path cannot be guessed, and two files never collide.
    now = timezone.now()
    return f"documents/{now:%Y/%m}/{get_random_string(24)}/{filename}"


class Document(models.Model):
    """One stored file (uploaded or generated). Never served by a `/media/` URL: every read goes
    through `placette.lib.views.document_download`, which asks `placette.lib.documents` who may
    read it (staff; the `owner` contact; the readers registered for its `scope`)."""

    file = models.FileField(
        "fichier", upload_to=_document_path, storage=private_storage, max_length=300
    )
    name = models.CharField("nom du fichier", max_length=255)
    content_type = models.CharField("type de contenu", max_length=150)
    size = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("déposé le", default=timezone.now)
    owner = models.ForeignKey(
        "contacts.Contact",
        verbose_name="personne concernée",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="Elle peut lire ce document depuis son espace.",
    )
    # Who else may read it is decided by the area owning the scope (e.g. "governance.meeting"
    # with the meeting's id, or "membership.register" alone); an empty scope, or one no area
    # registered readers for, means staff (and the owner) only.
    scope = models.CharField("portée", max_length=50, blank=True)
    scope_id = models.PositiveBigIntegerField("identifiant dans la portée", null=True, blank=True)

    class Meta:
        verbose_name = "document"
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["scope", "scope_id"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("documents:download", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type in {"image/png", "image/jpeg", "image/webp"}

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()


class SavedViewQuerySet(models.QuerySet["SavedView"]):
    def visible_to(self, user: Any, list_key: str) -> "SavedViewQuerySet":
        """The user's own views of a list, then those the team shares, by name."""
        return self.filter(
            models.Q(owner=user) | models.Q(shared=True), list_key=list_key
        ).order_by("name", "id")


class SavedView(models.Model):
    """A named set of filters, sort and columns of one staff list, private or shared."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("propriétaire"),
        on_delete=models.CASCADE,
        related_name="saved_views",
    )
    list_key = models.CharField(_("liste"), max_length=50)
    name = models.CharField(_("nom"), max_length=80)
    # Filters and sort as a query string (no page, no columns): replayed as is.
    query = models.TextField(_("filtres et tri"), blank=True)
    columns = models.JSONField(_("colonnes"), default=list, blank=True)
    shared = models.BooleanField(_("partagée avec l’équipe"), default=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        verbose_name = _("vue enregistrée")
        verbose_name_plural = _("vues enregistrées")
        ordering = ["list_key", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "list_key", "name"],
                name="saved_view_unique_name_per_owner",
                violation_error_message=_("Vous avez déjà une vue de cette liste sous ce nom."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def querystring(self) -> str:
        """Filters, sort and columns of the view, ready to follow the list's URL."""
        from django.http import QueryDict

        params = QueryDict(self.query, mutable=True)
        params.setlist("cols", self.columns)
        params["view"] = str(self.pk)
        return params.urlencode()


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "en attente"
    SENDING = "sending", "en cours d’envoi"
    SENT = "sent", "envoyé"
    FAILED = "failed", "échec"


class OutgoingMessage(models.Model):
    """One email of the platform, written by `placette.lib.mail.mail_send` in the caller's
    transaction and delivered after commit by a task. The unique `key` makes sending
    idempotent; `status`, `attempts`, `claimed_at` make it resumable (docs/architecture.md)."""

    key = models.CharField("clé", max_length=200, unique=True)
    kind = models.CharField("nature", max_length=60, db_index=True)
    template = models.CharField("modèle", max_length=100)
    to = models.EmailField("destinataire")
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name="contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    subject = models.CharField("objet", max_length=255)
    body_text = models.TextField("texte", blank=True)
    body_html = models.TextField("HTML", blank=True)
    keep_body = models.BooleanField(default=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    # A failure the relay will never accept again (550) is not retryable; a relay that stayed
    # down for every attempt is (`manage.py mail_resume --failed`).
    retryable = models.BooleanField(default=True)
    next_attempt_at = models.DateTimeField("prochaine tentative", default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField("erreur", blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "e-mail envoyé"
        verbose_name_plural = "e-mails envoyés"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
            models.Index(fields=["status", "claimed_at"], name="message_claimed"),
            models.Index(fields=["content_type", "object_id"], name="message_related"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    @property
    def related(self) -> models.Model | None:
        """The business row this message is about (a convocation, a document…)."""
        if self.content_type is None or not self.object_id:
            return None
        model = self.content_type.model_class()
        if model is None:
            return None
        return model._default_manager.filter(pk=self.object_id).first()

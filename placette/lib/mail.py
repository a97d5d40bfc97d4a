"""The one way to send an email (docs/architecture.md, « Mail »).

`mail_send` renders the templates `emails/<template>.subject.txt`, `.txt` and `.html` (its CSS
inlined), writes one `OutgoingMessage` row in the caller's transaction and, after commit,
enqueues `placette.lib.tasks.mail_deliver_task`. The row's unique `key` makes sending
idempotent: calling `mail_send` again with the same key, or running the task twice, never
sends a second email. Delivery (`message_deliver`) claims the row, talks to the relay outside
any transaction (so a stalled relay never holds a database lock), then records `sent` or the
error: a refusal by the relay (5xx) is `failed` for that message only, a relay that is down
leaves it `queued` with a later attempt, and a message whose worker died while sending is
claimed again after `MAIL_CLAIM_TIMEOUT` seconds (`manage.py mail_resume`).

Attachments that are PDFs are produced inside the task (`Attachment.later`), so requests stay
fast. When the message is about a business row (`related=`), that row's `mail_sent(message)`
or `mail_failed(message)` method, if it has one, records the outcome in the same transaction
as the message's status (e.g. `Convocation.sent_at`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import smtplib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import parseaddr
from typing import Any, Protocol

import css_inline
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail as django_mail
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from placette.lib.models import MessageStatus, OutgoingMessage

logger = logging.getLogger(__name__)

# Seconds after which a message still « sending » is taken to belong to a dead worker. Longer
# than the SMTP timeout (30 s) plus the time to produce the attachments.
CLAIM_TIMEOUT_DEFAULT = 600
MAX_ATTEMPTS_DEFAULT = 8
# Minutes before the next attempt after the n-th transient failure.
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360, 720)


class Recipient(Protocol):
    pk: Any

    @property
    def mail_to(self) -> str: ...


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message: given now (`content`), or produced inside the sending task
    by a function decorated with `@mail_attachment` (`Attachment.later`), which returns an
    `Attachment` with its content."""

    filename: str = ""
    content: bytes = b""
    mimetype: str = "application/octet-stream"
    producer: str = ""
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def later(cls, producer: Callable[..., Attachment], **kwargs: Any) -> Attachment:
        if not getattr(producer, "mail_attachment", False):
            raise ValueError(f"{producer!r} n’est pas déclaré avec @mail_attachment.")
        return cls(producer=f"{producer.__module__}.{producer.__qualname__}", kwargs=kwargs)

    def to_json(self) -> dict[str, Any]:
        if self.producer:
            return {"producer": self.producer, "kwargs": dict(self.kwargs)}
        return {
            "filename": self.filename,
            "mimetype": self.mimetype,
            "content": base64.b64encode(self.content).decode(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Attachment:
        if data.get("producer"):
            producer = import_string(data["producer"])
            if not getattr(producer, "mail_attachment", False):
                raise ValueError(f"{data['producer']} n’est pas déclaré avec @mail_attachment.")
            produced = producer(**data.get("kwargs", {}))
            assert isinstance(produced, Attachment) and not produced.producer
            return produced
        return cls(
            filename=data["filename"],
            mimetype=data["mimetype"],
            content=base64.b64decode(data["content"]),
        )


def mail_attachment[Fn: Callable[..., Any]](func: Fn) -> Fn:
    """Declare a function that produces an attachment inside the sending task. It receives the
    JSON keyword arguments given to `Attachment.later` and returns an `Attachment`."""
    func.mail_attachment = True  # type: ignore[attr-defined]
    return func


# --------------------------------------------------------------------------------------------
# Queueing
# --------------------------------------------------------------------------------------------


def _render_text(name: str, context: Mapping[str, Any]) -> str:
    # Plain text is never HTML-escaped (« l’AG & le CA » must stay as typed).
    template = get_template(name)
    return template.template.render(Context(dict(context), autoescape=False))  # type: ignore[attr-defined]


def mail_render(template: str, context: Mapping[str, Any]) -> tuple[str, str, str]:
    """(subject, text, html) of `emails/<template>.*`; html is "" when there is no .html."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(_render_text(f"emails/{template}.subject.txt", context).split())
    text = _render_text(f"emails/{template}.txt", context).strip() + "\n"
    try:
        html: str = css_inline.inline(render_to_string(f"emails/{template}.html", context))
    except TemplateDoesNotExist:
        html = ""
    return subject[:255], text, html


def mail_send(
    *,
    template: str,
    key: str,
    context: Mapping[str, Any] | None = None,
    to_contact: Recipient | None = None,
    to_email: str = "",
    kind: str = "",
    attachments: Sequence[Attachment] = (),
    headers: Mapping[str, str] | None = None,
    related: models.Model | None = None,
    keep_body: bool = True,
    transactional: bool = True,
) -> OutgoingMessage | None:
    """Queue one email, sent after the current transaction commits.

    The address is `to_email` when given, else `to_contact.mail_to` (the one rule). Returns
    None, and queues nothing, when there is no address. A `key` already used returns the
    existing message and sends nothing more. `keep_body=False` (sign-in codes) empties the
    stored texts once the message is sent.

    `transactional=False` (newsletters, event announcements: mail that needs consent) first
    asks the suppression list (`mail_suppressed`): an address there gets nothing, and None is
    returned. Relationship mail (convocations, certificates, sign-in codes) stays
    transactional."""
    # No lookup first: the unique key answers a repeat (one INSERT per message in a batch).
    to = to_email or (to_contact.mail_to if to_contact is not None else "")
    if not to:
        return OutgoingMessage.objects.filter(key=key).first()
    if not transactional and mail_suppressed(to):
        logger.info("E-mail %s non envoyé : %s est sur la liste d’opposition.", key, to)
        return None
    subject, text, html = mail_render(
        template, {**(context or {}), "recipient": to_contact, "to": to}
    )
    message = OutgoingMessage(
        key=key,
        kind=kind or template.replace("/", "."),
        template=template,
        to=to,
        contact_id=to_contact.pk if to_contact is not None else None,
        subject=subject,
        body_text=text,
        body_html=html,
        keep_body=keep_body,
        headers=dict(headers or {}),
        attachments=[a.to_json() for a in attachments],
        content_type=ContentType.objects.get_for_model(related) if related is not None else None,
        object_id=str(related.pk) if related is not None else "",
    )
    try:
        with transaction.atomic():  # a savepoint: a racing twin meets the unique key
            message.save()
    except IntegrityError:
        return OutgoingMessage.objects.get(key=key)
    _enqueue_after_commit(message.pk)
    return message


def mail_suppressed(address: str) -> str:
    """Why `address` must get no non-transactional email ("" when it may): the check named by
    the setting `MAIL_SUPPRESSION_CHECK` (a dotted path to `f(address) -> str`; the mailing
    area's suppression list), none when unset."""
    path = getattr(settings, "MAIL_SUPPRESSION_CHECK", "")
    if not path:
        return ""
    return str(import_string(path)(address) or "")


def _enqueue_after_commit(message_id: int) -> None:
    from placette.lib.tasks import mail_deliver_task

    # robust: a failed enqueue must not turn a committed request into an error page; the row
    # is queued and `mail_resume` wakes it up.
    transaction.on_commit(lambda: mail_deliver_task.enqueue(message_id), robust=True)


def _enqueue(message_id: int, *, at: Any = None) -> None:
    from placette.lib.tasks import mail_deliver_task

    task = mail_deliver_task
    if at is not None and task.get_backend().supports_defer:
        task = task.using(run_after=at)
    elif at is not None:
        return  # this backend cannot wait: `mail_resume` sends it when it is due
    task.enqueue(message_id)


# --------------------------------------------------------------------------------------------
# Delivery (the task)
# --------------------------------------------------------------------------------------------


def _claim_timeout() -> timedelta:
    return timedelta(seconds=getattr(settings, "MAIL_CLAIM_TIMEOUT", CLAIM_TIMEOUT_DEFAULT))


def _claim(message_id: int) -> Any:
    """Take the message for this worker: queued and due, or « sending » for longer than the
    claim timeout (its worker died). One UPDATE, so two workers never both get it."""
    now = timezone.now()
    claimed = OutgoingMessage.objects.filter(pk=message_id).filter(
        Q(status=MessageStatus.QUEUED, next_attempt_at__lte=now)
        | Q(status=MessageStatus.SENDING, claimed_at__lt=now - _claim_timeout())
    )
    if claimed.update(status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1):
        return now
    return None


def _from_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "placette.local"


def _email(message: OutgoingMessage) -> EmailMultiAlternatives:
    headers = dict(message.headers)
    # The same Message-ID on every attempt: a copy sent twice is recognisable as one message.
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:32]
    headers.setdefault("Message-ID", f"<{digest}@{_from_domain()}>")
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers=headers,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for data in message.attachments:
        attachment = Attachment.from_json(data)
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    return email


def _in_transaction() -> bool:
    # A test case's own wrapping transaction does not count: it is not one of ours.
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _is_permanent(exc: BaseException) -> bool:
    """True when the relay refused this message for good (5xx about the recipient or the
    content); a relay that is down, slow or refusing our sender is worth another attempt."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPDataError):
        return 500 <= exc.smtp_code < 600
    try:
        from anymail.exceptions import AnymailInvalidAddress, AnymailRecipientsRefused
    except ImportError:  # pragma: no cover - anymail is a dependency
        return False
    return isinstance(exc, (AnymailRecipientsRefused, AnymailInvalidAddress))


def _relay(email: EmailMultiAlternatives) -> None:
    if _in_transaction():
        raise RuntimeError(
            "Un e-mail ne part jamais depuis une transaction : la base resterait verrouillée "
            "pendant l’échange avec le serveur de messagerie."
        )
    sent = django_mail.mailers.default.send_messages([email])
    if not sent:
        raise smtplib.SMTPException("Le serveur de messagerie n’a pas accepté le message.")


def message_deliver(*, message_id: int) -> str:
    """Send one queued message (the body of `mail_deliver_task`); returns its status after.

    Never twice: only the worker that claimed the row sends it, and a sent row is never
    claimed again. A worker killed between the relay's acceptance and the status update would
    send it again after the claim timeout, with the same Message-ID."""
    if _claim(message_id) is None:
        current = OutgoingMessage.objects.filter(pk=message_id).values_list("status", flat=True)
        return current.first() or ""
    message = OutgoingMessage.objects.get(pk=message_id)
    try:
        email = _email(message)  # attachments produced here, each in its own short transaction
        _relay(email)
    except Exception as exc:
        return _record_failure(message, exc)
    with transaction.atomic():
        message.status = MessageStatus.SENT
        message.sent_at = timezone.now()
        message.error = ""
        update = ["status", "sent_at", "error"]
        if not message.keep_body:
            message.body_text = message.body_html = ""
            update += ["body_text", "body_html"]
        message.save(update_fields=update)
        _tell_related(message, "mail_sent")
    return message.status


def _record_failure(message: OutgoingMessage, exc: Exception) -> str:
    permanent = _is_permanent(exc)
    message.error = f"{type(exc).__name__} : {exc}"[:2000]
    attempts = OutgoingMessage.objects.values_list("attempts", flat=True).get(pk=message.pk)
    max_attempts = getattr(settings, "MAIL_MAX_ATTEMPTS", MAX_ATTEMPTS_DEFAULT)
    if permanent or attempts >= max_attempts:
        message.status = MessageStatus.FAILED
        message.retryable = not permanent
    else:
        message.status = MessageStatus.QUEUED
        delay = BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1]
        message.next_attempt_at = timezone.now() + timedelta(minutes=delay)
    logger.warning("E-mail %s vers %s : %s", message.key, message.to, message.error)
    with transaction.atomic():
        message.save(update_fields=["status", "retryable", "next_attempt_at", "error"])
        if message.status == MessageStatus.FAILED:
            _tell_related(message, "mail_failed")
    if message.status == MessageStatus.QUEUED:
        transaction.on_commit(lambda: _enqueue(message.pk, at=message.next_attempt_at))
    return message.status


def _tell_related(message: OutgoingMessage, method: str) -> None:
    related = message.related
    hook = getattr(related, method, None)
    if hook is not None:
        hook(message)


def messages_reclaim(*, limit: int = 50) -> int:
    """Wake up the messages left « sending » by a dead worker (claim older than the timeout):
    each delivery task calls this, so the next worker takes over a killed one's message."""
    stale = OutgoingMessage.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lt=timezone.now() - _claim_timeout()
    ).values_list("pk", flat=True)[:limit]
    ids = list(stale)
    for pk in ids:
        _enqueue(pk)
    return len(ids)


def mail_resume(*, failed: bool = False) -> int:
    """Enqueue again every message that should be on its way and is not: left « sending » by a
    dead worker, queued and due for longer than the claim timeout (its task was lost), and with
    `failed`, those that failed for a reason worth retrying (the relay stayed down). Idempotent:
    an extra task for a message finds it taken or sent and does nothing."""
    now = timezone.now()
    late = now - _claim_timeout()
    if failed:
        OutgoingMessage.objects.filter(status=MessageStatus.FAILED, retryable=True).update(
            status=MessageStatus.QUEUED, attempts=0, next_attempt_at=now
        )
        late = now
    due = OutgoingMessage.objects.filter(
        Q(status=MessageStatus.SENDING, claimed_at__lt=now - _claim_timeout())
        | Q(status=MessageStatus.QUEUED, next_attempt_at__lte=late)
    ).values_list("pk", flat=True)
    count = 0
    for pk in due.iterator():
        _enqueue(pk)
        count += 1
    return count

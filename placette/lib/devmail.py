"""Development mailbox: with DEBUG and no EMAIL_URL, every email is written to DEV_MAILBOX_DIR
(one .eml file per message, exactly what a relay would receive) instead of being dumped in the
terminal, and read at /dev/courriels/ — a newcomer finds a member's sign-in code at once.
The terminal gets one line per email. Never used in production (settings refuse it)."""

from __future__ import annotations

import datetime as dt
import re
import sys
import uuid
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import InvalidMailer
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

# <timestamp>-<8 hex>: also what a URL may name, so nothing else is ever read.
NAME = re.compile(r"^\d{8}T\d{12}-[0-9a-f]{8}$")
LISTED = 200


def mailbox_dir() -> Path:
    return Path(settings.DEV_MAILBOX_DIR)


class EmailBackend(BaseEmailBackend):
    def __init__(self, *, file_path: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not file_path:
            raise InvalidMailer("OPTIONS must define 'file_path'.", alias=kwargs.get("alias"))
        self.path = Path(file_path)

    def send_messages(self, email_messages: Any) -> int:
        self.path.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            name = f"{timezone.now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
            (self.path / f"{name}.eml").write_bytes(message.message().as_bytes())
            print(
                f"Courriel pour {', '.join(message.recipients())} : « {message.subject} » "
                f"— à lire sur {settings.SITE_URL}/dev/courriels/{name}/",
                file=sys.stderr,
            )
            sent += 1
        return sent


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class StoredMail:
    name: str
    to: str
    sender: str
    subject: str
    date: dt.datetime | None
    text: str
    html: str
    attachments: list[Attachment]

    @property
    def preview(self) -> str:
        return " ".join(self.text.split())[:240]


def _date(header: Any) -> dt.datetime | None:
    try:
        return parsedate_to_datetime(str(header)) if header else None
    except (TypeError, ValueError):
        return None


def _parse(name: str, raw: bytes) -> StoredMail:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    text_part = message.get_body(("plain",))
    html_part = message.get_body(("html",))
    attachments = [
        Attachment(
            part.get_filename() or "sans-nom",
            part.get_content_type(),
            len(part.get_payload(decode=True) or b""),
        )
        for part in message.iter_attachments()
    ]
    return StoredMail(
        name=name,
        to=str(message.get("To", "")),
        sender=str(message.get("From", "")),
        subject=str(message.get("Subject", "")),
        date=_date(message.get("Date")),
        text=text_part.get_content() if text_part else "",
        html=html_part.get_content() if html_part else "",
        attachments=attachments,
    )


def mailbox_list(limit: int = LISTED) -> list[StoredMail]:
    """The newest messages first."""
    folder = mailbox_dir()
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.eml"), reverse=True)[:limit]
    return [_parse(path.stem, path.read_bytes()) for path in files if NAME.match(path.stem)]


def mailbox_get(name: str) -> StoredMail | None:
    path = mailbox_dir() / f"{name}.eml"
    if not NAME.match(name) or not path.is_file():
        return None
    return _parse(name, path.read_bytes())


def mailbox_attachment(name: str, index: int) -> tuple[str, str, bytes] | None:
    path = mailbox_dir() / f"{name}.eml"
    if not NAME.match(name) or not path.is_file():
        return None
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    parts = list(message.iter_attachments())
    if not 0 <= index < len(parts):
        return None
    part = parts[index]
    content = part.get_payload(decode=True)
    return (
        part.get_filename() or "piece-jointe",
        part.get_content_type(),
        content if isinstance(content, bytes) else b"",
    )


def mailbox_clear() -> int:
    folder = mailbox_dir()
    removed = 0
    if folder.is_dir():
        for path in folder.glob("*.eml"):
            if NAME.match(path.stem):
                path.unlink()
                removed += 1
    return removed

"""Stored files, the one way: `document_store` keeps a file (uploaded or generated) as a
`placette.lib.models.Document`, `document_readable_by` decides who may read it, and the one
download view (`placette.lib.views.document_download`) serves it with `document_response`.

Who may read a document:
- staff (the team) — every document, except a background job's file (`lib.job`): only the
  person who started the job and the staff admins;
- the contact it belongs to (`owner`: a member's certificate, bulletin, tax statement);
- whoever the area owning its `scope` says, through a reader registered with
  `@document_readers("<scope>")` in `placette/<app>/documents.py` (discovered at start-up):
  members on a convened meeting's roll for its documents, the activity holder for its place…
Anyone else gets a 404, as if the file did not exist. MEDIA_ROOT is never served by a URL.

Uploads are checked by their content (not the name the browser gives): PDF, PNG, JPEG, WebP,
office documents (Word, Excel, PowerPoint, OpenDocument) and CSV/text up to
`settings.DOCUMENT_MAX_BYTES`; HTML, SVG and everything else are refused. Downloads are
attachments (never rendered on our origin) except PDF and the three image types, and always
carry `X-Content-Type-Options: nosniff`.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import unicodedata
import zipfile
from collections.abc import Callable
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.text import get_valid_filename

from placette.lib.models import Document, Job

logger = logging.getLogger(__name__)

__all__ = [
    "Document",
    "DocumentFileField",
    "document_delete",
    "document_readable_by",
    "document_readers",
    "document_response",
    "document_store",
    "upload_check",
]

# Served inline (displayed in the browser): formats that cannot run a script on our origin.
JOB_SCOPE = "lib.job"  # a background job's result (placette.lib.jobs)
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp"})

# Accepted types and the extensions each may carry.
ALLOWED: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/webp": (".webp",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
    "application/vnd.oasis.opendocument.presentation": (".odp",),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.ms-powerpoint": (".ppt",),
    "text/csv": (".csv",),
    "text/plain": (".txt",),
}
ACCEPTED_TEXT = (
    "un PDF, une image PNG, JPEG ou WebP, un document bureautique (Word, Excel, PowerPoint, "
    "LibreOffice) ou un fichier CSV ou texte"
)
# The `accept` attribute of file inputs (a hint for the browser's picker, not a check).
ACCEPT_ATTR = ",".join(ext for exts in ALLOWED.values() for ext in exts)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
_OOXML_PARTS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# Text whose start a browser would take for markup (HTML, SVG, XML) is not "text".
_MARKUP_STARTS = (b"<",)


def _zip_type(handle: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in ALLOWED else None
            if "[Content_Types].xml" in names:
                for prefix, content_type in _OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return content_type
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def _text_type(head: bytes, extension: str) -> str | None:
    if b"\x00" in head:
        return None
    sample = head.removeprefix(b"\xef\xbb\xbf")
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still UTF-8.
        if exc.start < len(sample) - 3:
            try:
                sample.decode("cp1252")
            except UnicodeDecodeError:
                return None
    if sample.lstrip().lower().startswith(_MARKUP_STARTS):
        return None
    return "text/csv" if extension == ".csv" else "text/plain"


def sniff(handle: IO[bytes], name: str) -> str | None:
    """The content type of a file judged by its bytes (None when it is not an accepted kind).
    The name only chooses between kinds the bytes cannot tell apart (CSV or text, the three
    legacy Office formats)."""
    extension = os.path.splitext(name)[1].lower()
    handle.seek(0)
    head = handle.read(4096)
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        content_type = _zip_type(handle)
        handle.seek(0)
        return content_type
    if head.startswith(_OLE):
        return _OLE_TYPES.get(extension)
    return _text_type(head, extension)


def size_text(size: int) -> str:
    """A file size in French decimal units (« 20 Mo », « 1,5 Mo », « 350 ko »)."""
    value, unit = (size / 1_000_000, "Mo") if size >= 1_000_000 else (size / 1000, "ko")
    if unit == "ko" and size < 1000:
        return f"{size}\u00a0octets"
    text = f"{value:.1f}".removesuffix(".0").replace(".", ",")
    return f"{text}\u00a0{unit}"


def _display_name(name: str) -> str:
    """The name shown and given on download: no folder, no control character."""
    base = os.path.basename(name.replace("\\", "/")).strip()
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return base[:255] or "document"


def upload_check(file: Any) -> str:
    """The content type of an upload, or a French `ValidationError` saying why it is refused
    (too large, empty, not an accepted type, content not matching the extension)."""
    name = _display_name(getattr(file, "name", "") or "")
    size = file.size
    limit = settings.DOCUMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            "« %(name)s » pèse %(size)s : la limite est de %(limit)s par fichier.",
            code="too_large",
            params={"name": name, "size": size_text(size), "limit": size_text(limit)},
        )
    if size == 0:
        raise ValidationError("« %(name)s » est vide.", code="empty", params={"name": name})
    content_type = sniff(file, name)
    if content_type is None:
        raise ValidationError(
            "« %(name)s » n’est pas d’un type accepté : déposez %(accepted)s.",
            code="type",
            params={"name": name, "accepted": ACCEPTED_TEXT},
        )
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED[content_type]:
        raise ValidationError(
            "Le contenu de « %(name)s » ne correspond pas à son extension (il devrait se "
            "terminer par %(expected)s).",
            code="extension",
            params={"name": name, "expected": " ou ".join(ALLOWED[content_type])},
        )
    return content_type


class DocumentFileField(forms.FileField):
    """A file input that refuses what `document_store` would refuse, with the same French
    message on the field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            f"PDF, images, documents bureautiques, CSV ou texte ; "
            f"{size_text(settings.DOCUMENT_MAX_BYTES)} au plus.",
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT_ATTR)

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if file:
            file.checked_content_type = upload_check(file)
        return file


def document_store(
    *,
    content: bytes | File | Any,
    name: str,
    content_type: str | None = None,
    owner: Any = None,
    scope: str = "",
    scope_id: int | None = None,
    actor: Any = None,
) -> Document:
    """Keep a file and return its `Document`.

    `content` is bytes (a generated PDF, CSV…) or a file (an upload). Without `content_type`
    the content is checked like an upload (`upload_check`, a `ValidationError` when refused);
    with it, the caller vouches for bytes it produced itself. `owner` is the contact it belongs
    to (who may read it from their space); `scope`/`scope_id` name the row that decides the
    other readers (see the module docstring). No audit entry: the business event that stores
    the file (the caller) logs it.
    """
    display = _display_name(name)
    if isinstance(content, bytes | bytearray | memoryview):
        file: Any = ContentFile(bytes(content), name=display)
    else:
        file = content
    if content_type is None:
        content_type = getattr(file, "checked_content_type", None) or upload_check(file)
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b""):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    document = Document(
        name=display,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        owner=owner,
        scope=scope,
        scope_id=scope_id,
    )
    stored = get_valid_filename(display) or "document"
    document.file.save(stored, file if isinstance(file, File) else File(file), save=False)
    document.save()
    return document


def document_delete(document: Document) -> None:
    """Delete a document's row now and its file once the transaction commits (a rollback keeps
    both)."""
    storage, path = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(path) if path else None)


# --------------------------------------------------------------------------------------------
# Who may read
# --------------------------------------------------------------------------------------------

Reader = Callable[[Any, Document], bool]
_READERS: dict[str, Reader] = {}
# Scopes whose reader decides for the team too (a job's file: the person who started it).
_TEAM_READERS: dict[str, Reader] = {}


def document_readers(scope: str, *, team: bool = False) -> Callable[[Reader], Reader]:
    """Register who, besides staff and the owner, may read the documents of `scope`
    (`reader(user, document) -> bool`, the user being signed in). With `team=True` the reader
    alone decides, for staff as well (the team no longer reads every document of the scope)."""

    def register(reader: Reader) -> Reader:
        (_TEAM_READERS if team else _READERS)[scope] = reader
        return reader

    return register


def document_readable_by(user: Any, document: Document) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    gate = _TEAM_READERS.get(document.scope)
    if gate is not None:
        return bool(gate(user, document))
    if user.is_team:
        return True
    contact_id = getattr(user, "contact_id", None)
    if document.owner_id is not None and document.owner_id == contact_id:
        return True
    reader = _READERS.get(document.scope)
    return bool(reader and contact_id is not None and reader(user, document))


def document_response(document: Document, *, as_attachment: bool | None = None) -> FileResponse:
    """The file as an HTTP response: inline only for PDF and PNG/JPEG/WebP, an attachment
    otherwise (an HTML or SVG never renders on our origin), never sniffed, never cached by a
    shared cache."""
    if as_attachment is None:
        as_attachment = document.content_type not in INLINE_TYPES
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        # The row exists but its file is missing (e.g. a restore without the media folder).
        logger.error("Document %s: file %s is missing", document.pk, document.file.name)
        raise Http404("Le fichier de ce document est introuvable.") from exc
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=document.name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if as_attachment:
        # Even if a browser ignored the disposition, the file could run nothing.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    else:
        # An image or a PDF shown by the browser loads nothing else and runs no script (no
        # sandbox: it would stop the browser's PDF viewer).
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'"
        )
    return response


# --------------------------------------------------------------------------------------------
# Data migrations: files stored before this module move onto it
# --------------------------------------------------------------------------------------------


def document_adopt(
    document_model: Any,
    *,
    path: str = "",
    content: bytes | None = None,
    name: str = "",
    owner_id: int | None = None,
    scope: str = "",
    scope_id: int | None = None,
    uploaded_by_id: int | None = None,
    uploaded_at: Any = None,
) -> Any:
    """For data migrations (`document_model` is the historical `lib.Document`): keep the bytes
    given as `content` (a file formerly stored in a database column), or copy the file at
    `path` in the default storage (MEDIA_ROOT, the old place), into the private storage and
    return the new row. The type is sniffed from the bytes (a file that is no accepted kind —
    an HTML or SVG attached before the checks — becomes `application/octet-stream`, always an
    attachment). An old file is deleted only once the migration commits, so a failed
    migration loses nothing. A row whose file is already missing keeps its metadata (size 0)."""
    from django.core.files.storage import default_storage
    from django.utils import timezone

    name = _display_name(name or path)
    row = document_model(
        name=name,
        content_type="application/octet-stream",
        size=0,
        sha256="",
        owner_id=owner_id,
        scope=scope,
        scope_id=scope_id,
        uploaded_by_id=uploaded_by_id,
        uploaded_at=uploaded_at or timezone.now(),
    )
    if content is None:
        if not path or not default_storage.exists(path):
            logger.warning("Document %s: file %s is missing, only its record is kept", name, path)
            row.file.name = path
            row.save()
            return row
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
        transaction.on_commit(lambda: default_storage.delete(path))
    row.content_type = sniff(io.BytesIO(content), name) or "application/octet-stream"
    row.size = len(content)
    row.sha256 = hashlib.sha256(content).hexdigest()
    row.file.save(get_valid_filename(name) or "document", ContentFile(content), save=False)
    row.save()
    return row


@document_readers(JOB_SCOPE, team=True)
def _job_result_reader(user: Any, document: Document) -> bool:
    """A job's file (a large export, the register PDF…): the person who started the job and
    the staff admins, as on the job's page — not the whole team."""
    if document.scope_id is None:
        return False
    job = Job.objects.filter(pk=document.scope_id).only("started_by_id").first()
    return job is not None and job.visible_to(user)

"""PDF documents rendered by WeasyPrint from Django templates (bulletins, certificates, PV…)."""

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def _fetch_static(url: str) -> dict:
    """Serve /static/ files to WeasyPrint from disk: a PDF never needs the network."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("file://"):
        return default_url_fetcher(url)
    prefix = f"{settings.SITE_URL}{settings.STATIC_URL}"
    if url.startswith(prefix):
        path = finders.find(url[len(prefix) :])
        if path:
            return default_url_fetcher(f"file://{path}")
    raise ValueError(f"Ressource externe refusée dans un PDF : {url}")


# (stage, pages laid out so far): stage is "prepare", "layout" (once per page) or "write".
PdfProgress = Callable[[str, int], None]

_reporting = threading.local()


class _ProgressHandler(logging.Handler):
    """WeasyPrint logs each step and each page it lays out on `weasyprint.progress`; this
    passes them to the `progress` callback of the `pdf_render` running in the same thread."""

    def emit(self, record: logging.LogRecord) -> None:
        progress = getattr(_reporting, "progress", None)
        if progress is None:
            return
        text = str(record.msg)
        if text.startswith("Step 5 - Creating layout - Page"):
            args = record.args if isinstance(record.args, tuple) else ()
            _reporting.pages = int(str(args[0])) if args else _reporting.pages + 1
            progress("layout", _reporting.pages)
        elif text.startswith("Step 6"):
            progress("write", _reporting.pages)
        elif not text.startswith("Step 7"):
            progress("prepare", 0)


_progress_logger = logging.getLogger("weasyprint.progress")
_progress_logger.addHandler(_ProgressHandler())
_progress_logger.setLevel(logging.INFO)
_progress_logger.propagate = False  # these INFO lines are for the callback, not the console


def pdf_render(
    template: str,
    context: dict[str, Any],
    *,
    progress: PdfProgress | None = None,
    variant: str | None = None,
) -> bytes:
    """Render a template to PDF. `progress` (for background jobs, see
    `placette.lib.jobs.pdf_progress`) is told of each page laid out; `variant` asks WeasyPrint
    for a PDF variant (``"pdf/a-3b"`` for an archivable invoice)."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    _reporting.progress, _reporting.pages = progress, 0
    try:
        if progress:
            progress("prepare", 0)
        document = HTML(string=html, base_url=settings.SITE_URL, url_fetcher=_fetch_static)
        return document.write_pdf(pdf_variant=variant) if variant else document.write_pdf()
    finally:
        _reporting.progress = None


def pdf_response(filename: str, content: bytes, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.pdf"'
    return response

"""PDF documents rendered by WeasyPrint from Django templates (bulletins, certificates, PV…)."""

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def _fetcher() -> Any:
    """WeasyPrint's fetcher limited to this machine: /static/ files served from disk, `file:`
    and `data:` URIs (a QR code embedded as PNG); anything else is refused, so a PDF never
    needs the network. (WeasyPrint ≥ 68 takes a `URLFetcher` instance, not a function.)"""
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(("file://", "data:")):
                return super().fetch(url, headers)
            prefix = f"{settings.SITE_URL}{settings.STATIC_URL}"
            if url.startswith(prefix):
                path = finders.find(url[len(prefix) :].split("?")[0])
                if path:
                    return super().fetch(f"file://{path}", headers)
            raise ValueError(f"Ressource externe refusée dans un PDF : {url}")

    return LocalFetcher()


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
        document = HTML(string=html, base_url=settings.SITE_URL, url_fetcher=_fetcher())
        return document.write_pdf(pdf_variant=variant) if variant else document.write_pdf()
    finally:
        _reporting.progress = None


def pdf_response(filename: str, content: bytes, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.pdf"'
    return response

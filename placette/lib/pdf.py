"""PDF documents rendered by WeasyPrint from Django templates (bulletins, certificates, PV…)."""

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


def pdf_render(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=settings.SITE_URL, url_fetcher=_fetch_static).write_pdf()


def pdf_response(filename: str, content: bytes, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.pdf"'
    return response

"""Helpers for tests (imported by tests only)."""

import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """The text of a real PDF, to assert on what a person would read in it."""
    assert content.startswith(b"%PDF-"), "ce n’est pas un PDF"
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)

"""QR codes (segno, pinned in pyproject.toml): an inline SVG for a page or a PDF, a PNG for a
download. Pure: no Django import, no network, no file."""

from __future__ import annotations

import io

import segno

__all__ = ["qr_png", "qr_svg"]


def qr_svg(data: str, *, scale: int = 4, title: str = "") -> str:
    """An inline `<svg>` element (no XML declaration) encoding `data`; error correction M so a
    printed code survives a fold. `title` is the text read by screen readers."""
    if not data:
        raise ValueError("Un code QR ne peut pas être vide.")
    out = io.BytesIO()
    segno.make(data, error="m", micro=False).save(
        out, kind="svg", scale=scale, xmldecl=False, svgns=True, title=title or None, nl=False
    )
    return out.getvalue().decode()


def qr_png(data: str, *, scale: int = 6) -> bytes:
    if not data:
        raise ValueError("Un code QR ne peut pas être vide.")
    out = io.BytesIO()
    segno.make(data, error="m", micro=False).save(out, kind="png", scale=scale)
    return out.getvalue()

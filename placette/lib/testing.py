"""Helpers for tests (imported by tests only)."""

import io
import socket

from pypdf import PdfReader


def free_port() -> int:
    """A TCP port free on the loopback now (for a server a test or script starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_url(name: str | None = None) -> str:
    """The URL of the current PostgreSQL connection's server, for database `name` (default:
    the test database), so a subprocess can open it."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{name or db['NAME']}"


def pdf_text(content: bytes) -> str:
    """The text of a real PDF, to assert on what a person would read in it."""
    assert content.startswith(b"%PDF-"), "ce n’est pas un PDF"
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


# Sample files for upload tests: the first bytes of each kind, and two that carry a script.
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


def browser_session_switch(page, cookies: list[dict]) -> None:
    """Leave the current page, then sign the browser in with other cookies.

    Every signed-in response sets the session cookie again (the idle time-out pushes its
    expiry back), so a request of the previous page still in flight could put the previous
    person's cookie back after the switch: the page is left (and its requests end) first."""
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
    page.context.clear_cookies()
    if cookies:
        page.context.add_cookies(cookies)

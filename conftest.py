"""Fixtures shared by the whole suite: a real SMTP server and Debian's Chromium."""

import os
import shutil

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (sign-in rate-limit counters live there)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on localhost that keeps every message it receives.

    Variants for fault tests: add an address to `smtp_server.refused` and the server answers
    550 for it (the others are accepted); set `smtp_server.on_rcpt` to a function of the
    address, called before each recipient is accepted (e.g. to kill a worker mid-batch)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []
    refused: set[str] = set()

    class Keep(Message):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.lower() in refused:
                return "550 5.1.1 Mailbox unavailable"
            if controller.on_rcpt is not None:
                controller.on_rcpt(address)
            envelope.rcpt_tos.append(address)
            return "250 OK"

        def handle_message(self, message):
            received.append(message)

    from placette.lib.testing import free_port

    # aiosmtpd checks its own start-up by connecting, so it needs a real port, not 0.
    controller = Controller(Keep(), hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.messages = received
    controller.refused = refused
    controller.on_rcpt = None
    yield controller
    controller.stop()


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture
def page(live_server, monkeypatch):
    """A Playwright page in Debian's Chromium (never a downloaded browser)."""
    if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail("Chromium est introuvable : .ci/run doit installer le paquet chromium.")
        pytest.skip("Chromium n’est pas installé (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous and safe. monkeypatch: only for this test (a later
    # subprocess such as `check --deploy` must not inherit it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(locale="fr-FR", base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()

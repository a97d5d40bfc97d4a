"""The development mailbox: with DEBUG, emails are kept as files and read at /dev/courriels/
(sign-in codes in clear, attachments listed, not dumped); a 404 without DEBUG."""

import io
import os
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr
from pathlib import Path

from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings
from django.urls import reverse

from placette.lib import devmail
from placette.test import BaseTestCase

ROOT = Path(__file__).resolve().parents[3]


class DevMailboxTests(BaseTestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        backend = "placette.lib.devmail.EmailBackend"
        mailers = {"default": {"BACKEND": backend, "OPTIONS": {"file_path": str(self.folder)}}}
        self.settings = override_settings(DEBUG=True, DEV_MAILBOX_DIR=self.folder, MAILERS=mailers)
        self.settings.enable()
        self.addCleanup(self.settings.disable)

    def send_code(self):
        message = EmailMultiAlternatives(
            "Votre code de connexion à Placette",
            "Bonjour,\n\nVoici votre code de connexion :\n\nK7QX-92\n",
            to=["societaire@placette.demo"],
        )
        message.attach_alternative("<p>Voici votre code : <b>K7QX-92</b></p>", "text/html")
        message.attach("bulletin.pdf", b"%PDF-1.7 " + b"x" * 5000, "application/pdf")
        message.send()

    def test_a_sent_email_is_kept_as_one_file_and_announced_in_one_line(self):
        terminal = io.StringIO()
        with redirect_stderr(terminal):
            self.send_code()
        self.assertEqual(len(list(self.folder.glob("*.eml"))), 1)
        self.assertEqual(mail.outbox, [])
        lines = terminal.getvalue().splitlines()
        self.assertEqual(len(lines), 1)
        self.assertIn("« Votre code de connexion à Placette »", lines[0])
        self.assertIn("/dev/courriels/", lines[0])

    def test_the_mailbox_lists_the_emails_with_the_sign_in_code_readable(self):
        self.send_code()
        response = self.client.get(reverse("devmail:list"))
        self.assertContains(response, "Votre code de connexion à Placette")
        self.assertContains(response, "societaire@placette.demo")
        self.assertContains(response, "K7QX-92")
        self.assertContains(response, "1 pièce jointe")
        self.assertNotContains(response, "JVBERi")  # no base64 of the PDF

    def test_an_email_shows_its_text_its_sandboxed_html_and_its_attachments_to_download(self):
        self.send_code()
        name = devmail.mailbox_list()[0].name
        page = self.client.get(reverse("devmail:detail", args=[name]))
        self.assertContains(page, "K7QX-92")
        self.assertContains(page, "bulletin.pdf")
        html = self.client.get(reverse("devmail:html", args=[name]))
        self.assertIn("sandbox", html["Content-Security-Policy"])
        self.assertContains(html, "<b>K7QX-92</b>")
        pdf = self.client.get(reverse("devmail:attachment", args=[name, 0]))
        self.assertEqual(pdf["Content-Disposition"], 'attachment; filename="bulletin.pdf"')
        self.assertTrue(pdf.content.startswith(b"%PDF"))

    def test_only_names_of_the_mailbox_are_read(self):
        (self.folder / "secret.eml").write_text("Subject: non\n\nnon")
        self.assertEqual(self.client.get("/dev/courriels/secret/").status_code, 404)
        self.assertEqual(self.client.get("/dev/courriels/..%2Fsecret/").status_code, 404)

    def test_the_mailbox_can_be_emptied(self):
        self.send_code()
        response = self.client.post(reverse("devmail:clear"))
        self.assertRedirects(response, reverse("devmail:list"))
        self.assertEqual(list(self.folder.glob("*.eml")), [])

    def test_every_mailbox_page_answers_404_without_debug(self):
        self.send_code()
        name = devmail.mailbox_list()[0].name
        with override_settings(DEBUG=False):
            for url in [
                reverse("devmail:list"),
                reverse("devmail:detail", args=[name]),
                reverse("devmail:html", args=[name]),
                reverse("devmail:attachment", args=[name, 0]),
            ]:
                self.assertEqual(self.client.get(url).status_code, 404, url)
            self.assertEqual(self.client.post(reverse("devmail:clear")).status_code, 404)
        self.assertEqual(len(list(self.folder.glob("*.eml"))), 1)


def _settings_in_development(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "EMAIL_URL", "PORT"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.update({"DEBUG": "1", "PYTHONPATH": str(ROOT), **env})
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'placette.settings'; "
        "from django.conf import settings; "
        "print(settings.SITE_URL, settings.MAILERS['default']['BACKEND'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=clean, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_in_development_the_site_url_follows_the_port_and_mail_goes_to_the_mailbox():
    assert _settings_in_development(PORT="8123") == (
        "http://127.0.0.1:8123 placette.lib.devmail.EmailBackend"
    )
    assert _settings_in_development().startswith("http://127.0.0.1:8000 ")


def test_an_explicit_email_url_or_site_url_wins_over_the_development_defaults():
    out = _settings_in_development(
        PORT="8123", SITE_URL="https://demo.example.org", EMAIL_URL="console://"
    )
    assert out == "https://demo.example.org django.core.mail.backends.console.EmailBackend"

"""Issue 9: production is the default without DEBUG, refuses to start unsafe, and checks clean."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from placette.test import BaseTestCase

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-check-0123456789",
    "ALLOWED_HOSTS": "placette.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://placette.example.org",
    "SITE_URL": "https://placette.example.org",
    "EMAIL_URL": "smtp://relais:secret@smtp.example.org:587/?tls=True",
    "DEFAULT_FROM_EMAIL": "Placette <contact@example.org>",
    "BEHIND_PROXY": "1",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    skip = {"DEBUG", "PLACETTE_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in skip}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.update(env)
    clean["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PLACETTE_TESTING"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    clean.update(env, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_debug_the_site_refuses_to_serve_on_the_development_key():
    result = run_python("import placette.wsgi", env={})
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr
    assert "EMAIL_URL" in result.stderr


def test_without_debug_the_deployment_check_names_what_is_missing():
    result = run_manage("check", "--deploy", env={})
    assert result.returncode != 0
    assert "placette.E001" in result.stderr
    assert "SECRET_KEY doit être défini" in result.stderr


def test_without_debug_makemigrations_still_runs_for_tooling():
    result = run_manage("makemigrations", "--check", "--dry-run", env={})
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_documented_production_settings_serve():
    result = run_python("import placette.wsgi", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_the_documented_production_settings_pass_the_deployment_check_without_warning():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_mode_starts_without_any_production_setting():
    result = run_manage("check", env={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr


class SessionTimeoutTests(BaseTestCase):
    def test_a_team_session_ends_after_two_idle_hours_and_a_member_session_after_eight(self):
        self.login(self.staff)
        self.client.get(reverse("backoffice:dashboard"))
        self.assertEqual(self.client.session.get_expiry_age(), settings.STAFF_SESSION_IDLE_SECONDS)
        self.assertEqual(settings.STAFF_SESSION_IDLE_SECONDS, 7200)
        self.login(self.member)
        self.client.get(reverse("portal:home"))
        self.assertEqual(self.client.session.get_expiry_age(), settings.MEMBER_SESSION_IDLE_SECONDS)


class ProxyTests(BaseTestCase):
    def test_failed_sign_ins_behind_a_trusted_proxy_lock_out_the_client_not_everyone(self):
        from django.test import override_settings

        with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1):
            for _ in range(6):
                self.client.post(
                    reverse("account_login"),
                    {"login": "inconnu@test.fr", "password": "faux"},
                    REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR="203.0.113.9",
                )
            self.client.post(
                reverse("account_login"),
                {"login": self.staff.email, "password": self.password},
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR="198.51.100.4",
            )
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.staff.pk)

    def test_a_forged_forwarded_address_is_ignored_without_a_declared_proxy(self):
        for n in range(6):
            self.client.post(
                reverse("account_login"),
                {"login": "inconnu@test.fr", "password": "faux"},
                HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
            )
        response = self.client.post(
            reverse("account_login"),
            {"login": self.staff.email, "password": self.password},
            HTTP_X_FORWARDED_FOR="198.51.100.4",
        )
        self.assertContains(response, "Trop de tentatives")

"""The deployment of docs/deployment.md in a short, bounded form, run by .ci/run on PostgreSQL:
two stateless application processes (gunicorn) and two task workers on one database, in the
production settings (DEBUG off, HTTPS behind a proxy), with a real SMTP relay (aiosmtpd).

Proves: `check --deploy` is clean; both processes answer /sante/; a member asks a sign-in code
on one process, the code is emailed by a worker, confirmed on the other process, and the session
opened there is valid on the first (nothing kept in a process); 60 emails queued at once are
delivered exactly once by the two workers together; 6 background jobs each run once.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/placette python scripts/two_processes.py
(the database named in the URL gets a `_two` suffix; it is dropped and created again).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from placette.lib.testing import free_port  # noqa: E402

PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
MAILS = 60
JOBS = 6


def fail(message: str) -> None:
    print(f"ÉCHEC : {message}", file=sys.stderr)
    raise SystemExit(1)


def database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/placette")
    if not base.startswith("postgres"):
        fail("ce contrôle tourne sur PostgreSQL (DATABASE_URL=postgres://…)")
    parts = urllib.parse.urlsplit(base)
    name = parts.path.lstrip("/") + "_two"
    admin = parts._replace(path="/postgres").geturl()
    import psycopg

    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


class Smtp:
    """A real SMTP relay keeping what it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Message

        self.messages: list = []
        keep = self.messages

        class Keep(Message):
            def handle_message(self, message):
                keep.append(message)

        self.port = free_port()
        self.controller = Controller(Keep(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def manage(env: dict[str, str], *args: str, timeout: int = 600) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        fail(f"manage.py {' '.join(args)} :\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout + done.stderr


def shell(env: dict[str, str], code: str) -> str:
    return manage(env, "shell", "-c", code)


class Client:
    """A browser-like HTTP client for one application process, behind an HTTPS proxy."""

    def __init__(self, port: int, jar: http.cookiejar.CookieJar) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.jar = jar
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        req.add_header("X-Forwarded-Proto", "https")
        req.add_header("Host", "127.0.0.1")
        if data is not None:
            req.add_header("Referer", "https://127.0.0.1" + path)
            req.add_header("Origin", "https://127.0.0.1")
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode(), response.headers.get("Location")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace"), exc.headers.get("Location", "")

    def csrf(self) -> str:
        for cookie in self.jar:
            if cookie.name == "csrftoken":
                return cookie.value
        fail("pas de jeton CSRF")
        return ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def secure_cookies_as_plain(jar: http.cookiejar.CookieJar) -> None:
    """The processes set `Secure` cookies (HTTPS at the proxy); this client talks plain HTTP to
    them on loopback, as the proxy does, so it sends them back anyway."""
    for cookie in jar:
        cookie.secure = False


def main() -> None:
    url = database_url()
    work = Path(tempfile.mkdtemp(prefix="placette-two-"))
    smtp = Smtp()
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PLACETTE_TESTING", "PYTEST"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "placette.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
            "SITE_URL": "https://127.0.0.1",
            "DATABASE_URL": url,
            "CONN_MAX_AGE": "60",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "DEFAULT_FROM_EMAIL": "Placette <contact@exemple.fr>",
            "BEHIND_PROXY": "1",
            "MEDIA_ROOT": str(work / "media"),
            "PRIVATE_ROOT": str(work / "private"),
            "STATIC_ROOT": str(work / "static"),
            "LOG_LEVEL": "WARNING",
        }
    )
    processes: list[subprocess.Popen] = []
    try:
        print("== migrate, collectstatic, check --deploy")
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        report = manage(env, "check", "--deploy", "--fail-level", "WARNING")
        if "no issues" not in report:
            fail(f"check --deploy signale : {report}")
        shell(
            env,
            "from placette.accounts.models import User\n"
            "User.objects.create_user('membre@exemple.fr', None, role='member',"
            " display_name='Camille Membre')",
        )

        ports = [free_port(), free_port()]
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [GUNICORN, "placette.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=open(work / f"web-{port}.log", "w"),  # noqa: SIM115
                )
            )
        for n in range(2):
            processes.append(
                subprocess.Popen(
                    [PY, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.1"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=open(work / f"worker-{n}.log", "w"),  # noqa: SIM115
                )
            )

        jar = http.cookiejar.CookieJar()
        a, b = Client(ports[0], jar), Client(ports[1], jar)
        print(f"== two application processes on ports {ports[0]} and {ports[1]}, two workers")
        for client in (a, b):
            for _ in range(100):
                try:
                    status, body, _ = client.request("/sante/")
                    break
                except (ConnectionError, urllib.error.URLError):
                    time.sleep(0.2)
            else:
                fail(f"{client.base} ne répond pas")
            if status != 200 or json.loads(body)["status"] != "ok":
                fail(f"/sante/ sur {client.base} : {status} {body}")

        print("== sign-in code asked on one process, confirmed on the other")
        status, _, _ = a.request("/comptes/login/code/")
        secure_cookies_as_plain(jar)
        status, body, _ = a.request(
            "/comptes/login/code/",
            {"csrfmiddlewaretoken": a.csrf(), "email": "membre@exemple.fr"},
        )
        if status != 302:
            fail(f"demande de code : {status} {body[-2000:]}")
        for _ in range(300):
            if smtp.messages:
                break
            time.sleep(0.1)
        else:
            fail("le code de connexion n’est pas arrivé (les travailleurs n’envoient rien)")
        message = smtp.messages[0]
        text = message.get_payload(decode=True) if not message.is_multipart() else None
        if text is None:
            text = next(
                p.get_payload(decode=True)
                for p in message.walk()
                if p.get_content_type() == "text/plain"
            )
        code = re.search(r"\b([A-Z0-9]{3,}-?[A-Z0-9]{3,})\b", text.decode())
        if message["To"] != "membre@exemple.fr" or code is None:
            fail(f"message de connexion inattendu : {message['To']} {text[:500]!r}")
        secure_cookies_as_plain(jar)
        status, body, _ = b.request(
            "/comptes/login/code/confirm/", {"csrfmiddlewaretoken": b.csrf(), "code": code[1]}
        )
        if status != 302:
            fail(f"confirmation du code sur le second processus : {status} {body[-2000:]}")
        secure_cookies_as_plain(jar)
        status, body, _ = a.request("/espace/")
        if status != 200 or "Camille" not in body:
            fail(f"la session ouverte sur un processus n’est pas reconnue par l’autre : {status}")

        print(f"== {MAILS} emails and {JOBS} jobs shared by the two workers")
        smtp.messages.clear()
        shell(
            env,
            "from django.db import transaction\n"
            "from placette.lib.mail import mail_send\n"
            "from placette.lib.jobs import job_start\n"
            "with transaction.atomic():\n"
            f"    for n in range({MAILS}):\n"
            "        mail_send(template='membership/refusal', to_email=f'dest{n:03}@exemple.fr',"
            " key=f'two-processes-{n}', context={'req': {'reference': f'S-{n:03}',"
            " 'shares': 1, 'refusal_reason': 'essai'}, 'received': 0})\n"
            f"    for n in range({JOBS}):\n"
            "        job_start(kind='lib.register_export', label=f'Essai {n}', actor=None,"
            " func_path='placette.membership.register.export_job',"
            " kwargs={'on': '2025-12-31', 'fmt': 'csv'})\n",
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            state = shell(
                env,
                "from placette.lib.models import Job, OutgoingMessage\n"
                "print(OutgoingMessage.objects.exclude(status='sent').count(),"
                " Job.objects.exclude(status='done').count())",
            ).split()
            if state[-2:] == ["0", "0"]:
                break
            time.sleep(1)
        else:
            fail(f"travail non terminé après 3 minutes (e-mails, travaux restants : {state[-2:]})")
        received = sorted(m["To"] for m in smtp.messages)
        expected = sorted(f"dest{n:03}@exemple.fr" for n in range(MAILS))
        if received != expected:
            fail(f"{len(received)} e-mails reçus pour {MAILS} attendus (chacun une seule fois)")
        runs = shell(
            env,
            "from placette.lib.models import Job\n"
            "print(sorted(Job.objects.values_list('attempts', flat=True)))",
        ).strip()
        if runs.splitlines()[-1] != str([1] * JOBS):
            fail(f"chaque travail doit tourner une fois : {runs}")
        workers = shell(
            env,
            "from django_tasks_db.models import DBTaskResult\n"
            "print(len({w for ids in DBTaskResult.objects.values_list('worker_ids', flat=True)"
            " for w in ids}))",
        ).split()[-1]
        if workers != "2":
            fail(f"les deux travailleurs doivent se partager les tâches ({workers} actif)")
        print(
            f"OK : {MAILS} e-mails reçus une fois chacun, {JOBS} travaux exécutés une fois, "
            "par les deux travailleurs."
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        smtp.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

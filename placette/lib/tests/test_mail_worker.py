"""Faults with a real worker: `manage.py db_worker` in a subprocess, killed mid-batch."""

import importlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.db import connection

from placette.governance.models import Convocation
from placette.lib.models import MessageStatus, OutgoingMessage
from placette.lib.testing import postgres_url

BATCH = 16
KILL_AT = 6  # the worker dies while talking to the relay about the 6th message


def _database_for_subprocess(tmp_path: Path) -> tuple[str, Path | None]:
    """A URL the worker subprocess can open on the data this test wrote."""
    if connection.vendor == "sqlite":
        # The test database lives in memory: copy it to a file both processes can share.
        path = tmp_path / "worker.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        return f"sqlite:///{path}", path
    return postgres_url(), None


def _statuses(path: Path | None) -> dict[str, int]:
    if path is None:
        rows = OutgoingMessage.objects.values_list("status").order_by()
        result: dict[str, int] = {}
        for (status,) in rows:
            result[status] = result.get(status, 0) + 1
        return result
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT status, COUNT(*) FROM lib_outgoingmessage GROUP BY 1"))


def _stamped(path: Path | None) -> int:
    if path is None:
        return Convocation.objects.filter(sent_at__isnull=False).count()
    with sqlite3.connect(path) as db:
        query = "SELECT COUNT(*) FROM governance_convocation WHERE sent_at IS NOT NULL"
        return db.execute(query).fetchone()[0]


def _worker(url: str, smtp_port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "placette.settings",
        "DATABASE_URL": url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "MAIL_CLAIM_TIMEOUT": "1",
        "DEBUG": "0",
        "PLACETTE_TESTING": "1",  # production checks off: a test relay and test hosts
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0.05",
        ],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_convocation_batch_leaves_a_batch_the_next_worker_finishes_once(
    smtp_server, settings, tmp_path
):
    from placette.governance.services import meeting_convene
    from placette.governance.tests.helpers import make_ag, make_member, make_statutes
    from placette.test import give_consent

    # A transactional test runs on a flushed database: seed the consent purposes again.
    seed = importlib.import_module("placette.contacts.migrations.0002_consent_ledger")
    seed.purposes_seed(django_apps, None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_statutes()
    for n in range(BATCH):
        give_consent(make_member(f"Membre{n:02}", "abcd"[n % 4]))
    meeting = make_ag()
    assert meeting_convene(actor=None, meeting=meeting) == {"email": BATCH, "letter": 0}
    url, path = _database_for_subprocess(tmp_path)

    seen: list[str] = []
    locked: list[str] = []
    worker: dict[str, subprocess.Popen] = {}

    def on_rcpt(address: str) -> None:
        seen.append(address)
        if path is not None:
            # While the worker talks to the relay it holds no database lock: a write from
            # another process gets in at once (no busy wait).
            probe = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            except sqlite3.OperationalError as exc:
                locked.append(f"{address}: {exc}")
            finally:
                probe.close()
        if len(seen) == KILL_AT and "first" in worker:
            worker["first"].send_signal(signal.SIGKILL)

    smtp_server.on_rcpt = on_rcpt
    worker["first"] = first = _worker(url, smtp_server.port)
    first.wait(timeout=60)
    assert first.returncode == -signal.SIGKILL
    assert len(smtp_server.messages) == KILL_AT - 1
    left = _statuses(path)
    assert left == {
        MessageStatus.SENT: KILL_AT - 1,
        MessageStatus.SENDING: 1,  # claimed by the dead worker
        MessageStatus.QUEUED: BATCH - KILL_AT,
    }

    time.sleep(1.1)  # the dead worker's claim is now older than MAIL_CLAIM_TIMEOUT
    second = _worker(url, smtp_server.port)
    _out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err.decode()[-2000:]

    received = sorted(m["To"] for m in smtp_server.messages)
    assert received == [f"membre{n:02}@exemple.fr" for n in range(BATCH)]  # each exactly once
    assert all(m["Subject"] == "Convocation : AG 2025" for m in smtp_server.messages)
    assert _statuses(path) == {MessageStatus.SENT: BATCH}
    assert _stamped(path) == BATCH  # every convocation carries its evidence of sending
    assert locked == []

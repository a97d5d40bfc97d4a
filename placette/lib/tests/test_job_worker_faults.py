"""Faults with a real worker on a long job: `manage.py db_worker` in a subprocess, killed in the
middle of a batch of approvals (each books shares and emails a certificate), then
`jobs_recover` and a second worker. Every request is booked once, every member gets one
certificate, the job ends done."""

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
from django.db import transaction
from django.utils import timezone

from placette.lib.tests.test_mail_worker import _database_for_subprocess

BATCH = 8
KILL_AFTER = 3  # movements booked when the first worker dies


def _env(url: str, smtp_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "placette.settings",
        "DATABASE_URL": url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "MAIL_CLAIM_TIMEOUT": "1",
        "JOB_STALE_AFTER_SECONDS": "1",
        "DEBUG": "0",
        "PLACETTE_TESTING": "1",  # production checks off: a test relay and test hosts
    }


def _manage(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _worker(env: dict[str, str]) -> subprocess.Popen:
    return _manage(
        env,
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0.05",
    )


def _count(path: Path | None, sql: str, orm) -> int:
    if path is None:
        return orm()
    with sqlite3.connect(path, timeout=5) as db:
        return db.execute(sql).fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_approval_batch_books_each_request_once_after_recovery(
    smtp_server, settings, tmp_path
):
    from placette.lib.models import Job, JobStatus
    from placette.membership.batches import requests_decide_start
    from placette.membership.models import Movement
    from placette.membership.models_requests import RequestStatus, SubscriptionRequest
    from placette.membership.subscriptions import request_payment_record
    from placette.membership.tests.helpers import make_statutes
    from placette.membership.tests.test_subscription_public import payment_settings
    from placette.membership.tests.test_subscription_queue import _create

    seed = importlib.import_module("placette.contacts.migrations.0002_consent_ledger")
    seed.purposes_seed(django_apps, None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_statutes()
    payment_settings()
    requests = []
    for n in range(BATCH):
        req = _create(email=f"membre{n}@exemple.fr", last_name=f"Membre{n}", shares=2)
        request_payment_record(
            actor=None,
            request=req,
            amount=req.amount,
            paid_on=timezone.localdate(),
            method="transfer",
        )
        requests.append(req)
    with transaction.atomic():
        job = requests_decide_start(actor=None, chosen=requests, approve=True)

    url, path = _database_for_subprocess(tmp_path)
    env = _env(url, smtp_server.port)
    moves_sql = "SELECT COUNT(*) FROM membership_movement"

    first = _worker(env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if _count(path, moves_sql, Movement.objects.count) >= KILL_AFTER:
            break
        if first.poll() is not None:
            break
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    booked = _count(path, moves_sql, Movement.objects.count)
    assert KILL_AFTER <= booked < BATCH, "the first worker must die in the middle of the batch"

    time.sleep(1.2)  # no heartbeat for longer than JOB_STALE_AFTER_SECONDS
    recover = _manage(env, "jobs_recover")
    _out, err = recover.communicate(timeout=60)
    assert recover.returncode == 0, err.decode()[-2000:]
    second = _worker(env)
    _out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err.decode()[-2000:]

    if path is not None:  # read the shared file back into this test's database
        source = sqlite3.connect(path)
        from django.db import connection

        connection.ensure_connection()
        source.backup(connection.connection)
        source.close()

    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.DONE, job.message
    assert job.attempts == 2
    assert f"{BATCH} demandes approuvées." in job.message
    assert "Non traitées" not in job.message
    assert Movement.objects.count() == BATCH  # each request booked once
    assert set(SubscriptionRequest.objects.values_list("status", flat=True)) == {
        RequestStatus.APPROVED
    }
    certificates = sorted(
        m["To"] for m in smtp_server.messages if "certificat" in m["Subject"].lower()
    )
    assert certificates == sorted(f"membre{n}@exemple.fr" for n in range(BATCH))

"""Issue 9 on PostgreSQL: `manage.py backup` then `manage.py migrate` and `manage.py restore`
into a new PostgreSQL database give back every table row for row; the restored database then
takes new rows (its sequences continue after the restored keys)."""

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from placette.governance.tests.helpers import make_member, make_statutes
from placette.lib.testing import postgres_url
from placette.test import BaseTestCase

ROOT = Path(__file__).resolve().parents[3]
SKIPPED = {"django_migrations", "placette_cache"}

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL round trip (SQLite has its own)"
)


def _rows(cursor, tables: list[str]) -> dict[str, list[tuple]]:
    out = {}
    for name in tables:
        cursor.execute(f'SELECT * FROM "{name}" ORDER BY 1')
        out[name] = cursor.fetchall()
    return out


def _same(restored, original) -> bool:
    """Equal values; Django's cursor reads jsonb as its text, psycopg's as Python values."""
    if isinstance(original, str) and isinstance(restored, (dict, list)):
        return json.loads(original) == restored
    return restored == original


class PostgresBackupRoundTripTests(BaseTestCase):
    def test_a_backup_restored_into_a_new_postgresql_database_has_every_row_and_takes_new_ones(
        self,
    ):
        import psycopg

        make_statutes()
        make_member("Rose", "a", on=dt.date(2022, 3, 1))
        make_member("Paul", "b", on=dt.date(2023, 5, 2))
        target = f"{connection.settings_dict['NAME']}_restore"
        admin = psycopg.connect(postgres_url("postgres"), autocommit=True)
        try:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{target}"')
            with tempfile.TemporaryDirectory() as tmp:
                tmp = Path(tmp)
                with override_settings(MEDIA_ROOT=tmp / "media", PRIVATE_ROOT=tmp / "private"):
                    call_command("backup", output=str(tmp / "sauvegarde.tar.gz"), stdout=None)
                env = {
                    **os.environ,
                    "DEBUG": "1",
                    "DATABASE_URL": postgres_url(target),
                    "MEDIA_ROOT": str(tmp / "media2"),
                    "PRIVATE_ROOT": str(tmp / "private2"),
                    "PYTHONPATH": str(ROOT),
                    "DJANGO_SETTINGS_MODULE": "placette.settings",
                }
                env.pop("PLACETTE_TESTING", None)

                def manage(*args: str) -> subprocess.CompletedProcess:
                    return subprocess.run(
                        [sys.executable, str(ROOT / "manage.py"), *args],
                        env=env,
                        capture_output=True,
                        text=True,
                        timeout=600,
                    )

                done = manage("migrate", "--noinput")
                self.assertEqual(done.returncode, 0, done.stderr[-3000:])
                done = manage("restore", str(tmp / "sauvegarde.tar.gz"))
                self.assertEqual(done.returncode, 0, done.stderr[-3000:])

                tables = sorted(set(connection.introspection.table_names()) - SKIPPED)
                with connection.cursor() as cursor:
                    before = _rows(cursor, tables)
                with psycopg.connect(postgres_url(target)) as restored:
                    after = _rows(restored.cursor(), tables)
                for name in tables:
                    self.assertEqual(len(after[name]), len(before[name]), name)
                    for got, kept in zip(after[name], before[name], strict=True):
                        differ = [(a, b) for a, b in zip(got, kept, strict=True) if not _same(a, b)]
                        self.assertEqual(differ, [], name)
                self.assertTrue(before["membership_movement"])
                self.assertTrue(before["contacts_contact"])

                # New rows after the restore get keys after the restored ones.
                done = manage(
                    "shell",
                    "-c",
                    "from placette.contacts.services import contact_create\n"
                    "c = contact_create(actor=None, data={'kind': 'person', 'first_name': 'Nina',"
                    " 'last_name': 'Neuve'}, source='test')\n"
                    "print(c.pk)",
                )
                self.assertEqual(done.returncode, 0, done.stderr[-3000:])
                new_pk = int(done.stdout.split()[-1])
                self.assertGreater(new_pk, max(row[0] for row in before["contacts_contact"]))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
            admin.close()

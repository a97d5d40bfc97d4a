"""Issue 9: `manage.py backup` then `manage.py restore` into a new database gives back every
table row for row and every stored file byte for byte; a restore never lands on live data."""

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from placette.governance.tests.helpers import make_member, make_statutes
from placette.lib.backup import backup_restore, backup_write
from placette.lib.refusals import Refusal
from placette.test import BaseTestCase

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the round trip builds its empty target with SQLite"
)


def empty_copy_of_schema(target: Path) -> None:
    """A migrated, empty database: the test database's schema and migration records only."""
    connection.ensure_connection()
    source = connection.connection
    objects = source.execute(
        "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END"
    ).fetchall()
    copy = sqlite3.connect(target)
    try:
        for _, sql in objects:
            copy.execute(sql)
        rows = source.execute("SELECT id, app, name, applied FROM django_migrations").fetchall()
        copy.executemany("INSERT INTO django_migrations VALUES (?, ?, ?, ?)", rows)
        copy.commit()
    finally:
        copy.close()


def tables(conn) -> dict[str, list[tuple]]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {name: conn.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall() for name in names}


class BackupRoundTripTests(BaseTestCase):
    def test_a_restored_backup_has_every_row_and_every_file_of_the_original(self):
        make_statutes()
        holder = make_member("Rose", "a", on=dt.date(2022, 3, 1))
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            with override_settings(MEDIA_ROOT=tmp / "media", PRIVATE_ROOT=tmp / "private"):
                # A stored document as the private storage keeps it, with a name in a folder.
                (tmp / "private" / "documents" / "2026").mkdir(parents=True)
                (tmp / "private" / "documents" / "2026" / "certificat.pdf").write_bytes(
                    b"%PDF-1.4 certificat de " + holder.display_name.encode()
                )
                (tmp / "media").mkdir(exist_ok=True)
                (tmp / "media" / "ancien.txt").write_bytes("é\n".encode())
                call_command("backup", output=str(tmp / "sauvegarde.tar.gz"), stdout=None)

            target = tmp / "restored.sqlite3"
            empty_copy_of_schema(target)
            env = {
                **os.environ,
                "DEBUG": "1",
                "DATABASE_URL": f"sqlite:///{target}",
                "MEDIA_ROOT": str(tmp / "media2"),
                "PRIVATE_ROOT": str(tmp / "private2"),
                "PYTHONPATH": str(ROOT),
                "DJANGO_SETTINGS_MODULE": "placette.settings",
            }
            env.pop("PLACETTE_TESTING", None)
            command = [
                sys.executable,
                str(ROOT / "manage.py"),
                "restore",
                str(tmp / "sauvegarde.tar.gz"),
            ]
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
            self.assertEqual(done.returncode, 0, done.stderr)
            again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
            self.assertNotEqual(again.returncode, 0)
            self.assertIn("contient déjà des données", again.stderr)

            # Both sides read with the same type converters (Django registers them globally).
            restored = sqlite3.connect(
                target, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
            )
            try:
                after = tables(restored)
            finally:
                restored.close()
            before = tables(connection.connection)
            self.assertEqual(set(after), set(before))
            for name in before:
                self.assertEqual(after[name], before[name], name)
            self.assertTrue(before["membership_movement"])

            def files(root: Path) -> dict[str, bytes]:
                return {
                    p.relative_to(root).as_posix(): p.read_bytes()
                    for p in root.rglob("*")
                    if p.is_file()
                }

            self.assertEqual(files(tmp / "private2"), files(tmp / "private"))
            self.assertEqual(files(tmp / "media2"), files(tmp / "media"))
            self.assertTrue(files(tmp / "private"))

    def test_a_restore_onto_a_database_with_data_is_refused_and_changes_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "s.tar.gz"
            with override_settings(MEDIA_ROOT=Path(tmp) / "m", PRIVATE_ROOT=Path(tmp) / "p"):
                backup_write(output=archive)
                with self.assertRaises(CommandError) as refused:
                    call_command("restore", str(archive))
            self.assertIn("contient déjà des données", str(refused.exception))

    def test_a_file_that_is_not_a_backup_is_refused_with_a_french_message(self):
        with tempfile.NamedTemporaryFile(suffix=".tar.gz") as junk:
            junk.write(b"pas une archive")
            junk.flush()
            with self.assertRaises(Refusal) as refused:
                backup_restore(archive_path=Path(junk.name))
        self.assertIn("Archive illisible", refused.exception.message)

"""Backup and restore of a whole Placette: every table and every stored file, in one archive.

The archive (`.tar.gz`) holds `database.xml` (Django's dumpdata of every model, primary keys
kept, so the append-only register, its numbering and every link come back as they were),
`media/` and `private/` (MEDIA_ROOT and PRIVATE_ROOT) and `manifest.json` (when, which applied
migrations, and the sha256 of every member of the archive). A restore goes into a freshly
migrated, empty database only — it never merges into or overwrites live data — checks the
migrations match and every checksum, and loads the tables in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from placette.lib.refusals import Refusal

# Rows that `migrate` creates by itself: replaced by the archive's own, same primary keys.
DERIVED = (ContentType, Permission)


def seeded_models() -> list[type[models.Model]]:
    """Every model whose rows a fresh `migrate` creates: Django's content types and permissions,
    and the models an area's AppConfig lists in `migration_seeded_models` (its data migrations,
    e.g. the consent purposes). A restore replaces their rows by the archive's own."""
    found: list[type[models.Model]] = list(DERIVED)
    for config in apps.get_app_configs():
        for name in getattr(config, "migration_seeded_models", ()):
            found.append(config.get_model(name))
    return found


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _applied(using: str) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_ROOT)}


def backup_write(*, output: Path, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write the archive to `output`; returns its manifest."""
    checksums: dict[str, str] = {}
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database.xml"
        # One read transaction: the dump is a consistent picture even while the site runs.
        with transaction.atomic(using=using):
            # XML keeps datetimes to the microsecond (the JSON encoder cuts them to milliseconds).
            call_command("dumpdata", database=using, output=str(dump), format="xml", verbosity=0)
            applied = _applied(using)
        with tarfile.open(partial, "w:gz") as archive:
            checksums["database.xml"] = _sha256(dump.read_bytes())
            archive.add(dump, arcname="database.xml")
            for prefix, root in _roots().items():
                if not root.exists():
                    continue
                for path in sorted(p for p in root.rglob("*") if p.is_file()):
                    name = f"{prefix}/{path.relative_to(root).as_posix()}"
                    checksums[name] = _sha256(path.read_bytes())
                    archive.add(path, arcname=name)
            manifest = {
                "format": 1,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "migrations": applied,
                "files": checksums,
            }
            raw = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
    partial.replace(output)  # a crash mid-way never leaves a truncated archive under the name
    return manifest


def _business_rows(using: str) -> int:
    derived = {model._meta.label for model in seeded_models()}
    total = 0
    for model in apps.get_models():
        if model._meta.label in derived or not model._meta.managed or model._meta.proxy:
            continue
        total += model._base_manager.using(using).count()
    return total


def backup_restore(*, archive_path: Path, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Restore the archive into this (migrated, empty) database and the file roots."""
    try:
        archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise Refusal(f"Archive illisible : {archive_path} ({exc}).") from None
    with archive:
        try:
            manifest = json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]
        except (KeyError, AttributeError, ValueError):
            raise Refusal(
                "Ce fichier n’est pas une sauvegarde Placette (manifeste absent)."
            ) from None
        if manifest["migrations"] != _applied(using):
            raise Refusal(
                "La base cible n’est pas au même niveau de migrations que la sauvegarde : "
                "lancez « manage.py migrate » avec la même version de Placette."
            )
        if _business_rows(using):
            raise Refusal(
                "La base cible contient déjà des données : une restauration se fait dans une "
                "base neuve et migrée, jamais par-dessus des données."
            )
        contents: dict[str, bytes] = {}
        for name, digest in manifest["files"].items():
            member = archive.extractfile(name)
            data = member.read() if member else b""
            if _sha256(data) != digest:
                raise Refusal(f"Sauvegarde altérée : la somme de contrôle de {name} diffère.")
            contents[name] = data
    roots = _roots()
    for name in contents:
        prefix, _, rest = name.partition("/")
        if prefix in roots and (".." in Path(rest).parts or Path(rest).is_absolute()):
            raise Refusal(f"Chemin refusé dans la sauvegarde : {name}.")
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database.xml"
        dump.write_bytes(contents["database.xml"])
        with transaction.atomic(using=using):
            for model in reversed(seeded_models()):
                model._base_manager.using(using).all().delete()
            call_command("loaddata", str(dump), database=using, verbosity=0)
    for name, data in contents.items():
        prefix, _, rest = name.partition("/")
        if prefix in roots:
            target = roots[prefix] / rest
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            manifest.setdefault("restored_files", []).append(str(target))
    return manifest

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from placette.lib.backup import backup_restore
from placette.lib.refusals import Refusal


class Command(BaseCommand):
    help = "Restaure une sauvegarde dans une base neuve et migrée (jamais par-dessus des données)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="archive écrite par « manage.py backup »")

    def handle(self, *args, **options):
        try:
            manifest = backup_restore(archive_path=Path(options["archive"]))
        except Refusal as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Sauvegarde du {manifest['created_at']} restaurée ({len(manifest['files'])} éléments, "
            f"{len(manifest.get('restored_files', []))} fichiers)."
        )

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from placette.lib.backup import backup_write


class Command(BaseCommand):
    help = "Sauvegarde toute la base et tous les fichiers dans une archive .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="fichier à écrire (défaut : backups/placette-DATE.tar.gz)"
        )

    def handle(self, *args, **options):
        output = Path(
            options["output"] or f"backups/placette-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        )
        manifest = backup_write(output=output)
        self.stdout.write(f"Sauvegarde écrite : {output} ({len(manifest['files'])} éléments).")

"""Every invoice and credit note of a year for the accountant: Factur-X PDFs and a summary."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from placette.studies.accounting import accounting_export


class Command(BaseCommand):
    help = "Écrit les factures et avoirs d’une année (Factur-X) et leur récapitulatif CSV/XLSX."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args, year: int, output: Path, **options) -> None:
        if not 2000 <= year <= 2100:
            raise CommandError(f"Année invalide : {year}.")
        files = accounting_export(year=year, output=output)
        self.stdout.write(f"{len(files)} fichiers écrits dans {output}.")

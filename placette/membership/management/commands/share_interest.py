"""python manage.py share_interest --year YYYY --output FILE : the IFU listing of the interest
on shares of a year (CSV for French spreadsheets), once the AGO decided its rate."""

from django.core.management.base import BaseCommand, CommandError

from placette.lib import exports
from placette.lib.refusals import Refusal
from placette.membership import share_interest


class Command(BaseCommand):
    help = "Écrit le relevé des intérêts aux parts d’un exercice (pour l’IFU), en CSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True, help="AAAA")
        parser.add_argument("--output", required=True, help="fichier CSV à écrire")

    def handle(self, *args, **options) -> None:
        year, path = options["year"], options["output"]
        try:
            rows = list(share_interest.listing(year))
        except Refusal as refusal:
            raise CommandError(" ".join(refusal.messages)) from refusal
        with open(path, "w", encoding="utf-8-sig", newline="") as out:
            exports.csv_write(out, share_interest.LISTING_HEADER, rows)
        total = sum((row[-1] for row in rows), start=0)
        self.stdout.write(
            f"{year} : {len(rows)} titulaire(s), {exports.csv_cell(total)} € d’intérêts "
            f"bruts, écrit dans {path}."
        )

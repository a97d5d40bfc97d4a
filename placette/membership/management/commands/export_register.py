"""python manage.py export_register --date YYYY-MM-DD --format csv|xlsx|pdf --output FILE"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from placette.membership import register


class Command(BaseCommand):
    help = "Exporte le registre des mouvements de titres à une date (CSV, XLSX ou PDF)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", required=True, help="AAAA-MM-JJ")
        parser.add_argument("--format", required=True, choices=["csv", "xlsx", "pdf"])
        parser.add_argument("--output", required=True, help="fichier à écrire")

    def handle(self, *args, **options) -> None:
        try:
            on = dt.date.fromisoformat(options["date"])
        except ValueError as exc:
            raise CommandError(f"Date invalide : {options['date']} (attendu AAAA-MM-JJ).") from exc
        fmt, path = options["format"], options["output"]
        if fmt == "csv":
            with open(path, "w", encoding="utf-8-sig", newline="") as out:
                register.write_csv(on, out)
        elif fmt == "xlsx":
            with open(path, "wb") as out:
                register.write_xlsx(on, out)
        else:
            with open(path, "wb") as out:
                out.write(register.pdf(on))
        self.stdout.write(f"Registre au {on:%d/%m/%Y} écrit dans {path}.")

"""Yearly IR-PME états individuels: `python manage.py tax_statements --year 2025 [--send]`.

Idempotent: run it again and only the statements whose facts changed are rewritten (and sent
again with --send)."""

from django.core.management.base import BaseCommand, CommandError

from placette.lib.refusals import Refusal
from placette.membership.tax import batch_summary, tax_statements_generate


class Command(BaseCommand):
    help = "Produit (et envoie avec --send) les états individuels IR-PME d’une année."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="année des versements")
        parser.add_argument("--send", action="store_true", help="envoyer les états par e-mail")

    def handle(self, *args, year: int, send: bool, **options):
        try:
            result = tax_statements_generate(actor=None, year=year, send=send)
        except Refusal as exc:  # says why no statement is made
            raise CommandError(f"{year} : 0 état individuel. " + " ".join(exc.messages)) from exc
        self.stdout.write(batch_summary(year, result, send=True))

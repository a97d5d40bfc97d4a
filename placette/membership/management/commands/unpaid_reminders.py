"""python manage.py unpaid_reminders [--date YYYY-MM-DD] — reminds the holders whose capital is
still unpaid after the statutory delay (email and timeline; one reminder per holder and month)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from placette.membership.reminders import unpaid_reminders_send


class Command(BaseCommand):
    help = (
        "Relance les titulaires dont le solde des parts n’est pas libéré après le délai statutaire."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="AAAA-MM-JJ (défaut : aujourd’hui)")

    def handle(self, *args, **options) -> None:
        try:
            on = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError("Date invalide (attendu AAAA-MM-JJ).") from exc
        sent = unpaid_reminders_send(on=on)
        self.stdout.write(f"{len(sent)} relance(s) envoyée(s).")

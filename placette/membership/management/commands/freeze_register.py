"""python manage.py freeze_register [--date YYYY-MM-DD] — yearly frozen register (idempotent)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from placette.lib import money
from placette.membership.models import RegisterSnapshot
from placette.membership.services import register_snapshot_create


class Command(BaseCommand):
    help = "Arrête le registre au 31 décembre dernier (ou à --date) ; ne refait jamais un arrêté."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="AAAA-MM-JJ (défaut : 31 décembre dernier)")

    def handle(self, *args, **options) -> None:
        try:
            on = (
                dt.date.fromisoformat(options["date"])
                if options["date"]
                else dt.date(timezone.localdate().year - 1, 12, 31)
            )
        except ValueError as exc:
            raise CommandError("Date invalide (attendu AAAA-MM-JJ).") from exc
        if RegisterSnapshot.objects.filter(on=on).exists():
            self.stdout.write(f"Registre déjà arrêté au {on:%d/%m/%Y}.")
            return
        snapshot = register_snapshot_create(actor=None, on=on)
        self.stdout.write(
            f"{snapshot} : {money.euros(snapshot.capital)}, {snapshot.members} sociétaires."
        )

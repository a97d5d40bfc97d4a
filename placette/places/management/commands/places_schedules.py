from django.core.management.base import BaseCommand
from django.utils import timezone

from placette.places.services import schedules_extend


class Command(BaseCommand):
    help = "Prolonge l’échéancier de chaque bail en vigueur jusqu’au mois courant (idempotent)."

    def handle(self, *args, **options) -> None:
        count = schedules_extend(actor=None, until=timezone.localdate())
        self.stdout.write(f"Échéances ajoutées : {count}")

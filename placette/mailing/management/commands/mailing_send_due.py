"""Periodic (every few minutes, idempotent): start the campaigns whose scheduled time has come."""

from django.core.management.base import BaseCommand

from placette.mailing.sending import campaigns_due_start


class Command(BaseCommand):
    help = "Lance l’envoi des campagnes programmées arrivées à échéance."

    def handle(self, *args, **options):
        jobs = campaigns_due_start()
        self.stdout.write(f"{len(jobs)} campagne(s) lancée(s).")

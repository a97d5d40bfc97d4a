"""Periodic (every few minutes): queue again the background jobs whose worker died, and delete
result files older than JOB_RESULT_DAYS. Idempotent."""

from django.core.management.base import BaseCommand

from placette.lib.jobs import jobs_purge, jobs_recover


class Command(BaseCommand):
    help = "Relance les travaux interrompus et supprime les fichiers de résultat trop anciens."

    def handle(self, *args, **options):
        recovered = jobs_recover()
        purged = jobs_purge()
        self.stdout.write(f"{recovered} travail(s) relancé(s), {purged} fichier(s) supprimé(s).")

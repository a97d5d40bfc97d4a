"""python manage.py mail_resume [--failed] — wakes up the emails that should be on their way:
left « sending » by a dead worker, or queued and due but with no task left. Idempotent: run it
every few minutes (cron or a systemd timer); a message is never sent twice."""

from django.core.management.base import BaseCommand

from placette.lib.mail import mail_resume


class Command(BaseCommand):
    help = "Relance l’envoi des e-mails en attente (tâche perdue, processus interrompu)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--failed",
            action="store_true",
            help="Retente aussi les e-mails en échec faute de serveur (pas ceux refusés).",
        )

    def handle(self, *args, **options) -> None:
        count = mail_resume(failed=options["failed"])
        self.stdout.write(f"{count} e-mail(s) remis en file d’envoi.")

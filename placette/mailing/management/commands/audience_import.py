"""python manage.py audience_import --source mailchimp|brevo|airtable FILE [--mapping NAME]
[--purpose CODE] [--dry-run]: the same import as the web page, with its row-by-row report.
Running it twice changes nothing; after a crash, running it again resumes."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from placette.lib.refusals import Refusal
from placette.mailing import importing
from placette.mailing.models import ImportMapping, ImportSource

DEFAULT_PURPOSE = {
    ImportSource.MAILCHIMP: "investor-newsletter",
    ImportSource.BREVO: "coop-news",
    ImportSource.AIRTABLE: "coop-news",
}


class Command(BaseCommand):
    help = "Importe une audience MailChimp (ZIP), Brevo ou Airtable (CSV) avec son rapport."

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, choices=ImportSource.values)
        parser.add_argument("file")
        parser.add_argument("--mapping", default="", help="nom d’une correspondance enregistrée")
        parser.add_argument("--purpose", default="", help="code de la finalité (la lettre)")
        parser.add_argument("--dry-run", action="store_true", help="essai : rien n’est écrit")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        saved = None
        if options["mapping"]:
            saved = ImportMapping.objects.filter(name=options["mapping"]).first()
            if saved is None:
                raise CommandError(f"Correspondance inconnue : « {options['mapping']} ».")
        try:
            report = importing.audience_import(
                actor=None,
                source=options["source"],
                raw=path.read_bytes(),
                filename=path.name,
                purpose_code=options["purpose"] or DEFAULT_PURPOSE[options["source"]],
                mapping=importing.mapping_from(saved, ""),
                dry_run=options["dry_run"],
            )
        except Refusal as exc:
            raise CommandError(" ".join(str(m) for m in exc.messages)) from exc
        for line in report.lines():
            self.stdout.write(line)

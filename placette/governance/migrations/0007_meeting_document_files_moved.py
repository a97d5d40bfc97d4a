"""Meeting documents move onto placette.lib.documents (issue 8, piece 4): each file is copied
into the private storage as a lib Document of scope "governance.meeting"; nothing is lost."""

from django.db import migrations


def forward(apps, schema_editor):
    from placette.lib.documents import document_adopt

    Document = apps.get_model("lib", "Document")
    MeetingDocument = apps.get_model("governance", "MeetingDocument")
    for row in MeetingDocument.objects.filter(document__isnull=True).order_by("pk"):
        row.document = document_adopt(
            Document,
            path=row.file.name,
            scope="governance.meeting",
            scope_id=row.meeting_id,
            uploaded_at=row.added_at,
        )
        row.save(update_fields=["document"])


class Migration(migrations.Migration):
    dependencies = [("governance", "0006_meeting_document_in_lib")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

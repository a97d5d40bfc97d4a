"""Place photos and documents move onto placette.lib.documents (issue 8, piece 4): each file is
copied into the private storage as a lib Document of scope "places.place"; nothing is lost."""

from django.db import migrations


def forward(apps, schema_editor):
    from placette.lib.documents import document_adopt

    Document = apps.get_model("lib", "Document")
    PlaceDocument = apps.get_model("places", "PlaceDocument")
    for row in PlaceDocument.objects.filter(document__isnull=True).order_by("pk"):
        row.document = document_adopt(
            Document,
            path=row.file.name,
            scope="places.place",
            scope_id=row.place_id,
            uploaded_by_id=row.actor_id,
            uploaded_at=row.uploaded_at,
        )
        row.save(update_fields=["document"])


class Migration(migrations.Migration):
    dependencies = [("places", "0005_place_document_in_lib")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

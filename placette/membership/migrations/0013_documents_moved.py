"""Membership files move onto placette.lib.documents (issue 8, piece 4): the subscribers' PDFs
kept in the database become lib Documents owned by their contact, and the frozen register files
under media/membership/registre/ are copied into the private storage (scope
"membership.register", the team only). Nothing is lost: the bytes are copied, their digest
checked, and an old file is deleted only once the migration commits."""

import hashlib

from django.db import migrations


def forward(apps, schema_editor):
    from placette.lib.documents import document_adopt

    Document = apps.get_model("lib", "Document")
    SubscriptionDocument = apps.get_model("membership", "SubscriptionDocument")
    RegisterSnapshot = apps.get_model("membership", "RegisterSnapshot")
    for row in SubscriptionDocument.objects.filter(document__isnull=True).order_by("pk"):
        content = bytes(row.content)
        if row.sha256 and hashlib.sha256(content).hexdigest() != row.sha256:
            raise RuntimeError(f"Document {row.pk}: its bytes do not match their digest.")
        row.document = document_adopt(
            Document,
            content=content,
            name=row.filename,
            owner_id=row.contact_id,
            uploaded_at=row.created_at,
        )
        row.save(update_fields=["document"])
    for snapshot in RegisterSnapshot.objects.filter(pdf__isnull=True).order_by("pk"):
        snapshot.pdf = document_adopt(
            Document,
            path=snapshot.file.name,
            scope="membership.register",
            uploaded_by_id=snapshot.created_by_id,
            uploaded_at=snapshot.created_at,
        )
        if snapshot.csv_file.name:
            snapshot.csv = document_adopt(
                Document,
                path=snapshot.csv_file.name,
                scope="membership.register",
                uploaded_by_id=snapshot.created_by_id,
                uploaded_at=snapshot.created_at,
            )
        # The historical model has no custom save(): the frozen snapshot's totals stay as is.
        snapshot.save(update_fields=["pdf", "csv"])


class Migration(migrations.Migration):
    dependencies = [("membership", "0012_documents_in_lib")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

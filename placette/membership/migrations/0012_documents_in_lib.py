import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0011_round_sqlite_balances"),
        ("lib", "0007_document_scope_alone"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscriptiondocument",
            name="document",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="lib.document",
                verbose_name="fichier",
            ),
        ),
        migrations.AddField(
            model_name="registersnapshot",
            name="pdf",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="lib.document",
                verbose_name="registre PDF",
            ),
        ),
        migrations.AddField(
            model_name="registersnapshot",
            name="csv",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="lib.document",
                verbose_name="registre CSV",
            ),
        ),
    ]

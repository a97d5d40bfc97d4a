import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("membership", "0013_documents_moved")]

    operations = [
        migrations.RemoveField(model_name="subscriptiondocument", name="content"),
        migrations.RemoveField(model_name="subscriptiondocument", name="sha256"),
        migrations.RemoveField(model_name="registersnapshot", name="file"),
        migrations.RemoveField(model_name="registersnapshot", name="csv_file"),
        migrations.AlterField(
            model_name="subscriptiondocument",
            name="document",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="lib.document",
                verbose_name="fichier",
            ),
        ),
        migrations.AlterField(
            model_name="registersnapshot",
            name="pdf",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="lib.document",
                verbose_name="registre PDF",
            ),
        ),
    ]

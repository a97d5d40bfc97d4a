import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("places", "0006_place_document_files_moved")]

    operations = [
        migrations.RemoveField(model_name="placedocument", name="file"),
        migrations.AlterField(
            model_name="placedocument",
            name="document",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="lib.document",
                verbose_name="fichier",
            ),
        ),
    ]

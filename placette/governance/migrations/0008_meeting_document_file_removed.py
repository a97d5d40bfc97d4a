import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("governance", "0007_meeting_document_files_moved")]

    operations = [
        migrations.RemoveField(model_name="meetingdocument", name="file"),
        migrations.AlterField(
            model_name="meetingdocument",
            name="document",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="lib.document",
                verbose_name="fichier",
            ),
        ),
    ]

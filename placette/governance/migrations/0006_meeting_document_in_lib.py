import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0005_meeting_sas_quorum"),
        ("lib", "0004_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="meetingdocument",
            name="document",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="lib.document",
                verbose_name="fichier",
            ),
        ),
    ]

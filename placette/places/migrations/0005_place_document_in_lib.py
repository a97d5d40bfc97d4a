import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0005_exact_rent_line_sum"),
        ("lib", "0004_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="placedocument",
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

from django.db import migrations


class Migration(migrations.Migration):
    """The documents move and the exact sums landed side by side; neither depends on the other."""

    dependencies = [
        ("places", "0005_exact_rent_line_sum"),
        ("places", "0007_place_document_file_removed"),
    ]

    operations = []

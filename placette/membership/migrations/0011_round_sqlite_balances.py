from django.db import migrations
from django.db.models import F
from django.db.models.functions import Round


def round_sqlite_balances(apps, schema_editor):
    """Running balances added up by SQLite (`capital + x` on floats) drift a few 1e-13 off the
    cent; they become the cent value again. Nothing to do on PostgreSQL (numeric is exact)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    HolderBalance = apps.get_model("membership", "HolderBalance")
    HolderBalance.objects.update(
        capital=Round(F("capital"), 2), called=Round(F("called"), 2), paid=Round(F("paid"), 2)
    )


class Migration(migrations.Migration):
    dependencies = [("membership", "0010_category_history")]

    operations = [migrations.RunPython(round_sqlite_balances, migrations.RunPython.noop)]

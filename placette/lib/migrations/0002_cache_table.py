"""Create the database cache table during `migrate`, so a fresh install needs no extra step
(the cache holds sign-in rate-limit counters; with REDIS_URL the command does nothing)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("lib", "0001_initial")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]

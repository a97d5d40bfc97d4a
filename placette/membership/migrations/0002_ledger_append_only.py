"""Database triggers that make booked movements immutable (see placette/membership/guard.py).

Frozen copies of the SQL live in guard.py; each vendor gets its own statements through
RunPython so the migration runs on SQLite (development, tests) and PostgreSQL (production).
"""

from django.db import migrations

from placette.membership import guard


class Migration(migrations.Migration):
    dependencies = [("membership", "0001_initial")]

    operations = [migrations.RunPython(guard.install, guard.uninstall)]

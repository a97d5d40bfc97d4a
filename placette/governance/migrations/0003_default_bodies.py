"""A fresh install gets the two bodies every SCIC has, so that staff can convene a first AG
or board meeting without going through the admin (docs/governance.md, « Bodies »)."""

from django.db import migrations

DEFAULT_BODIES = [
    ("ag", "Assemblée générale", "L’assemblée des associés : comptes, statuts, élection du conseil."),
    ("board", "Conseil d’administration", "Le conseil élu par l’assemblée générale."),
]


def create_default_bodies(apps, schema_editor):
    Body = apps.get_model("governance", "Body")
    for kind, name, description in DEFAULT_BODIES:
        # Only when no body of that kind exists: an install that already named its own is left alone.
        if not Body.objects.filter(kind=kind).exists():
            Body.objects.get_or_create(name=name, defaults={"kind": kind, "description": description})


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_mandate_end_reason")]

    operations = [migrations.RunPython(create_default_bodies, migrations.RunPython.noop)]

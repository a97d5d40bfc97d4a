"""A restore goes into a freshly migrated database: every row that `migrate` creates by itself
must be one the restore knows to replace, or the restore would refuse the new database."""

from django.apps import apps
from django.test import TestCase

from placette.lib.backup import seeded_models


class FreshDatabaseTests(TestCase):
    def test_the_only_rows_a_fresh_migrate_creates_are_those_a_restore_replaces(self):
        seeded = {model._meta.label for model in seeded_models()}
        created = {
            model._meta.label
            for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy and model._base_manager.exists()
        }
        self.assertLessEqual(
            created,
            seeded,
            "a data migration creates these rows: list the model in its AppConfig's "
            "migration_seeded_models",
        )

import importlib

import pytest


@pytest.fixture(autouse=True)
def _purposes_seeded(request):
    """A test on a flushed database (transaction=True) has lost the purposes seeded by the
    contacts' migration: seed them again, as that migration does."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    seed = importlib.import_module("placette.contacts.migrations.0002_consent_ledger")
    seed.purposes_seed(apps, None)

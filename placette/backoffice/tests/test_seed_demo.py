import io

import pytest
from django.core.management import call_command

from placette.accounts.models import User
from placette.contacts.models import Contact, TimelineEntry


@pytest.mark.django_db
def test_the_demo_cooperative_is_built_once_and_a_second_run_changes_nothing():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    counts = (Contact.objects.count(), TimelineEntry.objects.count(), User.objects.count())
    assert counts[0] >= 1000
    assert "admin@placette.demo" in out.getvalue()
    assert User.objects.get(email="societaire@placette.demo").contact is not None
    call_command("seed_demo", stdout=io.StringIO())
    assert (Contact.objects.count(), TimelineEntry.objects.count(), User.objects.count()) == counts


@pytest.mark.django_db
def test_the_demo_is_the_same_on_every_machine():
    call_command("seed_demo", stdout=io.StringIO())
    first = list(Contact.objects.order_by("id").values_list("display_name", "commune_code")[:50])
    Contact.objects.all().delete()
    User.objects.all().delete()
    from placette.contacts.models import Tag

    Tag.objects.all().delete()
    call_command("seed_demo", stdout=io.StringIO())
    again = list(Contact.objects.order_by("id").values_list("display_name", "commune_code")[:50])
    assert first == again

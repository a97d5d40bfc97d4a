import contextlib
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from placette.accounts.models import User
from placette.contacts.models import ConsentPurpose, ConsentRecord, Contact, TimelineEntry
from placette.contacts.services import consent_givers
from placette.membership.tests.demo_checks import demo_tax_statements_and_fec_check


@pytest.mark.django_db
def test_the_demo_cooperative_is_built_once_and_a_second_run_changes_nothing():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    counts = (Contact.objects.count(), TimelineEntry.objects.count(), User.objects.count())
    assert counts[0] >= 1000
    assert "admin@placette.demo" in out.getvalue()
    assert User.objects.get(email="societaire@placette.demo").contact is not None
    # consents: imported newsletter subscribers (some unsubscribed) and e-convocations given
    # on the online bulletins
    records = ConsentRecord.objects.count()
    assert consent_givers("investor-newsletter").count() > 100
    assert ConsentRecord.objects.filter(given=False, source="unsubscribe").exists()
    assert consent_givers(ConsentPurpose.AG_CONVOCATION).exists()
    demo_tax_statements_and_fec_check()  # membership: IR-PME statements and FEC of 2025
    call_command("seed_demo", stdout=io.StringIO())
    assert (Contact.objects.count(), TimelineEntry.objects.count(), User.objects.count()) == counts
    assert ConsentRecord.objects.count() == records


class _Rollback(Exception):
    pass


def _fingerprint() -> list:
    return list(
        Contact.objects.order_by("display_name", "email_normalized", "commune_code").values_list(
            "display_name", "email_normalized", "commune_code"
        )[:200]
    )


@pytest.mark.django_db
def test_the_demo_is_the_same_on_every_machine():
    with contextlib.suppress(_Rollback), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        first = _fingerprint()
        raise _Rollback  # back to an empty database
    assert Contact.objects.count() < 100
    call_command("seed_demo", stdout=io.StringIO())
    assert _fingerprint() == first

import io
import random

import pytest

from placette.governance.models import Body, Decision, Meeting


@pytest.mark.django_db
def test_the_demo_seeds_governance_after_membership_and_is_idempotent():
    from placette.contacts import demo as contacts_demo
    from placette.governance import demo
    from placette.membership import demo as membership_demo

    contacts_demo.seed(random.Random("placette-contacts"), io.StringIO())
    membership_demo.seed(random.Random("placette-membership"), io.StringIO())
    out = io.StringIO()
    demo.seed(random.Random("placette-governance"), out)
    assert "AG à venir convoquée" in out.getvalue(), out.getvalue()
    assert Body.objects.count() == 4
    assert Meeting.objects.filter(kind="CA").count() == 3
    assert Decision.objects.filter(meeting__kind="MIXED").count() == 4
    assert Meeting.objects.filter(status="convened", roll_frozen_at__isnull=False).count() == 1
    before = Meeting.objects.count()
    demo.seed(random.Random("placette-governance"), io.StringIO())
    assert Meeting.objects.count() == before

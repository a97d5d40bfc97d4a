import io
import random

import pytest

from placette.governance.models import Body, Decision, Meeting


def _holders_on(on) -> set[int]:
    """Holders of at least one share on `on`, summed here from the bare movements."""
    from collections import defaultdict

    from placette.membership.models import Movement

    held: dict[int, int] = defaultdict(int)
    for holder, n in Movement.objects.filter(date__lte=on).values_list("holder_id", "shares"):
        held[holder] += n
    return {h for h, n in held.items() if n > 0}


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
    # every AG roll lists exactly the holders of its cut-off date (the register is true then)
    meetings = Meeting.objects.filter(roll_frozen_at__isnull=False).exclude(kind="CA")
    assert meetings.exists()
    for meeting in meetings:
        roll = set(meeting.roll.values_list("contact_id", flat=True))
        holders = _holders_on(meeting.cutoff_date)
        assert roll == holders, (meeting, sorted(roll ^ holders))
    before = Meeting.objects.count()
    demo.seed(random.Random("placette-governance"), io.StringIO())
    assert Meeting.objects.count() == before

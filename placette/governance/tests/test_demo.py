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
    # issue 11: no vote choice on any timeline; the coming AG's paper forms, texts and documents
    from placette.contacts.models import TimelineEntry
    from placette.governance.models import PostalForm, Proxy, SecretBallot

    votes = TimelineEntry.objects.filter(area="governance", title__startswith="Vote à distance")
    assert votes.count() == 50
    for word in ("pour", "contre", "abstention"):
        assert not TimelineEntry.objects.filter(title__contains=f": {word}").exists()
    coming = Meeting.objects.get(status="convened", kind="AGO")
    assert Proxy.objects.filter(meeting=coming, source="paper").count() == 4
    assert PostalForm.objects.filter(meeting=coming, channel="paper").count() == 5
    assert coming.documents.count() == 2
    assert all(len(r.text) > 100 for r in coming.resolutions.all())
    assert coming.resolutions.filter(secret=True).count() == 1
    past = Meeting.objects.get(kind="MIXED")
    assert past.scrutineers.count() == 2 and "Scrutateurs" in past.minutes
    assert SecretBallot.objects.filter(resolution__meeting=past).count() == 50
    before = Meeting.objects.count()
    demo.seed(random.Random("placette-governance"), io.StringIO())
    assert Meeting.objects.count() == before

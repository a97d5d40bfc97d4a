"""One ballot per member and resolution, enforced by the database under concurrent votes."""

import threading

import pytest
from django.db import connection

from placette.governance import services
from placette.governance.models import Ballot
from placette.governance.tests.helpers import make_ag, make_member, make_statutes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_member_leave_one_ballot_per_resolution():
    if connection.vendor != "postgresql":
        pytest.skip("Test de concurrence réservé à PostgreSQL.")
    make_statutes()
    alice = make_member("Alice", "a")
    make_member("Bruno", "b")
    meeting = make_ag(resolutions=2)
    resolutions = list(meeting.resolutions.all())
    barrier = threading.Barrier(8)
    errors = []

    def vote(i):
        from django.db import connections

        try:
            barrier.wait()
            choice = "yes" if i % 2 else "no"
            services.ballot_cast(
                actor=None, meeting=meeting, voter=alice, choices={r: choice for r in resolutions}
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Ballot.objects.count() == 2
    assert set(Ballot.objects.values_list("resolution_id", flat=True)) == {
        r.pk for r in resolutions
    }

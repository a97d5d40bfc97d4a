"""The places to-dos on the staff dashboard: yearly rent revisions due, unpaid rents to chase;
constant queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from placette.lib.dashboard import Urgency
from placette.places.services import lease_revise, payment_record, rent_reminder_send
from placette.places.tests.helpers import (
    make_activity,
    make_index,
    make_lease,
    make_place,
    make_tenant,
)
from placette.places.todos import todos
from placette.test import BaseTestCase


def by_key(items):
    return {todo.key: todo for todo in items}


def lease_for(name: str, **fields):
    tenant = make_tenant(name=f"Association {name}", email=f"{name.lower()}@ex.fr")
    activity = make_activity(make_place(name=name), tenant=tenant, name=name)
    return make_lease(activity, **fields)


class PlacesTodosTests(BaseTestCase):
    def test_a_lease_past_its_anniversary_has_a_revision_due_that_waits_for_its_index(self):
        today = timezone.localdate()
        lease = lease_for("Café", starts_on=today.replace(year=today.year - 2), until=today)
        todo = by_key(todos())["places.revisions_due"]
        self.assertEqual((todo.count, todo.urgency), (1, Urgency.SOON))
        self.assertEqual(todo.url, lease.get_absolute_url())
        self.assertEqual(todo.detail, "dont 1 en attente de la publication de l’indice")
        self.assertTrue(todo.links[0][0].startswith("Café : depuis le "))

    def test_a_revised_lease_has_no_revision_due_until_its_next_anniversary(self):
        today = timezone.localdate()
        lease = lease_for("Épicerie", starts_on=today - dt.timedelta(days=375), until=today)
        make_index("ILC", 2022, 1, "120.61")
        make_index("ILC", 2023, 1, "128.68")
        todo = by_key(todos())["places.revisions_due"]
        self.assertEqual(todo.count, 1)
        self.assertEqual(todo.detail, "indexation annuelle à la date anniversaire du bail")
        lease_revise(actor=None, lease=lease)
        self.assertEqual(by_key(todos())["places.revisions_due"].count, 0)

    def test_unpaid_rents_are_to_chase_until_reminded(self):
        today = timezone.localdate()
        lease = lease_for("Bistrot", starts_on=today - dt.timedelta(days=95), until=today)
        lines = list(lease.schedule.filter(due_on__lt=today).order_by("due_on"))
        payment_record(
            actor=None, line=lines[0], amount=lines[0].amount, paid_on=today, method="transfer"
        )
        todo = by_key(todos())["places.arrears_to_chase"]
        self.assertEqual((todo.count, todo.urgency), (len(lines) - 1, Urgency.LATE))
        self.assertEqual(todo.detail, "1 bail concerné, sans relance depuis 30 jours")
        rent_reminder_send(actor=None, line=lines[1])
        self.assertEqual(by_key(todos())["places.arrears_to_chase"].count, len(lines) - 2)

    def test_its_query_count_does_not_grow_with_the_leases(self):
        today = timezone.localdate()
        start = today.replace(year=today.year - 2)
        lease_for("Un", starts_on=start, until=today)
        with CaptureQueriesContext(connection) as few:
            todos()
        for name in ("Deux", "Trois", "Quatre"):
            lease_for(name, starts_on=start, until=today)
        with self.assertNumQueries(len(few)):
            todos()

import datetime as dt

from django.utils import timezone

from placette.community import dashboard, services, todos
from placette.community.models import Session
from placette.community.tests.helpers import person, session_make
from placette.test import BaseTestCase


class TodoTests(BaseTestCase):
    def test_near_sessions_without_reminders_and_past_ones_without_attendance_are_to_dos(self):
        soon = session_make(days=1)
        services.registration_create(actor=None, session=soon, contact=person("Ana"))
        past = session_make(days=3)
        services.registration_create(actor=None, session=past, contact=person("Bob"))
        Session.objects.filter(pk=past.pk).update(starts_at=timezone.now() - dt.timedelta(days=2))
        session_make(days=1)  # nobody registered: nothing to remind
        with self.assertNumQueries(3):
            items = {t.key: t.count for t in todos.todos()}
        self.assertEqual(
            items,
            {
                "community.reminders_due": 1,
                "community.attendance_due": 1,
                "community.dormant_members": 0,
            },
        )
        with self.assertNumQueries(2):
            self.assertEqual(dashboard.figures()[0].value, "2")

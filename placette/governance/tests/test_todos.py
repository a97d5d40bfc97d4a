"""The governance to-dos on the staff dashboard: letters to post, general assemblies whose
convocation deadline is near or passed; constant queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from placette.governance.models import Meeting
from placette.governance.services import letters_mark_posted, meeting_convene
from placette.governance.tests.helpers import make_ag, make_member, make_statutes
from placette.governance.todos import todos
from placette.lib.dashboard import Urgency
from placette.test import BaseTestCase


def by_key(items):
    return {todo.key: todo for todo in items}


class GovernanceTodosTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes(notice_days_first_call=15)
        make_member("Paul", "a")
        make_member("Lise", "b", email="")

    def test_letters_printed_but_not_posted_are_a_to_do_until_marked_posted(self):
        meeting = make_ag(days_ahead=40)
        meeting_convene(actor=None, meeting=meeting)
        letters = by_key(todos())["governance.letters_to_post"]
        url = reverse("governance:convocation", args=[meeting.pk])
        self.assertEqual((letters.count, letters.url, letters.urgency), (2, url, Urgency.SOON))
        self.assertEqual(letters.links, [("AG 2025 : 2 courriers", url)])
        letters_mark_posted(actor=None, meeting=meeting)
        self.assertEqual(by_key(todos())["governance.letters_to_post"].count, 0)

    def test_letters_still_unposted_after_the_convocation_deadline_are_late(self):
        meeting = make_ag(days_ahead=40)
        meeting_convene(actor=None, meeting=meeting)
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=timezone.now() + dt.timedelta(days=5)
        )
        self.assertEqual(by_key(todos())["governance.letters_to_post"].urgency, Urgency.LATE)

    def test_an_assembly_whose_convocation_deadline_is_near_is_to_convene(self):
        meeting = make_ag(days_ahead=25)
        todo = by_key(todos())["governance.assemblies_to_convene"]
        deadline = timezone.localdate(meeting.starts_at) - dt.timedelta(days=15)
        self.assertEqual((todo.count, todo.urgency), (1, Urgency.SOON))
        self.assertEqual(todo.url, reverse("governance:convocation", args=[meeting.pk]))
        self.assertEqual(todo.links[0][0], f"AG 2025 : au plus tard le {deadline:%d/%m/%Y}")

    def test_an_assembly_past_its_convocation_deadline_is_late(self):
        make_ag(days_ahead=10)
        todo = by_key(todos())["governance.assemblies_to_convene"]
        self.assertEqual((todo.count, todo.urgency), (1, Urgency.LATE))

    def test_a_far_assembly_and_a_convened_one_are_not_to_convene(self):
        make_ag(days_ahead=90)
        convened = make_ag(days_ahead=30)
        meeting_convene(actor=None, meeting=convened)
        self.assertEqual(by_key(todos())["governance.assemblies_to_convene"].count, 0)

    def test_an_assembly_without_a_frozen_roll_links_to_its_roll(self):
        meeting = make_ag(days_ahead=20, freeze=False)
        todo = by_key(todos())["governance.assemblies_to_convene"]
        self.assertEqual(todo.url, reverse("governance:roll", args=[meeting.pk]))

    def test_its_query_count_does_not_grow_with_the_meetings(self):
        meeting_convene(actor=None, meeting=make_ag(days_ahead=40))
        make_ag(days_ahead=20)
        with CaptureQueriesContext(connection) as few:
            todos()
        for days in (35, 45):
            meeting_convene(actor=None, meeting=make_ag(days_ahead=days))
        make_ag(days_ahead=22)
        make_ag(days_ahead=12)
        with self.assertNumQueries(len(few)):
            todos()

    def test_a_mandate_coming_to_its_term_is_to_renew(self):
        from placette.governance.models import Body, BodyKind
        from placette.governance.services import mandate_add
        from placette.test import make_contact

        board = Body.objects.create(kind=BodyKind.BOARD, name="CA")
        today = timezone.localdate()
        for i, days in enumerate((40, 120, 400)):
            mandate_add(
                actor=None,
                body=board,
                contact=make_contact(first_name=f"Admin{i}", last_name="Test"),
                role="Administrateur",
                starts_on=today - dt.timedelta(days=700),
                ends_on=today + dt.timedelta(days=days),
            )
        todo = by_key(todos())["governance.mandates_to_renew"]
        self.assertEqual((todo.count, todo.urgency), (2, Urgency.SOON))
        self.assertTrue(todo.links[0][0].startswith("Admin0 TEST — Administrateur, CA : fin le"))

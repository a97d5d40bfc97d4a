"""Issue 9: the board has its own read-only space — meetings, decisions, register, figures."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placette.governance.models import Decision
from placette.governance.tests.helpers import make_ag, make_member, make_statutes
from placette.test import BaseTestCase


class BoardSpaceTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        for n in range(3):
            make_member(f"Membre{n}", "a", on=dt.date(2022, 1, 1))
        cls.meeting = make_ag(resolutions=2)

    def test_a_board_member_reads_the_board_space_but_a_member_is_refused(self):
        urls = [
            reverse("board:home"),
            reverse("board:meeting", args=[self.meeting.pk]),
            reverse("board:decisions"),
            reverse("board:register"),
        ]
        for url in urls:
            self.login(self.board_member)
            self.assertEqual(self.client.get(url).status_code, 200, url)
            self.assertEqual(self.client.post(url).status_code, 405, url)
            for persona in (self.member, self.activity_holder):
                self.login(persona)
                self.assertEqual(self.client.get(url).status_code, 403, url)
            self.client.logout()
            self.assertEqual(self.client.get(url).status_code, 302, url)

    def test_the_board_sees_the_meeting_its_resolutions_and_the_register_at_a_date(self):
        self.login(self.board_member)
        response = self.client.get(reverse("board:meeting", args=[self.meeting.pk]))
        self.assertContains(response, "Approbation des comptes 2")
        response = self.client.get(reverse("board:register") + "?date=2022-06-30")
        self.assertContains(response, "3 mouvements jusqu’au 30/06/2022")
        response = self.client.get(reverse("board:register") + "?date=2021-06-30")
        self.assertContains(response, "Aucun mouvement.")

    def test_the_member_space_links_to_the_board_space_for_directors_only(self):
        self.login(self.board_member)
        self.assertContains(self.client.get(reverse("portal:home")), reverse("board:home"))
        self.login(self.member)
        self.assertNotContains(self.client.get(reverse("portal:home")), reverse("board:home"))

    def test_the_decision_register_pages_in_a_constant_number_of_queries(self):
        self.login(self.board_member)
        url = reverse("board:decisions")

        def add(n):
            for i in range(n):
                Decision.objects.create(
                    meeting=self.meeting, decided_on=dt.date(2025, 1, 1), title=f"D{i}"
                )

        add(3)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        add(60)
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(url)

    def test_the_register_pages_in_a_constant_number_of_queries(self):
        self.login(self.board_member)
        url = reverse("board:register")

        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(60):
            make_member(f"Autre{n}", "b", on=dt.date(2023, 1, 1))
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(url)

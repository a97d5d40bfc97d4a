"""Statute choices the counting really applies: remote attendance counted toward the quorum or
not (`remote_counts_for_quorum`), and a SARL's extraordinary decisions at two thirds of those
present or represented (L223-30: an abstention weighs like a no)."""

import datetime as dt

from placette.governance import services, tally
from placette.governance.models import MeetingKind, Resolution
from placette.governance.tests.helpers import make_ag, make_member, make_statutes
from placette.test import BaseTestCase


class StatutesChoicesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        names = ["Alice", "Bruno", "Carla", "Dora"]
        cls.names = names

    def remote_quorum(self) -> int:
        people = {name: make_member(name, name[0].lower()) for name in self.names}
        meeting = make_ag()
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=meeting)
        meeting.refresh_from_db()
        for name in ("Alice", "Bruno"):
            services.attendance_set(
                actor=None,
                meeting=meeting,
                entry=meeting.roll.get(contact=people[name]),
                mode="remote",
            )
        return services.quorum_status(meeting).counted

    def test_remote_attendance_counts_toward_the_quorum_by_default(self):
        make_statutes(legal_form="SA")
        self.assertEqual(self.remote_quorum(), 2)

    def test_statutes_that_do_not_count_remote_attendance_leave_it_out(self):
        make_statutes(legal_form="SA", remote_counts_for_quorum=False)
        self.assertEqual(self.remote_quorum(), 0)

    def test_a_sarl_extraordinary_decision_counts_abstentions_against(self):
        make_statutes(legal_form="SARL", effective_from=dt.date(2020, 1, 1))
        for name in self.names:
            make_member(name, name[0].lower())
        meeting = make_ag(kind=MeetingKind.AGE)
        resolution = Resolution.objects.get(meeting=meeting)
        self.assertEqual(
            services.majority_rule(resolution), tally.EXTRAORDINARY_PRESENT_OR_REPRESENTED
        )
        meeting.legal_form = "SA"
        meeting.save(update_fields=["legal_form"])
        resolution.refresh_from_db()
        self.assertEqual(services.majority_rule(resolution), tally.EXTRAORDINARY)

"""Example 12 of docs/governance.md: a proxy counts toward the quorum only if its holder is
present or remote; a blank proxy (to the chair) once the meeting is held."""

from placette.governance import services
from placette.governance.models import MeetingKind
from placette.governance.tests.helpers import make_ag, make_member, make_statutes, start
from placette.lib.refusals import Refusal
from placette.test import BaseTestCase


class QuorumProxyTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes(legal_form="SA")
        names = ["Alice", "Arthur", "Anna", "Bruno", "Berthe", "Basile"]
        names += ["Carla", "Cyril", "Cora", "Dora", "Denis", "Diane"]
        cls.people = {name: make_member(name, name[0].lower()) for name in names}

    def entry(self, meeting, name):
        return meeting.roll.get(contact=self.people[name])

    def present(self, meeting, name):
        services.attendance_set(
            actor=None, meeting=meeting, entry=self.entry(meeting, name), mode="present"
        )

    def test_example_12_a_proxy_whose_holder_is_absent_does_not_count(self):
        meeting = make_ag(kind=MeetingKind.AGE)  # SA, AGE, first call: at least 1/4
        p = self.people
        services.proxy_give(actor=None, meeting=meeting, giver=p["Alice"], holder=p["Bruno"])
        services.proxy_give(actor=None, meeting=meeting, giver=p["Carla"], holder=p["Bruno"])
        services.proxy_give(actor=None, meeting=meeting, giver=p["Dora"], holder=None)
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=meeting)
        meeting.refresh_from_db()
        self.present(meeting, "Arthur")

        # 12 on the roll, 12/4 = 3 → threshold 3. Before the meeting: Arthur only; Bruno is
        # absent, and the blank proxy waits for the meeting to be held.
        before = services.quorum_status(meeting)
        self.assertEqual((before.on_roll, before.threshold, before.counted), (12, 3, 1))
        self.assertEqual(before.by_mode["represented_lost"], 3)

        # The meeting is held, Bruno still absent: Arthur + Dora's blank proxy = 2 < 3.
        # (Counting every proxy, as before, would have said 1 + 3 = 4: reached.)
        meeting = start(meeting)
        held = services.quorum_status(meeting)
        self.assertEqual((held.counted, held.reached, held.missing), (2, False, 1))
        self.assertEqual(held.by_mode["represented"], 1)
        self.assertEqual(held.by_mode["represented_lost"], 2)
        resolution = meeting.resolutions.get()
        with self.assertRaisesMessage(Refusal, "Le quorum n’est pas atteint"):
            services.resolution_close(actor=None, resolution=resolution)

        # Bruno arrives with Alice's and Carla's proxies: 2 present + 3 represented = 5 ≥ 3.
        self.present(meeting, "Bruno")
        after = services.quorum_status(meeting)
        self.assertEqual((after.counted, after.reached), (5, True))
        self.assertEqual(after.by_mode["represented_lost"], 0)

    def test_a_proxy_whose_holder_is_absent_cannot_raise_a_hand(self):
        meeting = make_ag()
        p = self.people
        services.proxy_give(actor=None, meeting=meeting, giver=p["Alice"], holder=p["Bruno"])
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=meeting)
        meeting = start(meeting)
        self.present(meeting, "Arthur")
        self.present(meeting, "Anna")
        self.present(meeting, "Cyril")
        resolution = meeting.resolutions.get()
        with self.assertRaisesMessage(Refusal, "Bénévoles et salariés"):
            services.hands_record(
                actor=None, resolution=resolution, counts={"Bénévoles et salariés": (3, 0, 0)}
            )
        self.present(meeting, "Bruno")
        services.hands_record(
            actor=None, resolution=resolution, counts={"Bénévoles et salariés": (3, 0, 0)}
        )

"""The meetings list on the shared list pages, and the paginated pages of one meeting (roll,
convocations, attendance): permissions and a constant number of queries."""

import csv
import datetime as dt
import io
import uuid

from django.urls import reverse
from django.utils import timezone

from placette.governance.models import Channel, Convocation, Meeting, MeetingKind, RollEntry
from placette.governance.services import meeting_create
from placette.governance.tests.helpers import ag_body, make_ag, make_statutes
from placette.test import BaseTestCase, make_contact

MEETINGS = reverse("governance:meetings")


def _meeting(title: str, days: int) -> Meeting:
    starts = timezone.now() + dt.timedelta(days=days)
    return meeting_create(
        actor=None,
        body=ag_body(),
        kind=MeetingKind.AGO,
        title=title,
        starts_at=starts,
        cutoff_date=timezone.localdate(starts) - dt.timedelta(days=1),
        place="Salle des fêtes",
    )


class MeetingListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()

    def setUp(self):
        self.login(self.staff)

    def titles(self, **params) -> list[str]:
        response = self.client.get(MEETINGS, params)
        return [row.record.title for row in response.context["list"].rows]

    def test_the_meetings_list_and_its_export_are_for_the_team_only(self):
        self.assert_staff_only(MEETINGS)
        self.assert_staff_only(reverse("lists:export", args=["meetings", "csv"]))

    def test_meetings_come_latest_first_and_filter_by_title_and_year(self):
        _meeting("AG 2026", 10)
        _meeting("AG passée", -400)
        self.assertEqual(self.titles(), ["AG 2026", "AG passée"])
        self.assertEqual(self.titles(sort="starts_at"), ["AG passée", "AG 2026"])
        self.assertEqual(self.titles(q="passée"), ["AG passée"])
        year = (timezone.now() - dt.timedelta(days=400)).year
        self.assertEqual(self.titles(year=str(year)), ["AG passée"])

    def test_the_voters_column_counts_the_frozen_roll(self):
        meeting = _meeting("AG", 5)
        for i in range(3):
            RollEntry.objects.create(
                meeting=meeting, contact=make_contact(last_name=f"V{i}"), name=f"V{i}"
            )
        response = self.client.get(
            reverse("lists:export", args=["meetings", "csv"]), {"cols": ["title", "voters"]}
        )
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        self.assertEqual(
            list(csv.reader(io.StringIO(text), delimiter=";")),
            [["Réunion", "Votants"], ["AG", "3"]],
        )

    def test_the_meetings_list_costs_the_same_queries_with_5_and_60_meetings(self):
        def add(n: int) -> None:
            for i in range(n):
                meeting = _meeting(f"Réunion {uuid.uuid4().hex[:6]}", i + 1)
                RollEntry.objects.create(
                    meeting=meeting, contact=make_contact(last_name="Votant"), name="Votant"
                )

        self.assert_constant_queries(MEETINGS, add)


class MeetingPagesQueryTests(BaseTestCase):
    """The roll, the convocations and the attendance of one meeting page in constant queries."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.meeting = make_ag(freeze=False, resolutions=1)

    def setUp(self):
        self.login(self.staff)

    def add_voters(self, n: int) -> None:
        for _ in range(n):
            name = f"Votant {uuid.uuid4().hex[:6]}"
            contact = make_contact(last_name=name, email=f"{uuid.uuid4().hex[:8]}@ex.fr")
            RollEntry.objects.create(meeting=self.meeting, contact=contact, name=name, shares=1)
            Convocation.objects.create(
                meeting=self.meeting, contact=contact, channel=Channel.EMAIL, email=contact.email
            )

    def test_the_roll_costs_the_same_queries_with_5_and_60_voters(self):
        self.assert_constant_queries(
            reverse("governance:roll", args=[self.meeting.pk]), self.add_voters
        )

    def test_the_convocations_cost_the_same_queries_with_5_and_60_voters(self):
        self.assert_constant_queries(
            reverse("governance:convocation", args=[self.meeting.pk]), self.add_voters
        )

    def test_the_attendance_page_costs_the_same_queries_with_5_and_60_voters(self):
        self.assert_constant_queries(
            reverse("governance:attendance", args=[self.meeting.pk]), self.add_voters
        )


class OtherListQueryTests(BaseTestCase):
    """The bodies, a body's mandates, the paper desk's search, the published secret ballots,
    the member's meetings and a meeting's elections in a constant number of queries."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()

    def test_the_bodies_and_a_body_s_mandates_cost_the_same_queries_with_5_and_60_rows(self):
        from placette.governance.models import Body, BodyKind, Mandate

        self.login(self.staff)
        self.assert_constant_queries(
            reverse("governance:bodies"),
            lambda n: [
                Body.objects.create(kind=BodyKind.COMMITTEE, name=f"Comité {uuid.uuid4().hex[:6]}")
                for _ in range(n)
            ],
        )
        board = Body.objects.create(kind=BodyKind.BOARD, name="Conseil (requêtes)")
        self.assert_constant_queries(
            reverse("governance:body", args=[board.pk]),
            lambda n: [
                Mandate.objects.create(
                    body=board,
                    contact=make_contact(last_name=f"Admin {uuid.uuid4().hex[:6]}"),
                    starts_on=dt.date(2024, 1, 1),
                )
                for _ in range(n)
            ],
        )

    def test_the_paper_desk_search_costs_the_same_queries_with_5_and_60_homonyms(self):
        meeting = make_ag(freeze=False, resolutions=1)
        meeting.roll_frozen_at = timezone.now()
        meeting.save(update_fields=["roll_frozen_at"])

        def add(n):
            for _ in range(n):
                contact = make_contact(last_name="Homonyme", first_name=uuid.uuid4().hex[:6])
                RollEntry.objects.create(
                    meeting=meeting, contact=contact, name=contact.display_name, shares=1
                )

        self.login(self.staff)
        self.assert_constant_queries(
            reverse("governance:paper", args=[meeting.pk]), add, data={"q": "homonyme"}
        )

    def test_the_published_secret_ballots_cost_the_same_queries_with_5_and_300(self):
        from placette.governance.models import SecretBallot
        from placette.governance.services import resolution_add

        meeting = make_ag(resolutions=0, freeze=False)

        resolution = resolution_add(actor=None, meeting=meeting, title="Secret", secret=True)

        def add(n):
            SecretBallot.objects.bulk_create(
                SecretBallot(
                    resolution=resolution, college="", choice="yes", fingerprint=uuid.uuid4().hex
                )
                for _ in range(n)
            )

        self.login(self.staff)
        self.assert_constant_queries(
            reverse("governance:fingerprints", args=[resolution.pk]), add, few=5, many=300
        )

    def test_the_member_s_meetings_cost_the_same_queries_with_3_and_30_meetings(self):
        def add(n):
            for i in range(n):
                meeting = _meeting(f"AG {uuid.uuid4().hex[:6]}", 10 + i)
                RollEntry.objects.create(
                    meeting=meeting, contact=self.member.contact, name="Marc", shares=1
                )

        self.login(self.member)
        self.assert_constant_queries(reverse("governance_portal:home"), add, few=3, many=30)

    def test_a_meeting_page_costs_the_same_queries_with_1_and_12_elections(self):
        from placette.governance.models import Body, BodyKind
        from placette.governance.models_elections import Election

        meeting = make_ag(resolutions=1, freeze=False)
        board = Body.objects.create(kind=BodyKind.BOARD, name="Conseil (élections)")
        self.login(self.staff)
        self.assert_constant_queries(
            reverse("governance:meeting", args=[meeting.pk]),
            lambda n: [
                Election.objects.create(meeting=meeting, title="Élection", body=board, seats=2)
                for _ in range(n)
            ],
            few=1,
            many=12,
        )

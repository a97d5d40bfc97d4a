"""Governance settings come from the statutes in force (membership.services.statutes_in_force):
convocation delays, proxy cap, the chair's casting vote, the quorum of an SAS."""

import datetime as dt

from django.utils import timezone

from placette.governance import services
from placette.governance.models import Body, BodyKind, Convocation, Meeting, MeetingKind
from placette.governance.tests.helpers import make_ag, make_member, make_statutes
from placette.lib.refusals import Refusal
from placette.test import BaseTestCase, give_consent


def board() -> Body:
    return Body.objects.get(kind=BodyKind.BOARD)


class StatutesSettingsTests(BaseTestCase):
    def members(self):
        self.alice = make_member("Alice", "a")
        self.bruno = make_member("Bruno", "b")

    def test_the_convocation_delay_is_the_one_of_the_statutes(self):
        make_statutes(notice_days_first_call=21, notice_days_second_call=12)
        self.members()
        meeting = make_ag(days_ahead=18)
        with self.assertRaisesMessage(Refusal, "au moins 21 jours"):
            services.meeting_convene(actor=None, meeting=meeting)
        self.assertFalse(Convocation.objects.exists())
        Meeting.objects.filter(pk=meeting.pk).update(call=2)
        meeting.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=meeting)
        self.assertEqual(Convocation.objects.count(), 2)

    def test_the_statutes_in_force_on_the_convocation_day_decide_the_delay(self):
        make_statutes(notice_days_first_call=15)
        make_statutes(effective_from=timezone.localdate(), notice_days_first_call=30)
        self.members()
        meeting = make_ag(days_ahead=20)
        with self.assertRaisesMessage(Refusal, "au moins 30 jours"):
            services.meeting_convene(actor=None, meeting=meeting)

    def test_the_proxy_cap_and_casting_vote_are_copied_at_creation(self):
        make_statutes(proxy_cap=2, chair_casting_vote=False)
        self.members()
        meeting = make_ag()
        self.assertEqual((meeting.proxy_cap, meeting.casting_vote), (2, False))
        # a later version of the statutes does not change a meeting already created
        make_statutes(effective_from=timezone.localdate(), proxy_cap=9, chair_casting_vote=True)
        meeting.refresh_from_db()
        self.assertEqual((meeting.proxy_cap, meeting.casting_vote), (2, False))

    def test_a_board_meeting_takes_the_casting_vote_and_board_delay_of_the_statutes(self):
        make_statutes(chair_casting_vote=False, board_notice_days=5)
        self.members()
        services.mandate_add(
            actor=None,
            body=board(),
            contact=self.alice,
            role="Présidente",
            starts_on=dt.date(2024, 1, 1),
        )
        meeting = services.meeting_create(
            actor=None,
            body=board(),
            kind=MeetingKind.BOARD,
            title="CA",
            starts_at=timezone.now() + dt.timedelta(days=3),
            cutoff_date=timezone.localdate(),
        )
        self.assertEqual((meeting.proxy_cap, meeting.casting_vote), (1, False))
        services.roll_freeze(actor=None, meeting=meeting)
        with self.assertRaisesMessage(Refusal, "au moins 5 jours"):
            services.meeting_convene(actor=None, meeting=meeting)

    def test_without_statutes_the_legal_defaults_apply(self):
        self.assertEqual(services.notice_days(1), 15)
        self.assertEqual(services.notice_days(2), 10)
        self.assertEqual(services.statute("proxy_cap"), 5)
        self.assertIs(services.statute("chair_casting_vote"), True)

    def test_an_sas_follows_its_statutes_quorum_setting(self):
        make_statutes(legal_form="SAS", sas_quorum_as="SA")
        self.members()
        as_sa = make_ag()
        self.assertEqual(services.quorum_status(as_sa).label, "au moins 1/5 des votants")
        make_statutes(legal_form="SAS", sas_quorum_as="none", effective_from=dt.date(2021, 6, 1))
        without = make_ag()
        self.assertEqual(without.sas_quorum_as, "none")
        self.assertEqual(services.quorum_status(without).label, "pas de quorum")
        # the first meeting keeps the setting frozen with its roll
        self.assertEqual(services.quorum_status(as_sa).label, "au moins 1/5 des votants")


class BoardConvocationTests(BaseTestCase):
    def test_directors_are_convened_by_email_without_an_ag_consent(self):
        make_statutes()
        alice = make_member("Alice", "a")
        nomail = make_member("Noémie", "b", email="")
        give_consent(alice, given=False)
        for contact in (alice, nomail):
            services.mandate_add(
                actor=None,
                body=board(),
                contact=contact,
                role="Administratrice",
                starts_on=dt.date(2024, 1, 1),
            )
        meeting = services.meeting_create(
            actor=None,
            body=board(),
            kind=MeetingKind.BOARD,
            title="CA de rentrée",
            starts_at=timezone.now() + dt.timedelta(days=7),
            cutoff_date=timezone.localdate(),
        )
        services.roll_freeze(actor=None, meeting=meeting)
        with self.captureOnCommitCallbacks(execute=True):
            counts = services.meeting_convene(actor=None, meeting=meeting)
        self.assertEqual(counts, {"email": 1, "letter": 1})
        self.assertEqual(meeting.convocations.get(contact=alice).channel, "email")
        self.assertEqual(meeting.convocations.get(contact=nomail).channel, "letter")

"""Refunds wait for the real AGO: membership records the approval of a year's accounts from a
closed ordinary (or mixed) general meeting of governance, read through its provider."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from placette.governance.models import Meeting, MeetingKind, MeetingStatus
from placette.governance.tests.helpers import ag_body, make_statutes
from placette.lib.refusals import Refusal
from placette.membership.approvals import accounts_approval_record, ago_meetings
from placette.membership.models import AccountsApproval
from placette.test import BaseTestCase

D = dt.date


def meeting(
    day: dt.date, kind=MeetingKind.AGO, status=MeetingStatus.CLOSED, title="AGO"
) -> Meeting:
    starts = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 18, 0))
    return Meeting.objects.create(
        body=ag_body(),
        kind=kind,
        title=title,
        starts_at=starts,
        cutoff_date=day - dt.timedelta(days=20),
        status=status,
    )


class AccountsApprovalTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()

    def test_the_approval_takes_the_date_and_title_of_the_closed_ago(self):
        ago = meeting(D(2025, 6, 20), title="AGO 2025 — comptes 2024")
        approval = accounts_approval_record(
            actor=None, year=2024, meeting_id=ago.pk, result=Decimal("-800.00")
        )
        self.assertEqual(
            (approval.approved_on, approval.meeting_title, approval.meeting_id),
            (D(2025, 6, 20), "AGO 2025 — comptes 2024", ago.pk),
        )
        self.assertIn(ago.pk, [m.id for m in ago_meetings()])

    def test_a_meeting_not_closed_an_age_or_an_ago_before_the_year_end_is_refused(self):
        draft = meeting(D(2025, 6, 20), status=MeetingStatus.DRAFT)
        age = meeting(D(2025, 6, 21), kind=MeetingKind.AGE)
        early = meeting(D(2024, 12, 15))
        for target, message in [
            (draft, "assemblée générale ordinaire close"),
            (age, "assemblée générale ordinaire close"),
            (early, "après sa clôture"),
        ]:
            with self.assertRaisesMessage(Refusal, message):
                accounts_approval_record(actor=None, year=2024, meeting_id=target.pk)
        self.assertFalse(AccountsApproval.objects.exists())

import datetime as dt
from decimal import Decimal

from placette.lib.refusals import Refusal
from placette.studies import services
from placette.studies.figures import mission_phases
from placette.studies.models import Mission, TimeEntry
from placette.studies.tests.helpers import accepted_mission, ago, today
from placette.test import BaseTestCase


class TimeTests(BaseTestCase):
    def setUp(self):
        self.mission = accepted_mission(staff=self.staff)

    def record(self, on, half_days=1, mission=None, staff=None):
        return services.time_record(
            actor=self.staff,
            mission=mission or self.mission,
            staff=staff or self.staff,
            on=on,
            half_days=half_days,
            phase=self.mission.phases.first(),
        )

    def test_time_in_half_days_counts_against_the_days_sold_per_phase(self):
        self.record(ago(50), 2)
        self.record(ago(49), 1)
        self.record(ago(49), 1, staff=self.staff_admin)
        rows = mission_phases(self.mission)
        self.assertEqual(rows[0].sold, Decimal(6))  # 4 + 1 from the template, 1 named
        self.assertEqual(rows[0].spent, Decimal(2))
        self.assertEqual(rows[0].remaining, Decimal(4))
        self.assertEqual(Mission.objects.get(pk=self.mission.pk).spent_days, Decimal(2))

    def test_time_on_a_closed_mission_is_refused(self):
        self.record(ago(20))
        services.mission_close(actor=self.staff, mission=self.mission, closed_on=ago(10))
        with self.assertRaises(Refusal) as caught:
            self.record(ago(15))
        self.assertEqual(caught.exception.code, "mission_closed")
        self.assertIn("clôturée", caught.exception.message)
        self.assertEqual(TimeEntry.objects.count(), 1)

    def test_time_outside_the_mission_dates_or_in_the_future_is_refused(self):
        for day in (ago(101), today() + dt.timedelta(days=1)):
            with self.assertRaises(Refusal):
                self.record(day)
        self.assertFalse(TimeEntry.objects.exists())

    def test_negative_or_more_than_a_day_of_time_is_refused(self):
        for half_days in (-1, 0, 3):
            with self.assertRaises(Refusal) as caught:
                self.record(ago(30), half_days)
            self.assertEqual(caught.exception.field, "half_days")
        self.record(ago(30), 1)
        with self.assertRaises(Refusal) as caught:
            self.record(ago(30), 2)
        self.assertIn("une journée au plus", caught.exception.message)
        self.assertEqual(TimeEntry.objects.count(), 1)

    def test_a_mission_cannot_close_before_its_last_time_entry(self):
        self.record(ago(5))
        with self.assertRaises(Refusal):
            services.mission_close(actor=self.staff, mission=self.mission, closed_on=ago(6))
        self.assertFalse(Mission.objects.get(pk=self.mission.pk).is_closed)

    def test_the_mission_end_cannot_move_before_recorded_time(self):
        self.record(ago(5))
        with self.assertRaises(Refusal):
            services.mission_update(
                actor=self.staff, mission=self.mission, data={"ends_on": ago(6)}
            )

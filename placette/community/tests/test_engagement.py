import datetime as dt

from django.urls import reverse
from django.utils import timezone

from placette.community import engagement, levels, services
from placette.community.models import EngagementLevel
from placette.community.tests.helpers import person
from placette.contacts.models import Contact, TimelineEntry, TimelineKind
from placette.lib.refusals import Refusal
from placette.test import BaseTestCase

D = dt.date(2026, 6, 30)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def action(contact, day, kind=TimelineKind.EVENT):
    return TimelineEntry.objects.create(contact=contact, at=at(day), kind=kind, title="action")


class LevelArithmeticTests(BaseTestCase):
    def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month(self):
        self.assertEqual(levels.months_before(dt.date(2026, 3, 31), 1), dt.date(2026, 2, 28))
        self.assertEqual(levels.months_before(dt.date(2026, 1, 15), 12), dt.date(2025, 1, 15))

    def test_the_highest_rule_reached_wins(self):
        rules = [
            levels.Rule(1, "Sympathisant", 0, 0, 12, ("event",)),
            levels.Rule(2, "Actif", 1, 2, 12, ("event",)),
            levels.Rule(3, "Ambassadeur", 2, 6, 12, ("event",)),
        ]
        self.assertEqual(levels.level_reached(rules, {2: 2, 3: 2}).name, "Actif")
        self.assertEqual(levels.level_reached(rules, {}).name, "Sympathisant")
        self.assertEqual(levels.next_rule(rules, rules[1]).name, "Ambassadeur")


class LadderTests(BaseTestCase):
    def setUp(self):
        self.base = services.level_define(
            actor=self.staff,
            name="Sympathisant",
            rank=0,
            min_actions=0,
            window_months=12,
            kinds=["event"],
            valid_from=dt.date(2020, 1, 1),
        )
        self.active = services.level_define(
            actor=self.staff,
            name="Bénévole actif",
            rank=1,
            min_actions=2,
            window_months=12,
            kinds=["event", "vote"],
            valid_from=dt.date(2020, 1, 1),
        )

    def test_two_actions_in_twelve_months_reach_the_level_with_the_reason_in_words(self):
        ana = person("Ana")
        action(ana, dt.date(2025, 6, 30))  # just outside the window
        action(ana, dt.date(2025, 9, 1))
        self.assertEqual(engagement.level_of(ana, D).name, "Sympathisant")
        action(ana, dt.date(2026, 6, 30), kind=TimelineKind.VOTE)
        action(ana, dt.date(2026, 7, 1))  # after the date: not counted at D
        result = engagement.level_of(ana, D)
        self.assertEqual(result.name, "Bénévole actif")
        self.assertIn("2 actions comptées du 01/07/2025 au 30/06/2026", result.reason)
        self.assertIn("au moins 2", result.reason)

    def test_a_level_at_a_past_date_uses_the_rules_in_force_that_day(self):
        ana = person("Ana")
        action(ana, dt.date(2026, 1, 10))
        action(ana, dt.date(2026, 2, 10))
        services.level_define(
            actor=self.staff,
            name="Bénévole actif",
            rank=1,
            min_actions=3,
            window_months=12,
            kinds=["event"],
            valid_from=dt.date(2026, 3, 1),
        )
        self.assertEqual(engagement.level_of(ana, dt.date(2026, 2, 28)).name, "Bénévole actif")
        self.assertEqual(engagement.level_of(ana, dt.date(2026, 3, 1)).name, "Sympathisant")
        self.active.refresh_from_db()
        self.assertEqual(self.active.valid_until, dt.date(2026, 3, 1))

    def test_it_refuses_a_level_without_counted_actions_or_starting_before_the_current_one(self):
        with self.assertRaises(Refusal):
            services.level_define(
                actor=self.staff,
                name="X",
                rank=2,
                min_actions=1,
                window_months=12,
                kinds=[],
                valid_from=D,
            )
        with self.assertRaises(Refusal):
            services.level_define(
                actor=self.staff,
                name="X",
                rank=1,
                min_actions=1,
                window_months=12,
                kinds=["event"],
                valid_from=dt.date(2019, 1, 1),
            )
        self.assertEqual(EngagementLevel.objects.count(), 2)

    def test_the_funnel_counts_everyone_at_their_level_in_three_queries(self):
        ana, bob = person("Ana"), person("Bob")
        for day in (dt.date(2026, 1, 1), dt.date(2026, 2, 1)):
            action(ana, day)
        action(bob, dt.date(2026, 2, 1))
        Contact.objects.update(created_at=at(dt.date(2024, 1, 1)))
        with self.assertNumQueries(3):
            steps = engagement.funnel(D)
        by_name = {s.rule.name if s.rule else None: s.count for s in steps}
        persons = Contact.objects.filter(kind="person").count()
        self.assertEqual(by_name["Bénévole actif"], 1)
        self.assertEqual(by_name["Sympathisant"], persons - 1)
        self.assertEqual(by_name[None], 0)

    def test_the_contact_page_shows_the_level_and_its_reason(self):
        ana = person("Ana")
        self.login(self.staff)
        page = self.client.get(ana.get_absolute_url())
        self.assertContains(page, "Sympathisant")
        self.assertContains(page, "0 actions comptées")

    def test_the_engagement_page_shows_the_funnel_and_adds_a_level(self):
        self.login(self.staff)
        url = reverse("community:engagement")
        page = self.client.get(url, {"date": "2026-06-30"})
        self.assertContains(page, "Entonnoir au 30/06/2026")
        self.assertContains(page, "Bénévole actif")
        future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
        self.assertContains(
            self.client.get(url, {"date": future}), "invalid-feedback", status_code=200
        )
        self.client.post(
            url,
            {
                "name": "Ambassadeur local",
                "rank": 2,
                "min_actions": 6,
                "window_months": 12,
                "kinds": ["event", "meeting"],
                "valid_from": "2026-01-01",
            },
        )
        self.assertTrue(EngagementLevel.objects.filter(name="Ambassadeur local").exists())
        self.client.post(reverse("community:level_end", args=[self.base.pk]), {"on": "2026-01-01"})
        self.base.refresh_from_db()
        self.assertEqual(self.base.valid_until, dt.date(2026, 1, 1))

    def test_engagement_pages_are_for_the_team_only(self):
        self.assert_staff_only(reverse("community:engagement"))
        self.assert_staff_only(reverse("community:dormant"))
        self.assert_staff_only(
            reverse("community:level_end", args=[self.base.pk]),
            method="post",
            data={"on": "2026-01-01"},
        )
        self.base.refresh_from_db()
        self.assertIsNone(self.base.valid_until)


class DormantTests(BaseTestCase):
    def test_members_without_interaction_for_twelve_months_are_listed_in_constant_queries(self):
        from placette.governance.tests.helpers import make_member, make_statutes

        make_statutes()
        quiet = make_member("Quiet", "a")
        busy = make_member("Busy", "a")
        TimelineEntry.objects.filter(contact__in=[quiet, busy]).update(at=at(dt.date(2021, 1, 1)))
        action(busy, timezone.localdate() - dt.timedelta(days=30), kind=TimelineKind.CALL)
        self.assertEqual(list(engagement.dormant_members()), [quiet])
        self.login(self.staff)
        page = self.client.get(reverse("community:dormant"))
        self.assertContains(page, quiet.display_name)
        self.assertNotContains(page, busy.display_name)

        def add(n):
            for i in range(n):
                make_member(f"M{Contact.objects.count()}x{i}", "b")

        self.assert_constant_queries(reverse("community:dormant"), add)

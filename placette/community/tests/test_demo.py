import io
import random

from placette.community import demo, engagement
from placette.community.models import (
    Consultation,
    EngagementLevel,
    Registration,
    RegistrationStatus,
    Session,
)
from placette.governance.tests.helpers import make_member, make_statutes
from placette.test import BaseTestCase, make_contact


class DemoTests(BaseTestCase):
    def test_the_demo_builds_sessions_with_waiting_lists_once_and_a_second_run_changes_nothing(
        self,
    ):
        make_statutes()
        for i in range(40):
            make_contact(first_name="Demo", last_name=f"N{i}", email=f"demo{i}@test.fr")
        for i in range(5):
            make_member(f"Soc{i}", "abcd"[i % 4])
        demo.seed(random.Random("placette-community"), io.StringIO())
        counts = (
            Session.objects.count(),
            Registration.objects.count(),
            EngagementLevel.objects.count(),
            Consultation.objects.count(),
        )
        self.assertEqual(counts[0], 40)
        self.assertTrue(Registration.objects.filter(status=RegistrationStatus.WAITING).exists())
        self.assertTrue(Registration.objects.filter(attended=True).exists())
        self.assertEqual(
            Session.objects.filter(starts_at__gt=engagement.timezone.now()).count() > 0, True
        )
        steps = engagement.funnel(engagement.timezone.localdate())
        self.assertGreater(sum(s.count for s in steps if s.rule and s.rule.rank > 0), 0)
        demo.seed(random.Random("placette-community"), io.StringIO())
        self.assertEqual(
            (
                Session.objects.count(),
                Registration.objects.count(),
                EngagementLevel.objects.count(),
                Consultation.objects.count(),
            ),
            counts,
        )

"""The impact to-dos and figure on the staff dashboard; constant queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from placette.impact import services
from placette.impact.dashboard import figures
from placette.impact.models import Campaign, Invitation
from placette.impact.tests.helpers import campaign_with_activity
from placette.impact.todos import todos
from placette.lib.dashboard import Urgency
from placette.test import BaseTestCase


def by_key(items):
    return {todo.key: todo for todo in items}


class ImpactTodosTests(BaseTestCase):
    def test_unsent_questionnaires_near_the_deadline_and_campaigns_to_close_are_listed(self):
        self.assertEqual({t.count for t in todos()}, {0})
        self.assertEqual(figures(), [])
        campaign, _place, _activity = campaign_with_activity(
            deadline=timezone.localdate() + dt.timedelta(days=5)
        )
        services.campaign_launch(campaign=campaign, actor=None)
        waiting = by_key(todos())["impact.questionnaires_waiting"]
        self.assertEqual((waiting.count, waiting.urgency), (1, Urgency.SOON))
        self.assertEqual(waiting.url, reverse("impact:campaigns"))
        (figure,) = figures()
        self.assertEqual((figure.value, figure.url), ("0\u00a0%", campaign.get_absolute_url()))
        services.response_save(
            invitation=Invitation.objects.get(),
            data={"i12-evenements-collectifs-ouverts-a-tous": "3"},
            submit=True,
        )
        self.assertEqual(by_key(todos())["impact.questionnaires_waiting"].count, 0)
        self.assertEqual(figures()[0].value, "100\u00a0%")
        Campaign.objects.update(
            opens_on=timezone.localdate() - dt.timedelta(days=40),
            deadline=timezone.localdate() - dt.timedelta(days=1),
        )
        self.assertEqual(by_key(todos())["impact.campaigns_to_close"].count, 1)
        with CaptureQueriesContext(connection) as queries:
            todos()
        self.assertEqual(len(queries), 2)
        self.login(self.staff)
        self.assertContains(self.client.get(reverse("backoffice:dashboard")), "à clore")

"""Area tabs come from one include, with the current tab marked active."""

from pathlib import Path

from django.urls import reverse

from placette.governance.tests.helpers import make_ag
from placette.governance.tests.helpers import make_member as make_voter
from placette.governance.tests.helpers import make_statutes as make_governance_statutes
from placette.lib.templatetags.navigation import tab_items
from placette.test import BaseTestCase

ACTIVE = 'class="nav-link active" aria-current="page" href="{}"'


class TabsTests(BaseTestCase):
    def test_the_tab_with_the_longest_matching_url_is_the_only_active_one(self):
        items = tab_items("membership", reverse("membership:snapshots"))
        self.assertEqual([t["label"] for t in items if t["active"]], ["Registres arrêtés"])
        home = tab_items("membership", reverse("membership:home"))
        self.assertEqual([t["label"] for t in home if t["active"]], ["Tableau de bord"])

    def test_a_page_outside_every_tab_names_its_tab(self):
        items = tab_items(
            "membership", reverse("membership:holder", args=[1]), active="membership:members"
        )
        self.assertEqual([t["label"] for t in items if t["active"]], ["Sociétaires"])

    def test_a_holders_page_marks_the_members_tab(self):
        self.login(self.staff)
        response = self.client.get(reverse("membership:holder", args=[self.member.contact.pk]))
        self.assertContains(response, ACTIVE.format(reverse("membership:members")))

    def test_a_page_shows_its_area_tabs_with_the_current_one_active(self):
        self.login(self.staff)
        url = reverse("membership_public:bank_import")
        response = self.client.get(url)
        self.assertContains(
            response, ACTIVE.format(reverse("membership_public:request_list")), html=False
        )
        self.assertContains(response, ACTIVE.format(url))
        self.assertContains(response, 'class="nav nav-pills mb-3"')

    def test_the_steps_of_a_meeting_are_tabs_with_the_current_step_active(self):
        make_governance_statutes()
        make_voter("Lou", "a")
        meeting = make_ag()
        self.login(self.staff)
        url = reverse("governance:convocation", args=[meeting.pk])
        response = self.client.get(url)
        self.assertContains(response, ACTIVE.format(url))
        self.assertContains(response, reverse("governance:minutes", args=[meeting.pk]))
        self.assertNotContains(response, ACTIVE.format(meeting.get_absolute_url()))

    def test_no_template_writes_its_own_tab_markup(self):
        root = Path(__file__).resolve().parents[2]
        offenders = [
            str(path.relative_to(root))
            for path in root.rglob("*.html")
            if "nav nav-" in path.read_text() and path.name != "tabs.html"
        ]
        self.assertEqual(offenders, [])

"""Every governance URL, GET and POST, against every lower role: a new URL fails this test until
it is guarded. Team pages: anonymous → sign-in, a member, an activity holder → 403 (and a board
member too, except the live pages of the chair, open to the board). Member pages: anonymous →
sign-in, a member not on the meeting's roll → 403."""

from django.urls import URLPattern, URLResolver, reverse

from placette.governance import portal_urls, urls
from placette.governance.tests.helpers import make_ag, make_member, make_statutes
from placette.test import BaseTestCase

BOARD_OPEN = {
    "live_desk",
    "live_checkin_code",
    "live_console",
    "live_open",
    "live_close",
    "live_show",
    "live_amendment_add",
    "live_projector",
    "live_state",
}
DUMMY = {"pk": 999999, "token": "x", "fmt": "csv", "doc": 999999}


def _names(patterns) -> list[tuple[str, list[str]]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _names(p.url_patterns)
        elif isinstance(p, URLPattern) and p.name:
            found.append((p.name, list(p.pattern.converters)))
    return found


class PermissionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        make_member("Alice", "a")

    def test_every_team_url_refuses_anonymous_users_members_and_activity_holders(self):
        names = _names(urls.urlpatterns)
        self.assertGreater(len(names), 50)
        for name, params in names:
            url = reverse(f"governance:{name}", kwargs={p: DUMMY[p] for p in params})
            for method in ("get", "post"):
                call = getattr(self.client, method)
                self.client.logout()
                response = call(url)
                self.assertEqual(response.status_code, 302, f"{method} {url}")
                self.assertTrue(response["Location"].startswith(reverse("account_login")), url)
                personas = [self.member, self.activity_holder]
                if name not in BOARD_OPEN:
                    personas.append(self.board_member)
                for persona in personas:
                    self.login(persona)
                    self.assertEqual(call(url).status_code, 403, f"{method} {url} {persona}")

    def test_every_member_url_refuses_anonymous_users_and_members_not_on_the_roll(self):
        meeting = make_ag(resolutions=1)
        values = dict(DUMMY, pk=meeting.pk)
        names = _names(portal_urls.urlpatterns)
        self.assertGreater(len(names), 12)
        for name, params in names:
            kwargs = {p: values[p] for p in params}
            if name == "fingerprints":
                kwargs["pk"] = meeting.resolutions.get().pk
            url = reverse(f"governance_portal:{name}", kwargs=kwargs)
            self.client.logout()
            for method in ("get", "post"):
                response = getattr(self.client, method)(url)
                self.assertEqual(response.status_code, 302, f"{method} {url}")
                self.assertTrue(response["Location"].startswith(reverse("account_login")), url)
            if name == "home":
                continue  # lists only the meetings the signed-in member is on the roll of
            self.login(self.other_member)
            statuses = {self.client.get(url).status_code, self.client.post(url).status_code}
            self.assertEqual(statuses - {405}, {403}, url)

"""No page writes to the database when it is only read (GET): a reload, a prefetch or a crawler
must never create, change or delete a row."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from placette.governance.tests.helpers import make_ag
from placette.governance.tests.helpers import make_member as make_voter
from placette.governance.tests.helpers import make_statutes as make_governance_statutes
from placette.places.tests.helpers import make_activity, make_lease, make_operation, make_place
from placette.test import BaseTestCase

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# The visitor's own session (one-time form tokens, messages) is browser state, not data.
SESSION = '"django_session"'
# Files produced on demand (PDF, spreadsheets) are reads too, but slow: the crawl skips them.
SKIPPED = re.compile(r"\.(pdf|csv|xlsx|ics)$|/export|/api/|/admin/|/comptes/")


def _names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def pages_without_arguments() -> list[str]:
    urls = set()
    for name in _names(get_resolver().url_patterns):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if url.startswith(("/gestion/", "/espace/")) and not SKIPPED.search(url):
            urls.add(url)
    return sorted(urls)


class NoWriteOnGetTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_governance_statutes()
        make_voter("Lou", "a", contact=cls.member.contact)
        cls.meeting = make_ag()
        cls.place = make_place()
        make_operation(cls.place)
        cls.lease = make_lease(make_activity(cls.place), until=dt.date(2023, 4, 30))

    def assert_no_write(self, url: str) -> None:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertLess(response.status_code, 500, url)
        writes = [q["sql"] for q in queries if WRITE.match(q["sql"]) and SESSION not in q["sql"]]
        self.assertEqual(writes, [], url)

    def test_no_staff_page_writes_to_the_database_when_it_is_read(self):
        self.login(self.staff_admin)
        urls = pages_without_arguments()
        self.assertGreater(len(urls), 20)
        urls += [
            self.place.get_absolute_url(),
            reverse("places:operation", args=[self.place.pk]),
            self.lease.get_absolute_url(),
            self.meeting.get_absolute_url(),
            reverse("membership:holder", args=[self.member.contact.pk]),
            reverse("contacts:detail", args=[self.member.contact.pk]),
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assert_no_write(url)

    def test_no_members_page_writes_to_the_database_when_it_is_read(self):
        self.login(self.member)
        for url in [u for u in pages_without_arguments() if u.startswith("/espace/")]:
            with self.subTest(url=url):
                self.assert_no_write(url)

    def test_the_places_figures_read_the_default_goal_without_creating_the_settings_row(self):
        from placette.places.models import PlacesSettings

        self.login(self.staff)
        self.assert_no_write(reverse("places:figures"))
        self.assertFalse(PlacesSettings.objects.exists())

"""One loader for the contact of the signed-in user: every member's page of every area gives the
same answer to an account linked to no contact record."""

import datetime as dt

from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from placette.accounts.models import Role, User
from placette.governance.models import Meeting, MeetingKind
from placette.governance.tests.helpers import ag_body
from placette.lib.permissions import NoContactError, contact_of_user
from placette.test import BaseTestCase

EXPLANATION = "Votre compte n’est relié à aucune fiche"


class ContactOfUserTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.orphan = User.objects.create_user("sans-fiche@test.fr", cls.password, role=Role.MEMBER)
        cls.meeting = Meeting.objects.create(
            body=ag_body(),
            kind=MeetingKind.AGO,
            title="AG 2030",
            starts_at=timezone.now() + dt.timedelta(days=30),
            cutoff_date=timezone.localdate(),
        )

    def test_it_returns_the_contact_linked_to_the_account(self):
        request = RequestFactory().get("/espace/")
        request.user = self.member
        self.assertEqual(contact_of_user(request), self.member.contact)

    def test_it_raises_a_not_found_error_for_an_account_without_a_contact(self):
        request = RequestFactory().get("/espace/")
        request.user = self.orphan
        with self.assertRaises(NoContactError):
            contact_of_user(request)

    def test_every_members_page_answers_the_same_french_page_to_an_account_without_a_contact(
        self,
    ):
        self.login(self.orphan)
        pk = self.meeting.pk
        pages = [
            ("get", reverse("portal:details")),
            ("get", reverse("membership_portal:home")),
            ("get", reverse("membership_portal:subscribe_more")),
            ("get", reverse("membership_portal:refund")),
            ("get", reverse("governance_portal:home")),
            ("get", reverse("contacts_portal:consents")),
            ("post", reverse("contacts_portal:consents")),
            ("get", reverse("governance_portal:meeting", args=[pk])),
            ("post", reverse("governance_portal:vote", args=[pk])),
            ("post", reverse("governance_portal:proxy", args=[pk])),
            ("post", reverse("governance_portal:evaluation", args=[pk])),
        ]
        for method, url in pages:
            with self.subTest(url=url):
                response = getattr(self.client, method)(url, {"electronic": "1"})
                self.assertContains(response, EXPLANATION, status_code=404)
                self.assertContains(response, "sans-fiche@test.fr", status_code=404)

    def test_the_members_home_still_opens_for_an_account_without_a_contact(self):
        self.login(self.orphan)
        response = self.client.get(reverse("portal:home"))
        self.assertContains(response, "Aucune fiche n’est encore associée à votre compte.")

"""Shared test personas: every view test can prove who gets in and who is refused."""

from collections.abc import Callable

from django.test import TestCase
from django.urls import reverse

from placette.accounts.models import Role, User
from placette.contacts.models import (
    ConsentPurpose,
    ConsentRecord,
    ConsentSource,
    Contact,
    ContactKind,
)
from placette.contacts.services import consent_purpose, consent_set


def make_contact(**fields) -> Contact:
    fields.setdefault("kind", ContactKind.PERSON)
    contact = Contact(**fields)
    contact.refresh_derived(organisation_names=[])
    contact.save()
    return contact


def give_consent(
    contact: Contact,
    purpose: str = ConsentPurpose.AG_CONVOCATION,
    given: bool = True,
    **kwargs,
) -> ConsentRecord:
    """Record a consent (or, `given=False`, a withdrawal) with the purpose's own words, as the
    team would from a signed paper; keyword arguments go to `consent_set`."""
    found = consent_purpose(purpose)
    kwargs.setdefault("source", ConsentSource.STAFF)
    kwargs.setdefault("text", found.text_for(given))
    kwargs.setdefault("version", found.version)
    return consent_set(contact=contact, purpose=found, given=given, **kwargs)


class BaseTestCase(TestCase):
    """Personas: a staff admin, a staff user, a board member, a member, another member and an
    activity holder. Anonymous is simply `self.client` without login."""

    password = "mot-de-passe-de-test"
    staff_admin: User
    staff: User
    board_member: User
    member: User
    other_member: User
    activity_holder: User

    @classmethod
    def setUpTestData(cls) -> None:
        def user(
            email: str, role: str, board: bool = False, first: str = "", last: str = ""
        ) -> User:
            contact = make_contact(
                first_name=first,
                last_name=last or email.split("@")[0],
                email=email,
                postcode="26150",
                commune_code="26113",
            )
            return User.objects.create_user(
                email,
                cls.password,
                role=role,
                is_board_member=board,
                display_name=f"{first} {last}".strip(),
                contact=contact,
            )

        cls.staff_admin = user("admin@test.fr", Role.STAFF_ADMIN, first="Anne", last="Admin")
        cls.staff = user("equipe@test.fr", Role.STAFF, first="Eric", last="Equipe")
        cls.board_member = user("ca@test.fr", Role.MEMBER, board=True, first="Bea", last="Conseil")
        cls.member = user("membre@test.fr", Role.MEMBER, first="Marc", last="Membre")
        cls.other_member = user("autre@test.fr", Role.MEMBER, first="Alix", last="Autre")
        cls.activity_holder = user("cafe@test.fr", Role.ACTIVITY, first="Cali", last="Cafe")

    def login(self, user: User) -> None:
        self.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    def assert_staff_only(self, url: str, method: str = "get", data: dict | None = None) -> None:
        """Anonymous → sign-in page; a member, a board member and an activity holder → 403."""
        call = getattr(self.client, method)
        self.client.logout()
        response = call(url, data or {})
        self.assertEqual(response.status_code, 302, url)
        self.assertTrue(response["Location"].startswith(reverse("account_login")), url)
        for persona in (self.member, self.board_member, self.activity_holder):
            self.login(persona)
            self.assertEqual(call(url, data or {}).status_code, 403, f"{url} {persona}")
        self.client.logout()

    def assert_constant_queries(
        self,
        url: str,
        add_rows: Callable[[int], object],
        data: dict | None = None,
        few: int = 5,
        many: int = 60,
    ) -> int:
        """A list page costs the same number of queries with `few` rows and with `many`
        (more than a page); `add_rows(n)` creates n more rows. Returns that number."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        add_rows(few)
        self.client.get(url, data or {})  # warm up: pending messages, session, caches
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, data or {})
        self.assertEqual(response.status_code, 200, url)
        add_rows(many - few)
        with self.assertNumQueries(len(queries)):
            response = self.client.get(url, data or {})
        self.assertEqual(response.status_code, 200, url)
        return len(queries)

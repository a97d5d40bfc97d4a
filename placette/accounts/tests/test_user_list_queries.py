"""The staff accounts page pages in a constant number of queries."""

import uuid

from django.urls import reverse

from placette.accounts.models import Role, User
from placette.test import BaseTestCase, make_contact


class UserListQueryTests(BaseTestCase):
    def test_the_accounts_page_costs_the_same_queries_with_5_and_60_accounts(self):
        self.login(self.staff_admin)

        def add(n: int) -> None:
            for _ in range(n):
                email = f"{uuid.uuid4().hex[:10]}@test.fr"
                User.objects.create_user(
                    email,
                    None,
                    role=Role.MEMBER,
                    contact=make_contact(last_name="Compte", email=email),
                )

        self.assert_constant_queries(reverse("accounts:list"), add)

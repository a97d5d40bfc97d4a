"""The audit log page pages in a constant number of queries."""

from django.urls import reverse

from placette.lib.audit import audit_log
from placette.test import BaseTestCase, make_contact


class AuditListTests(BaseTestCase):
    def test_the_audit_log_costs_the_same_queries_with_5_and_60_entries(self):
        self.login(self.staff_admin)

        def add(n: int) -> None:
            for i in range(n):
                actor = self.staff if i % 2 else self.staff_admin
                audit_log(
                    actor=actor,
                    action="contacts.contact.created",
                    obj=make_contact(last_name=f"A{i}"),
                )

        self.assert_constant_queries(reverse("backoffice:audit"), add)

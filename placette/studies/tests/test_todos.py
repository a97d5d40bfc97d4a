from decimal import Decimal

from django.urls import reverse

from placette.lib.dashboard import dashboard_todos
from placette.studies import services, todos
from placette.studies.tests.helpers import accepted_mission, ago
from placette.test import BaseTestCase


class TodoTests(BaseTestCase):
    def test_an_unpaid_invoice_past_its_due_date_is_on_the_to_do_list(self):
        mission = accepted_mission()
        invoice = services.invoice_issue(
            actor=None,
            mission=mission,
            issued_on=ago(60),
            lines=[{"label": "Acompte", "quantity": Decimal(1), "unit_price": Decimal("1000.00")}],
        )
        found = {t.key: t for t in dashboard_todos()}
        self.assertEqual(found["studies.invoices_overdue"].count, 1)
        self.assertIn("1\u202f200,00", found["studies.invoices_overdue"].detail)
        services.payment_record(
            actor=None, invoice=invoice, received_on=ago(1), amount=Decimal("1200.00")
        )
        found = {t.key: t for t in dashboard_todos()}
        self.assertNotIn("studies.invoices_overdue", found)
        self.login(self.staff)
        self.assertContains(self.client.get(reverse("backoffice:dashboard")), "Études signées")

    def test_the_to_dos_cost_the_same_whatever_the_rows(self):
        with self.assertNumQueries(4):
            todos.todos()
        accepted_mission()
        with self.assertNumQueries(4):
            todos.todos()

"""Categories, colleges and subscription settings are written by services (audited), not by the
views."""

from django.urls import reverse

from placette.lib.models import AuditEntry
from placette.membership.models import Category, College
from placette.membership.models_requests import SubscriptionSettings
from placette.test import BaseTestCase


class SettingsWritesTests(BaseTestCase):
    def test_adding_a_category_places_it_last_and_writes_one_audit_entry(self):
        Category.objects.create(code="existante", name="Existante", order=0)
        self.login(self.staff_admin)
        self.client.post(
            reverse("membership:category_create"), {"cat-code": "amis", "cat-name": "Amis"}
        )
        category = Category.objects.get(code="amis")
        self.assertEqual(category.order, 1)
        entry = AuditEntry.objects.get(action="membership.category.created")
        self.assertEqual(entry.actor, self.staff_admin)

    def test_adding_a_college_places_it_last_and_writes_one_audit_entry(self):
        self.login(self.staff_admin)
        self.client.post(
            reverse("membership:college_create"), {"col-code": "amis", "col-name": "Amis"}
        )
        self.assertEqual(College.objects.get(code="amis").order, College.objects.count() - 1)
        self.assertTrue(AuditEntry.objects.filter(action="membership.college.created").exists())

    def test_saving_the_subscription_settings_records_a_new_version_with_its_author(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("membership_public:settings"),
            {
                "account_holder": "Placette SCIC",
                "iban": "FR7630006000011234567890189",
                "bic": "AGRIFRPP",
                "cheque_payable_to": "Placette SCIC",
                "cheque_address": "1 place de la Mairie, 26220 Dieulefit",
                "company_object": "foncière solidaire",
                "company_seat": "Dieulefit",
                # the FEC's journal and accounts, as the form shows them (their defaults)
                **{
                    field.name: field.default
                    for field in SubscriptionSettings._meta.fields
                    if field.name.startswith("fec_")
                },
            },
        )
        self.assertRedirects(response, reverse("membership_public:request_list"))
        row = SubscriptionSettings.current()
        self.assertEqual((row.account_holder, row.created_by), ("Placette SCIC", self.staff))
        self.assertEqual(
            AuditEntry.objects.filter(action="membership.subscription_settings.updated").count(), 1
        )

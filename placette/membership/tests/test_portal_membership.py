"""The member's space: /espace/societariat/ and the card on /espace/."""

from decimal import Decimal

from django.urls import reverse

from placette.contacts.models import ConsentPurpose
from placette.contacts.services import consent_of, consent_purpose
from placette.membership.models import Movement
from placette.membership.models_requests import SubscriptionDocument, SubscriptionRequest
from placette.membership.services import shares_subscribe
from placette.membership.tests.helpers import category, make_statutes
from placette.membership.tests.test_subscription_public import payment_settings
from placette.membership.tests.test_subscription_queue import new_request
from placette.test import BaseTestCase


class PortalTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        payment_settings()
        for user in (cls.member, cls.other_member):
            shares_subscribe(
                actor=None, contact=user.contact, shares=2, category=category("soutiens")
            )

    def test_members_pages_refuse_anonymous_visitors(self):
        for url in [
            reverse("membership_portal:home"),
            reverse("membership_portal:subscribe_more"),
            reverse("membership_portal:refund"),
        ]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("account_login"), response["Location"])

    def test_a_member_sees_holdings_movements_and_the_card_on_the_space(self):
        self.login(self.member)
        response = self.client.get(reverse("membership_portal:home"))
        self.assertContains(response, "2 part(s)")
        self.assertContains(response, "Souscription")
        self.assertContains(response, reverse("portal:details"))
        home = self.client.get(reverse("portal:home"))
        self.assertContains(home, "Mes parts sociales")

    def test_a_member_downloads_only_their_own_documents(self):
        req = new_request(email="membre@test.fr")
        document = SubscriptionDocument.objects.get(request=req)
        self.assertEqual(req.contact, self.member.contact)
        url = document.document.get_absolute_url()
        self.login(self.member)
        self.assertContains(self.client.get(reverse("membership_portal:home")), url)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response.getvalue(), document.content)
        self.login(self.other_member)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_member_subscribes_more_shares_without_choosing_a_category(self):
        self.login(self.member)
        page = self.client.get(reverse("membership_portal:subscribe_more"))
        token = page.context["form"]["form_token"].value()
        data = {
            "form_token": token,
            "shares": "5",
            "payment_method": "cheque",
            "consent_statutes": "on",
            "consent_risk": "on",
            "consent_data": "on",
        }
        first = self.client.post(reverse("membership_portal:subscribe_more"), data)
        second = self.client.post(reverse("membership_portal:subscribe_more"), data)
        req = SubscriptionRequest.objects.get()
        self.assertEqual(first["Location"], second["Location"])
        self.assertTrue(req.is_additional)
        self.assertEqual((req.contact, req.category.code), (self.member.contact, "soutiens"))
        self.assertEqual(req.amount, Decimal(500))

    def test_a_member_requests_a_refund_and_sees_the_ir_pme_warning(self):
        self.login(self.member)
        response = self.client.post(
            reverse("membership_portal:refund"), {"shares": "1"}, follow=True
        )
        self.assertContains(response, "Votre demande de remboursement de 1 part(s)")
        self.assertContains(response, "période de conservation IR-PME")
        self.assertTrue(Movement.objects.filter(kind="refund_request").exists())
        response = self.client.post(reverse("membership_portal:refund"), {"shares": "0"})
        self.assertContains(response, "au moins 1", status_code=400)

    def test_a_member_switches_between_email_and_post_convocation(self):
        self.login(self.member)
        home = reverse("membership_portal:home")
        purpose = consent_purpose(ConsentPurpose.AG_CONVOCATION)
        self.assertContains(self.client.get(home), "par courrier postal")
        data = {"purpose": purpose.code, "version": purpose.version, "next": home}
        response = self.client.post(reverse("contacts_portal:consents"), {**data, "given": "1"})
        self.assertRedirects(response, home)
        self.assertTrue(consent_of(self.member.contact, purpose))
        self.assertContains(self.client.get(home), "Vous êtes convoqué(e) par e-mail.")
        self.client.post(reverse("contacts_portal:consents"), {**data, "given": "0"})
        self.assertFalse(consent_of(self.member.contact, purpose))

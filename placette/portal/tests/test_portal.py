from django.urls import reverse

from placette.test import BaseTestCase


class PortalTests(BaseTestCase):
    def test_the_members_space_requires_signing_in(self):
        for url in [reverse("portal:home"), reverse("portal:details")]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(reverse("account_login")))

    def test_a_member_sees_their_own_details_and_not_another_members(self):
        self.login(self.member)
        response = self.client.get(reverse("portal:home"))
        self.assertContains(response, "membre@test.fr")
        self.assertNotContains(response, "autre@test.fr")

    def test_a_member_updates_their_address_with_the_commune_resolved(self):
        self.login(self.member)
        response = self.client.post(
            reverse("portal:details"),
            {
                "phone": "06 00 00 00 01",
                "address_line1": "2 place du Marché",
                "postcode": "07200",
                "commune": "Aubenas",
            },
        )
        self.assertRedirects(response, reverse("portal:home"))
        contact = self.member.contact
        contact.refresh_from_db()
        self.assertEqual((contact.commune_code, contact.phone), ("07019", "06 00 00 00 01"))
        self.assertTrue(contact.timeline.filter(actor=self.member).exists())

    def test_a_member_cannot_save_an_unknown_commune(self):
        self.login(self.member)
        response = self.client.post(
            reverse("portal:details"),
            {
                "postcode": "07200",
                "commune": "Nullepart",
            },
        )
        self.assertContains(response, "Commune inconnue")
        self.member.contact.refresh_from_db()
        self.assertEqual(self.member.contact.commune_code, "26113")

from django.urls import reverse

from placette.accounts.models import User
from placette.lib.models import AuditEntry
from placette.test import BaseTestCase, make_contact


class UserAdministrationTests(BaseTestCase):
    def test_account_pages_are_for_staff_admins_only(self):
        for url in [reverse("accounts:list"), reverse("accounts:detail", args=[self.member.pk])]:
            self.assert_staff_only(url)
            self.login(self.staff)
            self.assertEqual(self.client.get(url).status_code, 403)

    def test_a_staff_admin_opens_a_member_account_without_password(self):
        contact = make_contact(first_name="Nina", last_name="Neuve", email="nina@ex.fr")
        self.login(self.staff_admin)
        response = self.client.post(
            reverse("accounts:list"), {"contact": contact.pk, "role": "member"}
        )
        user = User.objects.get(email="nina@ex.fr")
        self.assertRedirects(response, reverse("accounts:detail", args=[user.pk]))
        self.assertFalse(user.has_usable_password())
        self.assertEqual(user.contact, contact)
        self.assertTrue(
            contact.timeline.filter(title__startswith="Compte Placette ouvert").exists()
        )
        self.assertTrue(AuditEntry.objects.filter(action="accounts.user.created").exists())

    def test_a_contact_without_email_cannot_get_an_account(self):
        contact = make_contact(last_name="Sansmail")
        self.login(self.staff_admin)
        response = self.client.post(
            reverse("accounts:list"), {"contact": contact.pk, "role": "member"}
        )
        self.assertContains(response, "n’a pas d’adresse e-mail")
        self.assertFalse(User.objects.filter(contact=contact).exists())

    def test_a_second_account_for_the_same_contact_is_refused(self):
        self.login(self.staff_admin)
        response = self.client.post(
            reverse("accounts:list"), {"contact": self.member.contact.pk, "role": "member"}
        )
        self.assertContains(response, "Un compte existe déjà pour membre@test.fr.")

    def test_a_staff_admin_makes_a_member_a_board_member(self):
        self.login(self.staff_admin)
        self.client.post(
            reverse("accounts:detail", args=[self.member.pk]),
            {"role": "member", "is_board_member": "on", "is_active": "on"},
        )
        self.member.refresh_from_db()
        self.assertTrue(self.member.is_board_member)

    def test_the_last_active_admin_cannot_be_demoted(self):
        self.login(self.staff_admin)
        other = User.objects.create_user("admin2@test.fr", "x", role="staff_admin")
        self.client.post(reverse("accounts:detail", args=[other.pk]), {"role": "staff"})
        response = self.client.post(
            reverse("accounts:detail", args=[self.staff_admin.pk]),
            {"role": "staff", "is_active": "on"},
            follow=True,
        )
        self.assertContains(response, "Vous ne pouvez pas changer votre propre rôle")
        self.staff_admin.refresh_from_db()
        self.assertEqual(self.staff_admin.role, "staff_admin")

    def test_demoting_a_team_member_removes_their_password(self):
        self.login(self.staff_admin)
        self.client.post(
            reverse("accounts:detail", args=[self.staff.pk]), {"role": "member", "is_active": "on"}
        )
        self.staff.refresh_from_db()
        self.assertFalse(self.staff.has_usable_password())
        self.assertFalse(self.staff.is_team)

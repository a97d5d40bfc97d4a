"""Issue 9 blockers 1 and 2: no account takeover through e-mail pages, no admin side door."""

import re

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from placette.accounts.models import User
from placette.test import BaseTestCase


def code_from(message) -> str:
    return re.search(r"^([A-Z0-9-]{6,9})$", message.body, re.M).group(1)


class AccountTakeoverTests(BaseTestCase):
    def test_the_email_management_and_sign_up_pages_are_not_mounted(self):
        self.login(self.member)
        for url in ("/comptes/email/", "/comptes/signup/", "/comptes/password/set/"):
            self.assertEqual(self.client.get(url).status_code, 404, url)
            self.assertEqual(self.client.post(url, {"email": "x@test.fr"}).status_code, 404)
        for name in ("account_email", "account_signup", "account_set_password"):
            with self.assertRaises(NoReverseMatch):
                reverse(name)

    def test_a_member_cannot_reach_the_password_or_second_factor_pages(self):
        self.login(self.member)
        for name in ("account_change_password", "mfa_index", "mfa_activate_totp"):
            self.assertEqual(self.client.get(reverse(name)).status_code, 404, name)

    def test_a_member_asking_for_a_password_reset_gets_no_link(self):
        with self.captureOnCommitCallbacks(execute=True):  # emails leave after commit
            self.client.post(reverse("account_reset_password"), {"email": self.member.email})
        self.assertEqual(mail.outbox, [])
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("account_reset_password"), {"email": self.staff.email})
        self.assertEqual(len(mail.outbox), 1)

    def test_a_code_sign_in_opens_the_account_that_owns_the_address(self):
        # An address row left by the old e-mail page on the attacker's account is swept away
        # as soon as the victim's account is saved, and never opens the attacker's account.
        EmailAddress.objects.create(user=self.other_member, email=self.member.email)
        self.member.save()
        self.assertFalse(EmailAddress.objects.filter(user=self.other_member).exists())
        with self.captureOnCommitCallbacks(execute=True):  # the code leaves after commit
            self.client.post(reverse("account_request_login_code"), {"email": self.member.email})
        self.assertEqual(mail.outbox[-1].to, [self.member.email])
        self.client.post(
            reverse("account_confirm_login_code"), {"code": code_from(mail.outbox[-1])}
        )
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.member.pk)

    def test_the_cleanup_migration_removes_addresses_that_are_not_the_accounts_own(self):
        from importlib import import_module

        from django.apps import apps

        stray = EmailAddress.objects.create(user=self.other_member, email=self.member.email)
        own = EmailAddress.objects.create(user=self.member, email=self.member.email)
        import_module("placette.accounts.migrations.0003_sign_in_addresses_cleanup").forwards(
            apps, None
        )
        self.assertFalse(EmailAddress.objects.filter(pk=stray.pk).exists())
        self.assertTrue(EmailAddress.objects.filter(pk=own.pk).exists())


class AdminSignInTests(BaseTestCase):
    def test_the_admin_login_sends_to_the_site_sign_in(self):
        response = self.client.get("/admin/login/?next=/admin/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("account_login")))
        response = self.client.post(
            "/admin/login/", {"username": self.staff.email, "password": self.password}
        )
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_admin_cannot_be_used_to_skip_the_lock_out(self):
        for _ in range(30):
            self.client.post(
                "/admin/login/", {"username": self.staff_admin.email, "password": "faux"}
            )
        self.client.post(
            "/admin/login/", {"username": self.staff_admin.email, "password": self.password}
        )
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(self.client.get("/admin/").status_code, 302)

    def test_a_staff_account_with_totp_cannot_enter_the_admin_with_its_password_alone(self):
        TOTP.activate(self.staff_admin, generate_totp_secret())
        self.client.post(
            "/admin/login/", {"username": self.staff_admin.email, "password": self.password}
        )
        self.client.post(
            reverse("account_login"),
            {"login": self.staff_admin.email, "password": self.password},
        )
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(self.client.get("/gestion/").status_code, 302)
        self.assertEqual(self.client.get("/admin/").status_code, 302)

    @override_settings(DEBUG=False)
    def test_a_signed_in_member_gets_no_admin_page(self):
        self.login(self.member)
        response = self.client.get("/admin/login/")
        self.assertEqual(response.status_code, 403)


def test_users_have_one_address_each(db):
    user = User.objects.create_user("une@test.fr", None, role="member")
    EmailAddress.objects.create(user=user, email="ancienne@test.fr")
    user.save()
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == []

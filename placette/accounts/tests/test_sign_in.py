import re

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from placette.accounts.models import User
from placette.test import BaseTestCase


class SignInTests(BaseTestCase):
    def setUp(self):
        cache.clear()  # rate-limit counters live in the cache

    def test_a_staff_user_signs_in_with_a_password_and_lands_on_the_back_office(self):
        response = self.client.post(
            reverse("account_login"), {"login": "equipe@test.fr", "password": self.password}
        )
        self.assertRedirects(response, reverse("backoffice:dashboard"))
        self.assertContains(self.client.get(reverse("backoffice:dashboard")), "Tableau de bord")

    def test_a_member_signs_in_with_a_code_received_by_email(self):
        member = User.objects.create_user("sans-mdp@test.fr", None, role="member")
        with self.captureOnCommitCallbacks(execute=True):  # the code leaves after commit
            response = self.client.post(
                reverse("account_request_login_code"), {"email": member.email}
            )
        self.assertRedirects(response, reverse("account_confirm_login_code"))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, [member.email])
        code = re.search(r"^([A-Z0-9-]{6,9})$", mail.outbox[0].body, re.M).group(1)
        response = self.client.post(reverse("account_confirm_login_code"), {"code": code})
        self.assertRedirects(response, reverse("portal:home"), fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("portal:home")).status_code, 200)

    def test_a_wrong_code_does_not_sign_the_member_in(self):
        member = User.objects.create_user("sans-mdp@test.fr", None, role="member")
        self.client.post(reverse("account_request_login_code"), {"email": member.email})
        response = self.client.post(reverse("account_confirm_login_code"), {"code": "ZZZZZZ"})
        self.assertEqual(response.status_code, 200)
        response = self.client.get(reverse("portal:home"))
        self.assertEqual(response["Location"], reverse("account_login") + "?next=/espace/")

    def test_a_member_without_password_cannot_sign_in_with_a_guessed_password(self):
        User.objects.create_user("sans-mdp@test.fr", None, role="member")
        response = self.client.post(
            reverse("account_login"), {"login": "sans-mdp@test.fr", "password": ""}
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_repeated_failed_sign_ins_are_rate_limited(self):
        for _ in range(5):
            self.client.post(
                reverse("account_login"), {"login": "equipe@test.fr", "password": "faux"}
            )
        response = self.client.post(
            reverse("account_login"), {"login": "equipe@test.fr", "password": self.password}
        )
        self.assertContains(response, "Trop de tentatives", status_code=200)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_staff_user_with_totp_must_give_the_code_after_the_password(self):
        secret = generate_totp_secret()
        TOTP.activate(self.staff, secret)
        response = self.client.post(
            reverse("account_login"), {"login": "equipe@test.fr", "password": self.password}
        )
        self.assertRedirects(response, reverse("mfa_authenticate"))
        self.assertNotIn("_auth_user_id", self.client.session)
        code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
        response = self.client.post(reverse("mfa_authenticate"), {"code": code})
        self.assertRedirects(response, reverse("backoffice:dashboard"))

    def test_nobody_can_sign_up_on_their_own(self):
        self.assertEqual(self.client.get("/comptes/signup/").status_code, 404)


class RoleTests(BaseTestCase):
    def test_the_home_page_sends_each_person_to_their_own_space(self):
        self.assertRedirects(self.client.get("/"), reverse("account_login"))
        self.login(self.staff)
        self.assertRedirects(self.client.get("/"), reverse("backoffice:dashboard"))
        self.login(self.member)
        self.assertRedirects(self.client.get("/"), reverse("portal:home"))

    def test_the_back_office_pages_are_for_the_team_only(self):
        self.assert_staff_only(reverse("backoffice:dashboard"))
        self.assert_staff_only(reverse("backoffice:api_tokens"))

    def test_the_audit_log_page_is_for_staff_admins_only(self):
        self.assert_staff_only(reverse("backoffice:audit"))
        self.login(self.staff)
        self.assertEqual(self.client.get(reverse("backoffice:audit")).status_code, 403)
        self.login(self.staff_admin)
        self.assertEqual(self.client.get(reverse("backoffice:audit")).status_code, 200)

    def test_the_django_admin_is_closed_to_members(self):
        self.login(self.member)
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 302)
        self.login(self.staff_admin)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_the_navigation_shows_every_area_that_declares_itself_in_its_order(self):
        from django.apps import apps

        areas = sorted(
            (c for c in apps.get_app_configs() if getattr(c, "nav_label", None)),
            key=lambda c: c.nav_order,
        )
        self.assertEqual(len(areas), 8)  # the eight areas of the design, all built
        self.login(self.staff)
        page = self.client.get(reverse("backoffice:dashboard")).content.decode()
        positions = [page.index(f'href="{reverse(c.nav_url)}"') for c in areas]
        self.assertEqual(positions, sorted(positions))

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: accounts are created by the team or by a share subscription."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if getattr(user, "is_team", False):
            return reverse("backoffice:dashboard")
        return reverse("portal:home")

    def send_password_reset_mail(self, user: Any, email: str, context: dict[str, Any]) -> None:
        # Members and activity holders have no password: they sign in by code, so a reset link
        # would only give them a password they should never have. Same answer on the page.
        if getattr(user, "is_team", False):
            super().send_password_reset_mail(user, email, context)

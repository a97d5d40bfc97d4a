import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse

from placette.lib.mail import mail_send


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

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's emails (sign-in codes, password reset…) go through placette.lib.mail like
        every other: `emails/account/<name>.*` when we wrote it, else allauth's own text."""
        name = template_prefix.rsplit("/", 1)[-1]
        template = f"account/{name}"
        try:
            get_template(f"emails/{template}.txt")
        except TemplateDoesNotExist:
            template = "account/allauth"
            context = {
                **context,
                "subject_template": f"{template_prefix}_subject.txt",
                "message_template": f"{template_prefix}_message.txt",
            }
        mail_send(
            template=template,
            to_email=email,
            context={
                "email": email,
                "current_site": get_current_site(allauth_context.request),
                **context,
            },
            kind=f"account.{name}",
            key=f"account.{name}:{uuid.uuid4().hex}",
            keep_body=False,  # a sign-in code or a reset link is not kept once sent
        )

"""The sign-in pages that Placette mounts — and only those (issue 9, account takeover).

allauth's full URL set offers pages no role needs here: sign-up (accounts are opened by the team
or by a share subscription), the e-mail management page (an address added there was attached
unverified and then used by the code sign-in), password set for members (they never have one).
Members sign in by code; the team by password with optional TOTP, and may change or reset their
password and manage their second factor.
"""

from functools import wraps

from allauth.account import views as account
from allauth.mfa.base import views as mfa
from allauth.mfa.recovery_codes import views as recovery
from allauth.mfa.totp import views as totp
from django.http import Http404
from django.urls import path, re_path


def team_only(view):
    """Pages about a password or a second factor exist for the team only (members: 404)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(request.user, "is_team", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


urlpatterns = [
    path("login/", account.login, name="account_login"),
    path("logout/", account.logout, name="account_logout"),
    path("inactive/", account.account_inactive, name="account_inactive"),
    path("login/code/", account.request_login_code, name="account_request_login_code"),
    path("login/code/confirm/", account.confirm_login_code, name="account_confirm_login_code"),
    path("reauthenticate/", team_only(account.reauthenticate), name="account_reauthenticate"),
    path("password/change/", team_only(account.password_change), name="account_change_password"),
    # The reset is asked for while signed out; the adapter mails a link to team members only.
    path("password/reset/", account.password_reset, name="account_reset_password"),
    path("password/reset/done/", account.password_reset_done, name="account_reset_password_done"),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        account.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "password/reset/key/done/",
        account.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    path("2fa/", team_only(mfa.index), name="mfa_index"),
    path("2fa/authenticate/", mfa.authenticate, name="mfa_authenticate"),
    path("2fa/reauthenticate/", team_only(mfa.reauthenticate), name="mfa_reauthenticate"),
    path("2fa/totp/activate/", team_only(totp.activate_totp), name="mfa_activate_totp"),
    path("2fa/totp/deactivate/", team_only(totp.deactivate_totp), name="mfa_deactivate_totp"),
    path(
        "2fa/recovery-codes/",
        team_only(recovery.view_recovery_codes),
        name="mfa_view_recovery_codes",
    ),
    path(
        "2fa/recovery-codes/generate/",
        team_only(recovery.generate_recovery_codes),
        name="mfa_generate_recovery_codes",
    ),
    path(
        "2fa/recovery-codes/download/",
        team_only(recovery.download_recovery_codes),
        name="mfa_download_recovery_codes",
    ),
]

"""Facts about the browser behind a request, kept as evidence (a consent given on a web form)."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest

USER_AGENT_MAX = 400


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address by the rule sign-in rate limits use (allauth's, trusting
    X-Forwarded-For only for the `TRUSTED_PROXY_COUNT` proxies declared in the settings);
    None when it cannot be told."""
    try:
        address = get_adapter(request).get_client_ip(request)
        validate_ipv46_address(address)
    except (PermissionDenied, ValidationError):
        return None
    return address


def client_user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]

"""Facts about the browser behind a request, kept as evidence (a consent given on a web form)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest

from placette.lib.ratelimit import client_ip

USER_AGENT_MAX = 400


def client_ip_or_none(request: HttpRequest) -> str | None:
    """The client's IP address by the rule rate limits use (`lib.ratelimit.client_ip`:
    X-Forwarded-For trusted only for the proxies declared in the settings), or None when it
    cannot be told — evidence is kept without it rather than refusing the visitor."""
    try:
        address = client_ip(request)
        validate_ipv46_address(address)
    except (PermissionDenied, ValidationError):
        return None
    return address


def client_user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]

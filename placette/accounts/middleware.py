from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SessionIdleTimeoutMiddleware:
    """A signed-in session ends after a spell without any request (shorter for the team).

    The expiry is pushed back on every request, so an active person is never signed out; an
    abandoned session on a shared computer is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            idle = (
                settings.STAFF_SESSION_IDLE_SECONDS
                if getattr(user, "is_team", False)
                else settings.MEMBER_SESSION_IDLE_SECONDS
            )
            request.session.set_expiry(idle)
        return self.get_response(request)

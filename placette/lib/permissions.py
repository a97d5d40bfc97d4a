"""View guards. Every view of Placette uses one of these; tests prove who is refused."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def _guard(
    test: Callable[[Any], bool],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied("Vous n’avez pas accès à cette page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = _guard(lambda user: user.is_team)
staff_admin_required = _guard(lambda user: user.is_staff_admin)
board_required = _guard(lambda user: user.is_team or user.is_board_member)
signed_in_required = _guard(lambda user: True)

"""View guards. Every view of Placette uses one of these; tests prove who is refused.
`contact_of_user` is the one loader of the signed-in user's contact record."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

if TYPE_CHECKING:
    from placette.contacts.models import Contact


def _guard(
    test: Callable[[Any], bool],
    refused: Any = "",  # a lazy translation: the language of the request
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                # the French 403 page (templates/403.html) shows who the page is for
                raise PermissionDenied(refused)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = _guard(
    lambda user: user.is_team, gettext_lazy("Cette page est réservée à l’équipe de la coopérative.")
)
staff_admin_required = _guard(
    lambda user: user.is_staff_admin,
    gettext_lazy("Cette page est réservée aux administrateurs de Placette."),
)
board_required = _guard(
    lambda user: user.is_team or user.is_board_member,
    gettext_lazy("Cette page est réservée à l’équipe et au conseil d’administration."),
)
signed_in_required = _guard(lambda user: True)


class NoContactError(Http404):
    """The signed-in account is linked to no contact record: its own pages have nothing to show.
    A 404 for the views; `NoContactMiddleware` shows the French page that explains it."""


def contact_of_user(request: HttpRequest) -> Contact:
    """The contact record of the signed-in user: the one loader of every member's page.
    Raises `NoContactError` when the account is linked to none (same answer in every area)."""
    contact = getattr(request.user, "contact", None)
    if contact is None:
        raise NoContactError(gettext("Aucune fiche n’est associée à votre compte."))
    return contact


class NoContactMiddleware:
    """Turns `NoContactError` into a French page (status 404) saying what to do next."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NoContactError):
            return render(request, "no_contact.html", status=404)
        return None


def debug_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Development pages (the mailbox): a 404 unless DEBUG. Open to anyone in development, since
    a newcomer reads a member's sign-in code there before being signed in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.DEBUG:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped

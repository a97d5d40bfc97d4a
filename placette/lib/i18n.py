"""The language of each page: French unless the person chose another one.

The one rule (decision 30): the signed-in person's own choice (`User.language`), else the
choice kept in the language cookie (anonymous visitors, set by `/langue/`), else French. The
browser's Accept-Language is never followed: a cooperative's members and team read French, and a
half-translated page must never appear because a browser is set to English."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def language_codes() -> set[str]:
    return {code for code, _ in settings.LANGUAGES}


def language_of(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
    if chosen in language_codes():
        return chosen
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return cookie if cookie in language_codes() else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activates `language_of(request)` for the request (after the authentication middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_of(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

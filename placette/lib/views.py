"""Views and view helpers shared by every area: showing a refusal, the one download view of
stored documents (see placette.lib.documents), the error pages, the language switch."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.shortcuts import get_object_or_404, redirect
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from placette.lib.documents import Document, document_readable_by, document_response
from placette.lib.permissions import signed_in_required
from placette.lib.refusals import Refusal


def refusal_show(request: HttpRequest, refusal: Refusal, form: Any = None) -> None:
    """The one way a view shows a refusal of a service: as errors of `form` (next to the field
    the refusal names when the form has it, else at the top of the form), or, without a form,
    as error messages of the next page."""
    if form is not None:
        field = refusal.field if refusal.field in form.fields else None
        for message in refusal.messages:
            form.add_error(field, message)
        return
    for message in refusal.messages:
        messages.error(request, message)


@signed_in_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    if not document_readable_by(request.user, document):
        # 404, not 403: who may not read a document does not learn that it exists.
        raise Http404("Document introuvable.")
    return cast(HttpResponse, document_response(document))  # streamed; the guards' type is narrower


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a French page in the site's layout instead of Django's English one
    (usually a form left open too long, or cookies refused)."""
    template = loader.get_template("403_csrf.html")
    return HttpResponseForbidden(template.render({"reason": reason}, request))


def next_url(request: HttpRequest, default: str) -> str:
    """Where a form sends back to: its `next` field when it is a page of this site, else
    `default` (a URL name or path). An address on another site is never followed (open
    redirect)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language switch of every page: kept on the person's account when signed in, in a
    cookie otherwise; back to the page it was used on."""
    from django.conf import settings

    from placette.lib.i18n import language_codes

    language = request.POST.get("language", "")
    if language not in language_codes():
        return HttpResponseBadRequest(
            _("Langue inconnue : %(language)s. Choisissez parmi : %(choices)s.")
            % {
                "language": language[:20],
                "choices": ", ".join(name for _code, name in settings.LANGUAGES),
            },
            content_type="text/plain; charset=utf-8",
        )
    user = request.user
    if user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    response = redirect(next_url(request, "/"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response

"""The development mailbox pages (/dev/courriels/, DEBUG only; see lib/devmail.py)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from placette.lib import devmail
from placette.lib.permissions import debug_only


@debug_only
@require_GET
def mailbox(request: HttpRequest) -> HttpResponse:
    context = {"mails": devmail.mailbox_list(), "folder": devmail.mailbox_dir()}
    return render(request, "lib/devmail/list.html", context)


@debug_only
@require_GET
def mail_detail(request: HttpRequest, name: str) -> HttpResponse:
    mail = devmail.mailbox_get(name)
    if mail is None:
        raise Http404
    return render(request, "lib/devmail/detail.html", {"mail": mail})


@debug_only
@require_GET
@xframe_options_sameorigin
def mail_html(request: HttpRequest, name: str) -> HttpResponse:
    """The HTML part, framed by the detail page and sandboxed (no script, no request out)."""
    mail = devmail.mailbox_get(name)
    if mail is None or not mail.html:
        raise Http404
    response = HttpResponse(mail.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    )
    return response


@debug_only
@require_GET
def mail_attachment(request: HttpRequest, name: str, index: int) -> HttpResponse:
    found = devmail.mailbox_attachment(name, index)
    if found is None:
        raise Http404
    filename, content_type, content = found
    response = HttpResponse(content, content_type=content_type)
    # Always downloaded, never shown inline: an attached HTML or SVG runs nothing here.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@debug_only
@require_POST
def mailbox_clear(request: HttpRequest) -> HttpResponse:
    removed = devmail.mailbox_clear()
    messages.success(
        request, _("%(n)d courriel(s) supprimé(s) de la boîte de développement.") % {"n": removed}
    )
    return redirect("devmail:list")

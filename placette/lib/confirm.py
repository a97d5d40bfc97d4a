"""Confirmations: a mass or irreversible action says what will happen, and to how many, first.

The one way, in a view::

    response = confirm(request, Confirmation(title=…, what=…, count=…, button=…, cancel_url=…))
    if response is not None:
        return response  # the confirmation page (GET, or POST without confirm=1)
    …do it…               # POST with confirm=1

The page (`lib/confirm.html`, built on `includes/confirm.html`) repeats the POSTed fields, so
the button that used to act directly still works: its POST now lands on the confirmation,
whose own button posts the same fields with ``confirm=1``. Plain HTML forms, no JavaScript.
For mass emails, `preview` renders the email for one recipient and `test_send` sends that
email to the signed-in person (``test_send=1``), before anyone else receives it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Fields the confirmation page never repeats (its own, and Django's).
_OWN_FIELDS = {"confirm", "test_send", "csrfmiddlewaretoken"}


@dataclass
class MailPreview:
    """One recipient's email as it will leave."""

    recipient: str
    subject: str
    text: str
    html: str = ""


@dataclass
class Confirmation:
    title: str  # « Convoquer l’assemblée générale »
    what: str  # a sentence saying what will happen
    button: str  # « Convoquer 783 sociétaires »
    cancel_url: str
    count: int | None = None  # how many people or records are concerned
    count_label: str = ""  # « sociétaires convoqués »
    details: Sequence[str] = ()  # one line each (« 412 par e-mail », …)
    irreversible: bool = True
    danger: bool = False  # a red button (refusals, removals)
    blocked: str = ""  # why it cannot be done now (no button then)
    preview: Callable[[], MailPreview | None] | None = None
    test_send: Callable[[str], None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # more context for the template


def confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "1"


def confirm(
    request: HttpRequest, confirmation: Confirmation, *, template: str = "lib/confirm.html"
) -> HttpResponse | None:
    """None when the action is confirmed (POST with confirm=1 and nothing blocks it); else the
    confirmation page, after sending the test email when asked."""
    if confirmed(request) and not confirmation.blocked:
        return None
    if (
        request.method == "POST"
        and request.POST.get("test_send") == "1"
        and confirmation.test_send is not None
    ):
        address = getattr(request.user, "email", "")
        if address:
            confirmation.test_send(address)
            messages.success(
                request,
                _("E-mail d’essai envoyé à %(address)s : vérifiez-le avant l’envoi à tous.")
                % {"address": address},
            )
        else:
            messages.error(request, _("Votre compte n’a pas d’adresse e-mail pour l’essai."))
    carried = [
        (name, value)
        for name in (request.POST if request.method == "POST" else {})
        if name not in _OWN_FIELDS
        for value in request.POST.getlist(name)
    ]
    preview = confirmation.preview() if confirmation.preview else None
    context = {
        "c": confirmation,
        "carried": carried,
        "preview": preview,
        # (a template would call the function itself if given `c.test_send`)
        "can_test_send": confirmation.test_send is not None and not confirmation.blocked,
        **confirmation.extra,
    }
    return render(request, template, context)

"""The endpoints every list page shares: export, bulk actions, saved views."""

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from placette.lib import listing
from placette.lib.confirm import Confirmation, confirm
from placette.lib.forms import SavedViewForm
from placette.lib.models import SavedView
from placette.lib.permissions import staff_required


def _back(page: listing.ListPage, query: str) -> str:
    url = reverse(page.url_name)
    return f"{url}?{query}" if query else url


@staff_required
@require_http_methods(["GET", "POST"])  # POST: a confirmed large export (a background job)
def list_export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    page = listing.page_get(key)
    page.check(request)
    return cast(HttpResponse, page.export(request, fmt))  # streamed; the guards' type is narrower


@staff_required
@require_POST
def list_action(request: HttpRequest, key: str) -> HttpResponse:
    page = listing.page_get(key)
    page.check(request)
    query = request.POST.get("query", "")
    back = _back(page, query)
    action = page.actions.get(request.POST.get("action", ""))
    if action is None or not action.allowed(request.user):
        messages.error(request, _("Action inconnue."))
        return redirect(back)
    ids = sorted({int(v) for v in request.POST.getlist("ids") if v.isdigit()})
    queryset = page.queryset(request, QueryDict(query)).filter(pk__in=ids)
    count = queryset.count()
    if not count:
        messages.error(request, _("Cochez au moins une ligne."))
        return redirect(back)
    data: dict = {}
    form = None
    if action.form:
        form = action.form(request.POST, prefix=action.name)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return redirect(back)
        data = form.cleaned_data
    if action.confirm:
        response = confirm(
            request,
            Confirmation(
                title=str(action.label),
                what=_("« %(label)s » : l’action s’applique aux lignes cochées.")
                % {"label": action.label},
                count=count,
                count_label=str(page.plural if count > 1 else page.singular),
                details=[f"{field.label} : {field.value()}" for field in form] if form else [],
                button=ngettext("Confirmer pour %(n)s ligne", "Confirmer pour %(n)s lignes", count)
                % {"n": count},
                cancel_url=back,
                danger="danger" in action.button,
            ),
        )
        if response is not None:
            return response
    outcome = action.run(request, queryset, data)
    return cast(HttpResponse, outcome) if outcome is not None else redirect(back)


@staff_required
@require_POST
def saved_view_create(request: HttpRequest, key: str) -> HttpResponse:
    page = listing.page_get(key)
    page.check(request)
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Donnez un nom à la vue pour l’enregistrer."))
        return redirect(_back(page, request.POST.get("query", "")))
    query = form.cleaned_data["query"]
    view = listing.saved_view_save(
        owner=request.user,
        list_key=key,
        name=form.cleaned_data["name"],
        query=query,
        columns=page.chosen_columns(QueryDict(query)),
        shared=form.cleaned_data["shared"],
    )
    messages.success(request, _("Vue « %(name)s » enregistrée.") % {"name": view.name})
    return redirect(_back(page, view.querystring))


@staff_required
@require_POST
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    # A private view of someone else does not exist for you; a shared one is read-only.
    view = get_object_or_404(
        SavedView.objects.filter(owner_id=request.user.pk) | SavedView.objects.filter(shared=True),
        pk=pk,
    )
    page = listing.page_get(view.list_key)
    page.check(request)
    listing.saved_view_delete(actor=request.user, view=view)
    messages.success(request, _("Vue « %(name)s » supprimée.") % {"name": view.name})
    return redirect(reverse(page.url_name))

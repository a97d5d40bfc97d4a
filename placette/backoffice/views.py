from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from placette.accounts.models import ApiToken
from placette.accounts.services import api_token_create, api_token_revoke
from placette.lib import search as global_search
from placette.lib.dashboard import dashboard_figures, dashboard_todos
from placette.lib.models import AuditEntry
from placette.lib.paging import paginate
from placette.lib.permissions import staff_admin_required, staff_required


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("account_login")
    if request.user.is_team:
        return redirect("backoffice:dashboard")
    return redirect("portal:home")


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {"todos": dashboard_todos(), "figures": dashboard_figures()}
    return render(request, "backoffice/dashboard.html", context)


@staff_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context = {
        "q": query,
        "groups": global_search.search_all(query, global_search.RESULTS),
        "too_short": 0 < len(query) < global_search.MIN_LENGTH,
    }
    return render(request, "backoffice/search.html", context)


@staff_required
@require_GET
def search_suggestions(request: HttpRequest) -> HttpResponse:
    """The top bar's suggestions (htmx): a few hits per kind, and a link to every result."""
    query = request.GET.get("q", "").strip()
    groups = global_search.search_all(query, global_search.SUGGESTIONS)
    return render(request, "backoffice/_search_suggestions.html", {"q": query, "groups": groups})


@staff_admin_required
def audit_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, AuditEntry.objects.select_related("actor"))
    return render(request, "backoffice/audit_list.html", {"page": page})


@staff_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    raw = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        if not name:
            messages.error(request, "Donnez un nom au jeton (ex. « Site web »).")
        else:
            _, raw = api_token_create(actor=request.user, user=request.user, name=name)
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "backoffice/api_tokens.html", {"tokens": tokens, "raw": raw})


@staff_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"Jeton « {token.name} » révoqué.")
    return redirect("backoffice:api_tokens")

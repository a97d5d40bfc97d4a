from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from placette.accounts.forms import UserCreateForm, UserFilterForm, UserUpdateForm
from placette.accounts.models import User
from placette.accounts.services import user_create, user_update
from placette.lib.models import AuditEntry
from placette.lib.paging import paginate, querystring_without_page
from placette.lib.permissions import staff_admin_required
from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show


@staff_admin_required
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    users = User.objects.select_related("contact").order_by("email")
    if form.is_valid():
        if form.cleaned_data["q"]:
            users = users.filter(email__icontains=form.cleaned_data["q"].strip())
        if form.cleaned_data["role"]:
            users = users.filter(role=form.cleaned_data["role"])
    create_form = UserCreateForm(request.POST or None)
    if request.method == "POST" and create_form.is_valid():
        try:
            user = user_create(actor=request.user, **create_form.cleaned_data)
        except Refusal as exc:
            refusal_show(request, exc, create_form)
        else:
            messages.success(request, f"Compte ouvert pour {user.email}.")
            return redirect("accounts:detail", user.pk)
    return render(
        request,
        "accounts/user_list.html",
        {
            "form": form,
            "create_form": create_form,
            "page": paginate(request, users),
            "query": querystring_without_page(request),
        },
    )


@staff_admin_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.select_related("contact"), pk=pk)
    form = UserUpdateForm(request.POST or None, instance=User.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            user_update(
                actor=request.user,
                user=user,
                **{k: form.cleaned_data[k] for k in ("role", "is_board_member", "is_active")},
            )
        except Refusal as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, "Accès enregistrés.")
        return redirect("accounts:detail", pk)
    audit = AuditEntry.objects.for_object(user).select_related("actor")[:20]
    return render(
        request, "accounts/user_detail.html", {"account": user, "form": form, "audit": audit}
    )

from importlib import import_module

from django.apps import apps
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from placette.contacts.models import Contact
from placette.contacts.services import contact_update
from placette.lib.permissions import contact_of_user, signed_in_required
from placette.portal.forms import MyDetailsForm


def _sections(request: HttpRequest) -> list[dict]:
    """Each area may add sections to the member's space through `<app>/portal.py`:
    `sections(request) -> list[dict(title=…, template=…, context={…})]`."""
    found: list[dict] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("placette.") or config.label == "portal":
            continue
        try:
            module = import_module(f"{config.name}.portal")
        except ModuleNotFoundError:
            continue
        found.extend(module.sections(request))
    return found


@signed_in_required
def home(request: HttpRequest) -> HttpResponse:
    contact = request.user.contact
    return render(request, "portal/home.html", {"contact": contact, "sections": _sections(request)})


@signed_in_required
def my_details(request: HttpRequest) -> HttpResponse:
    contact = contact_of_user(request)
    form = MyDetailsForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        fresh = Contact.objects.get(pk=contact.pk)
        contact_update(actor=request.user, contact=fresh, data=form.contact_data())
        messages.success(request, "Vos coordonnées sont enregistrées.")
        return redirect("portal:home")
    return render(request, "portal/my_details.html", {"form": form})

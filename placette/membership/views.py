from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from placette.contacts.models import Contact
from placette.lib.permissions import staff_required


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "membership/home.html", {})


@staff_required
def holder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk)
    return render(request, "membership/holder_detail.html", {"contact": contact})

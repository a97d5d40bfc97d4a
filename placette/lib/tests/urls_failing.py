"""The site's URLs plus one view that fails, to see the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from placette.urls import urlpatterns as site_urlpatterns


def failing(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [path("panne/", failing), *site_urlpatterns]

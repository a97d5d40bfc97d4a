"""Public pages of the membership area (the online subscription at /souscrire/) and, under
/gestion/societariat/demandes/, the staff queue of subscription requests (staff only)."""

from django.urls import include, path

from placette.membership import requests_urls, views_public

app_name = "membership_public"
urlpatterns = [
    path("souscrire/", views_public.subscribe, name="subscribe"),
    path("souscrire/merci/<str:key>/", views_public.confirmation, name="confirmation"),
    path("souscrire/merci/<str:key>/bulletin.pdf", views_public.bulletin, name="bulletin"),
    path("gestion/societariat/demandes/", include(requests_urls.urlpatterns)),
]

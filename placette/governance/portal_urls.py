from django.urls import include, path

from placette.governance import live_urls
from placette.governance import portal_views as views

app_name = "governance_portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("reunions/<int:pk>/", views.meeting, name="meeting"),
    path("reunions/<int:pk>/resultats/", views.results, name="results"),
    path("reunions/<int:pk>/voter/", views.vote, name="vote"),
    path("reunions/<int:pk>/pouvoir/", views.proxy, name="proxy"),
    path("reunions/<int:pk>/pouvoir/retirer/", views.proxy_withdraw, name="proxy_withdraw"),
    path("reunions/<int:pk>/questionnaire/", views.evaluation, name="evaluation"),
    path("", include(live_urls.portal_urlpatterns)),
    path("reunions/<int:pk>/documents/<int:doc>/", views.document, name="document"),
    path("resolutions/<int:pk>/empreintes/", views.fingerprints, name="fingerprints"),
]

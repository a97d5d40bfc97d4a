"""URLs of the meeting in session (issue 11): `staff_urlpatterns` are included by `urls.py`
(/gestion/gouvernance/), `portal_urlpatterns` by `portal_urls.py` (/espace/gouvernance/)."""

from django.urls import path

from placette.governance import live_views as views

staff_urlpatterns = [
    path("reunions/<int:pk>/accueil/", views.desk, name="live_desk"),
    path("accueil/<str:token>/", views.checkin_code, name="live_checkin_code"),
    path("reunions/<int:pk>/direct/", views.console, name="live_console"),
    path("reunions/<int:pk>/direct/ouvrir/", views.vote_open, name="live_open"),
    path("reunions/<int:pk>/direct/clore/", views.vote_close, name="live_close"),
    path("reunions/<int:pk>/direct/afficher/", views.show, name="live_show"),
    path("reunions/<int:pk>/direct/amendements/", views.amendment_add, name="live_amendment_add"),
    path("reunions/<int:pk>/projection/", views.projector, name="live_projector"),
    path("reunions/<int:pk>/projection/etat/", views.state, name="live_state"),
]

portal_urlpatterns = [
    path("reunions/<int:pk>/inscription/", views.registration, name="live_registration"),
    path("reunions/<int:pk>/code-accueil.svg", views.my_code, name="live_my_code"),
    path("reunions/<int:pk>/seance/", views.session, name="live_session"),
    path("reunions/<int:pk>/seance/etat/", views.session_state, name="live_session_state"),
    path("reunions/<int:pk>/seance/voter/", views.session_vote, name="live_vote"),
    path("reunions/<int:pk>/seance/rejoindre/", views.session_join, name="live_join"),
]

from django.urls import path

from placette.portal import board

app_name = "board"
urlpatterns = [
    path("", board.home, name="home"),
    path("reunions/<int:pk>/", board.meeting, name="meeting"),
    path("decisions/", board.decisions, name="decisions"),
    path("registre/", board.share_register, name="register"),
]

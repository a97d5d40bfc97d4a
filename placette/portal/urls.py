from django.urls import path

from placette.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("coordonnees/", views.my_details, name="details"),
]

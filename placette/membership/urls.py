from django.urls import path

from placette.membership import views

app_name = "membership"
urlpatterns = [
    path("", views.home, name="home"),
    path("titulaires/<int:pk>/", views.holder_detail, name="holder"),
]

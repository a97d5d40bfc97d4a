from django.urls import path

from placette.mailing import views_privacy

app_name = "mailing_portal"
urlpatterns = [
    path("mes-donnees/", views_privacy.my_data, name="my_data"),
]

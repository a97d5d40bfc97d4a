from django.urls import path

from placette.contacts import views_portal as views

app_name = "contacts_portal"
urlpatterns = [
    path("", views.consents, name="consents"),
]

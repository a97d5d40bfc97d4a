from django.urls import path

from placette.community import public_views

app_name = "community_public"
urlpatterns = [
    path("calendrier.ics", public_views.calendar, name="calendar"),
]

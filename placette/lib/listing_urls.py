from django.urls import path

from placette.lib import listing_views as views

app_name = "lists"
urlpatterns = [
    path("<slug:key>/export.<str:fmt>", views.list_export, name="export"),
    path("<slug:key>/actions/", views.list_action, name="action"),
    path("<slug:key>/vues/", views.saved_view_create, name="view_create"),
    path("vues/<int:pk>/supprimer/", views.saved_view_delete, name="view_delete"),
]

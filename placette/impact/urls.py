from django.urls import path

from placette.impact import views

app_name = "impact"
urlpatterns = [
    path("", views.framework_list, name="frameworks"),
    path("referentiels/importer/", views.framework_import, name="framework_import"),
    path("referentiels/<int:pk>/", views.framework_detail, name="framework"),
    path("referentiels/<int:pk>/dimension/", views.dimension_add, name="dimension_add"),
    path("referentiels/<int:pk>/indicateur/", views.indicator_add, name="indicator_add"),
    path(
        "referentiels/<int:pk>/export.<str:fmt>",
        views.framework_export,
        name="framework_export",
    ),
]

from django.urls import path

from placette.contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list, name="list"),
    path("nouveau/", views.contact_create_view, name="create"),
    path("export.<str:fmt>", views.contact_export, name="export"),
    path("doublons/", views.duplicate_list, name="duplicates"),
    path("import/", views.contact_import, name="import"),
    path("communes/", views.commune_options, name="communes"),
    path("choisir/", views.contact_picker, name="picker"),
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("<int:pk>/modifier/", views.contact_edit, name="edit"),
    path("<int:pk>/rattacher/", views.affiliation_create, name="affiliate"),
    path("<int:pk>/consentements/", views.contact_consents, name="consents"),
    path("<int:pk>/consentements.csv", views.contact_consents_export, name="consents_export"),
    path("fusion/<int:keep>/<int:absorb>/", views.contact_merge_view, name="merge"),
]

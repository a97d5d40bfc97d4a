from django.urls import path

from placette.places import views

app_name = "places"
urlpatterns = [
    path("", views.place_list, name="list"),
    path("nouveau/", views.place_create, name="create"),
    path("chiffres/", views.figures_view, name="figures"),
    path("chiffres/export.<str:fmt>", views.figures_export, name="figures_export"),
    path("objectif/", views.settings_edit, name="settings"),
    path("impayes/", views.arrears_list, name="arrears"),
    path("indices/", views.index_list, name="indexes"),
    path("indices/import/", views.index_import, name="index_import"),
    path("<int:pk>/", views.place_detail, name="detail"),
    path("<int:pk>/modifier/", views.place_edit, name="edit"),
    path("<int:pk>/etape/", views.place_status, name="status"),
    path("<int:pk>/evenement/", views.place_event, name="event"),
    path("<int:pk>/document/", views.place_document, name="document"),
    path("<int:pk>/operation/", views.operation_edit, name="operation"),
    path("<int:pk>/financement/", views.financing_add, name="financing_add"),
    path("<int:pk>/activite/", views.activity_create, name="activity_create"),
    path("<int:pk>/notation/", views.project_score, name="score"),
    path("<int:pk>/decision/", views.decision_create, name="decision"),
    path("criteres/", views.criteria_list, name="criteria_list"),
    path("criteres/nouvelle/", views.criteria_create, name="criteria_create"),
    path("criteres/<int:pk>/", views.criteria_detail, name="criteria"),
    path("criteres/<int:pk>/publier/", views.criteria_publish, name="criteria_publish"),
    path("financement/<int:pk>/retirer/", views.financing_remove, name="financing_remove"),
    path("activites/<int:pk>/modifier/", views.activity_edit, name="activity_edit"),
    path("activites/<int:pk>/bail/", views.lease_create, name="lease_create"),
    path("baux/<int:pk>/", views.lease_detail, name="lease"),
    path("baux/<int:pk>/reviser/", views.lease_revise, name="lease_revise"),
    path("baux/<int:pk>/echeancier/", views.lease_schedule, name="lease_schedule"),
    path("echeances/<int:pk>/paiement/", views.payment_create, name="payment"),
    path("echeances/<int:pk>/relance/", views.reminder_send, name="reminder"),
]

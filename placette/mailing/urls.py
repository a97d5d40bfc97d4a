from django.urls import path

from placette.mailing import views, views_privacy

app_name = "mailing"
urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("campagnes/nouvelle/", views.campaign_create_view, name="campaign_create"),
    path("campagnes/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campagnes/<int:pk>/modifier/", views.campaign_edit, name="campaign_edit"),
    path("campagnes/<int:pk>/apercu/", views.campaign_preview_view, name="campaign_preview"),
    path("campagnes/<int:pk>/blocs/ajouter/", views.block_add_view, name="block_add"),
    path("campagnes/<int:pk>/blocs/<int:index>/", views.block_edit, name="block_edit"),
    path(
        "campagnes/<int:pk>/blocs/<int:index>/deplacer/", views.block_move_view, name="block_move"
    ),
    path(
        "campagnes/<int:pk>/blocs/<int:index>/supprimer/",
        views.block_delete_view,
        name="block_delete",
    ),
    path("campagnes/<int:pk>/essai/", views.campaign_test_view, name="campaign_test"),
    path("campagnes/<int:pk>/envoyer/", views.campaign_send_view, name="campaign_send"),
    path("campagnes/<int:pk>/programmer/", views.campaign_schedule_view, name="campaign_schedule"),
    path("campagnes/<int:pk>/dupliquer/", views.campaign_duplicate_view, name="campaign_duplicate"),
    path("audience/", views.audience, name="audience"),
    path("segments/", views.segment_list, name="segments"),
    path("segments/nouveau/", views.segment_create, name="segment_create"),
    path("segments/<int:pk>/", views.segment_detail, name="segment"),
    path("opposition/", views.suppression_list, name="suppressions"),
    path("imports/", views.import_view, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("delivrabilite/", views.deliverability, name="deliverability"),
    path("personnes/<int:pk>/", views_privacy.person, name="person"),
    path("personnes/<int:pk>/export/", views_privacy.person_export, name="person_export"),
    path("personnes/<int:pk>/effacer/", views_privacy.person_erase, name="person_erase"),
    path("conservation/", views_privacy.retention, name="retention"),
]

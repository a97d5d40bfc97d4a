from django.urls import path

from placette.impact import views, views_campaigns, views_results

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
    path("campagnes/", views_campaigns.campaign_list, name="campaigns"),
    path("campagnes/<int:pk>/", views_campaigns.campaign_detail, name="campaign"),
    path("campagnes/<int:pk>/lancer/", views_campaigns.campaign_launch, name="campaign_launch"),
    path("campagnes/<int:pk>/relancer/", views_campaigns.campaign_remind, name="campaign_remind"),
    path("campagnes/<int:pk>/clore/", views_campaigns.campaign_close, name="campaign_close"),
    path("resultats/", views_results.results, name="results_latest"),
    path("resultats/<int:year>/", views_results.results, name="results"),
    path("resultats/<int:year>/rapport.pdf", views_results.report_pdf, name="report_pdf"),
    path("liens-habitants/<int:pk>/papier/", views_campaigns.paper_entry, name="paper_entry"),
]

from django.urls import path

from placette.impact import views_campaigns

app_name = "impact_public"
urlpatterns = [
    path("habitants/<str:token>/", views_campaigns.inhabitants, name="inhabitants"),
    path("<str:token>/", views_campaigns.questionnaire, name="questionnaire"),
]

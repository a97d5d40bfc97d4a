from django.urls import path

from placette.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("journal/", views.audit_list, name="audit"),
    path("recherche/", views.search, name="search"),
    path("recherche/suggestions/", views.search_suggestions, name="search_suggestions"),
    path("jetons-api/", views.api_tokens, name="api_tokens"),
    path("jetons-api/<int:pk>/revoquer/", views.api_token_revoke_view, name="api_token_revoke"),
]

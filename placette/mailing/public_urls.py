from django.urls import path

from placette.mailing import views_public as views

app_name = "mailing_public"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:pk>/", views.archive_detail, name="archive_detail"),
    path("inscription/", views.signup, name="signup"),
    path("inscription/confirmer/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("images/<str:key>/", views.image, name="image"),
    path("webhooks/brevo/", views.webhook_brevo, name="webhook_brevo"),
]

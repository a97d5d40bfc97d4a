from django.urls import path

from placette.community import portal_views as views

app_name = "community_portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sessions/<int:pk>/inscription/", views.register, name="register"),
    path("inscriptions/<int:pk>/annuler/", views.cancel, name="cancel"),
    path("inscriptions/<int:pk>/avis/", views.feedback, name="feedback"),
    path("consultations/<int:pk>/", views.consultation, name="consultation"),
    path("propositions/<int:pk>/vote/", views.vote, name="vote"),
]

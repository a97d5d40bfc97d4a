from django.urls import path

from placette.community import views

app_name = "community"
urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("catalogue/", views.events, name="events"),
    path("catalogue/<int:pk>/", views.event, name="event"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/inscrire/", views.registration_add, name="registration_add"),
    path("sessions/<int:pk>/presences/", views.attendance, name="attendance"),
    path("sessions/<int:pk>/inviter/", views.invitations, name="invitations"),
    path("sessions/<int:pk>/rappeler/", views.reminders, name="reminders"),
    path("sessions/<int:pk>/annuler/", views.session_cancel, name="session_cancel"),
    path("inscriptions/<int:pk>/annuler/", views.registration_cancel, name="registration_cancel"),
    path("engagement/", views.engagement, name="engagement"),
    path("engagement/niveaux/<int:pk>/fin/", views.level_end, name="level_end"),
    path("engagement/sans-interaction/", views.dormant, name="dormant"),
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/<int:pk>/", views.consultation, name="consultation"),
    path(
        "consultations/<int:pk>/vote/", views.consultation_open_vote, name="consultation_open_vote"
    ),
    path("consultations/<int:pk>/cloturer/", views.consultation_close, name="consultation_close"),
]

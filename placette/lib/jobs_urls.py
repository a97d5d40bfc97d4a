from django.urls import path

from placette.lib import views_jobs as views

app_name = "jobs"
urlpatterns = [
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/fichier/", views.job_download, name="download"),
    path("<int:pk>/relancer/", views.job_retry_view, name="retry"),
]

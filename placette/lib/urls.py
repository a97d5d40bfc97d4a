from django.urls import path

from placette.lib import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/", views.document_download, name="download"),
]

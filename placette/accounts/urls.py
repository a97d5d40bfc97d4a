from django.urls import path

from placette.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="list"),
    path("<int:pk>/", views.user_detail, name="detail"),
]

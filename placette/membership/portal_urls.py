from django.urls import path

from placette.membership import views_portal as views

app_name = "membership_portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("souscrire/", views.subscribe_more, name="subscribe_more"),
    path("remboursement/", views.refund, name="refund"),
]

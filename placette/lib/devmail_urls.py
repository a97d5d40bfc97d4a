from django.urls import path

from placette.lib import views_devmail as views

app_name = "devmail"

urlpatterns = [
    path("", views.mailbox, name="list"),
    path("vider/", views.mailbox_clear, name="clear"),
    path("<str:name>/", views.mail_detail, name="detail"),
    path("<str:name>/html/", views.mail_html, name="html"),
    path("<str:name>/pieces/<int:index>/", views.mail_attachment, name="attachment"),
]

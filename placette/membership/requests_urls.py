"""Staff pages of the subscription journey, mounted by `public_urls` under
/gestion/societariat/demandes/ (names in the `membership_public` namespace)."""

from django.urls import path

from placette.membership import views_requests as views

urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("lot/", views.request_batch, name="request_batch"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/paiement/", views.request_pay, name="request_pay"),
    path("<int:pk>/approbation/", views.request_approve, name="request_approve"),
    path("<int:pk>/refus/", views.request_refuse, name="request_refuse"),
    path("releve-bancaire/", views.bank_import, name="bank_import"),
    path("releve-bancaire/<int:pk>/", views.bank_preview, name="bank_preview"),
    path("parametres/", views.settings_edit, name="settings"),
    path("etats-ir-pme/", views.tax_batch, name="tax"),
    path("etats-ir-pme/<int:year>/parametres/", views.tax_year_edit, name="tax_year"),
    path("papier/", views.request_paper, name="request_paper"),
]

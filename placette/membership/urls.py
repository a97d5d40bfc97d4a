from django.urls import path

from placette.membership import views

app_name = "membership"
urlpatterns = [
    path("", views.home, name="home"),
    path("registre/", views.movement_list, name="movements"),
    path("registre/export.<str:fmt>", views.register_export, name="register_export"),
    path("registre/arretes/", views.snapshot_list, name="snapshots"),
    path("registre/import/", views.register_import_view, name="import"),
    path("mouvements/<int:number>/", views.movement_detail, name="movement"),
    path("mouvements/<int:number>/decision/", views.refund_decide, name="refund_decide"),
    path("societaires/", views.member_list, name="members"),
    path("titulaires/<int:pk>/", views.holder_detail, name="holder"),
    path("titulaires/<int:pk>/registre.pdf", views.holder_pdf, name="holder_pdf"),
    path("titulaires/<int:pk>/residence-fiscale/", views.tax_residence, name="tax_residence"),
    path("titulaires/<int:pk>/souscription/", views.subscribe, name="subscribe"),
    path("titulaires/<int:pk>/liberation/", views.pay, name="pay"),
    path("titulaires/<int:pk>/cession/", views.transfer, name="transfer"),
    path("titulaires/<int:pk>/categorie/", views.category_change, name="category_change"),
    path("titulaires/<int:pk>/remboursement/", views.refund_request, name="refund_request"),
    path("remboursements/", views.refund_pipeline, name="refunds"),
    path("remboursements/paiement/", views.refund_pay, name="refund_pay"),
    path(
        "remboursements/approbation-des-comptes/", views.accounts_approval, name="accounts_approval"
    ),
    path("statuts/", views.statutes_page, name="statutes"),
    path("statuts/modifier/", views.statutes_edit, name="statutes_edit"),
    path("statuts/categories/", views.category_create, name="category_create"),
    path("statuts/colleges/", views.college_create, name="college_create"),
    path("comptabilite/fec/", views.fec_export, name="fec"),
    path("instruments/", views.instrument_list, name="instruments"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument"),
    path(
        "instruments/releve/<int:pk>/<int:year>/",
        views.instrument_statement,
        name="instrument_statement",
    ),
]

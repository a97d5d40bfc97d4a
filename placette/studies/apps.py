from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudiesConfig(AppConfig):
    name = "placette.studies"
    label = "studies"
    verbose_name = _("Études")
    # Read by the back-office navigation (placette.backoffice.context_processors).
    nav_label = _("Études")
    nav_url = "studies:requests"
    nav_order = 60
    tabs = {
        "": [
            (_("Demandes"), "studies:requests"),
            (_("Devis"), "studies:quotes"),
            (_("Missions"), "studies:missions"),
            (_("Factures"), "studies:invoices"),
            (_("Missions types"), "studies:templates"),
            (_("Tableau de bord"), "studies:dashboard"),
        ],
    }

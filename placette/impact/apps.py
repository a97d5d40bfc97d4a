from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "placette.impact"
    label = "impact"
    verbose_name = _("Utilité sociale")
    # Read by the back-office navigation (placette.backoffice.context_processors).
    nav_label = _("Utilité sociale")
    nav_url = "impact:frameworks"
    nav_order = 50
    tabs = {
        "": [
            (_("Référentiels"), "impact:frameworks"),
            (_("Campagnes"), "impact:campaigns"),
            (_("Résultats"), "impact:results_latest"),
        ],
    }

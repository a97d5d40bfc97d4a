from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "placette.community"
    label = "community"
    verbose_name = _("Vie coopérative")
    # Read by the back-office navigation (placette.backoffice.context_processors).
    nav_label = _("Vie coopérative")
    nav_url = "community:sessions"
    nav_order = 70
    tabs = {
        "": [
            (_("Sessions"), "community:sessions"),
            (_("Catalogue"), "community:events"),
            (_("Engagement"), "community:engagement"),
            (_("Sans interaction"), "community:dormant"),
            (_("Consultations"), "community:consultations"),
        ],
    }

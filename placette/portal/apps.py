from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "placette.portal"
    label = "portal"
    verbose_name = "Espace sociétaire"
    # The board's space tabs (`{% tabs "portal.board" %}`, placette.lib.templatetags.navigation).
    tabs = {
        "board": [
            (_("Conseil"), "board:home"),
            (_("Registre des décisions"), "board:decisions"),
            (_("Registre des parts"), "board:register"),
        ],
    }

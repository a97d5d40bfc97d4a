from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "placette.portal"
    label = "portal"
    verbose_name = "Espace sociétaire"

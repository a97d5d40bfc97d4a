from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "placette.backoffice"
    label = "backoffice"
    verbose_name = "Gestion"

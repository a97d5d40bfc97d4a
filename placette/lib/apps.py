from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "placette.lib"
    label = "lib"
    verbose_name = "Outils communs"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "placette.api"
    label = "api"
    verbose_name = "API"

from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "placette.places"
    label = "places"
    verbose_name = "Lieux"

from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "placette.places"
    label = "places"
    verbose_name = "Lieux"
    # Read by the back-office navigation (placette.backoffice.context_processors).
    nav_label = "Lieux"
    nav_url = "places:list"
    nav_order = 40

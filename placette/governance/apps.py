from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "placette.governance"
    label = "governance"
    verbose_name = "Gouvernance"
    # Read by the back-office navigation (placette.backoffice.context_processors).
    nav_label = "Gouvernance"
    nav_url = "governance:meetings"
    nav_order = 30

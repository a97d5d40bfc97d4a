from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "placette.governance"
    label = "governance"
    verbose_name = "Gouvernance"

from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "placette.membership"
    label = "membership"
    verbose_name = "Sociétariat"

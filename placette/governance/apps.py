from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "placette.governance"
    label = "governance"
    verbose_name = "Gouvernance"
    # Read by the back-office navigation (placette.backoffice.context_processors).
    nav_label = "Gouvernance"
    nav_url = "governance:meetings"
    nav_order = 30
    # Rows its migrations create (placette.lib.backup replaces them by the archive's own).
    migration_seeded_models = ("Body",)
    # The area's tabs (`{% tabs "governance" %}`, placette.lib.templatetags.navigation).
    tabs = {
        "": [
            (_("Réunions"), "governance:meetings"),
            (_("Registre des décisions"), "governance:decisions"),
            (_("Instances et mandats"), "governance:bodies"),
            (_("Évaluation"), "governance:evaluation"),
        ],
        # The steps of one meeting: `{% tabs "governance.meeting" meeting.pk %}`.
        "meeting": [
            (_("Préparation"), "governance:meeting"),
            (_("Liste des votants"), "governance:roll"),
            (_("Convocation"), "governance:convocation"),
            (_("Pouvoirs et formulaires papier"), "governance:paper"),
            (_("Séance et quorum"), "governance:attendance"),
            (_("Accueil"), "governance:live_desk"),
            (_("En direct"), "governance:live_console"),
            (_("Résultats"), "governance:results"),
            (_("Procès-verbal"), "governance:minutes"),
        ],
    }

    def ready(self) -> None:
        # Membership pays refunds after the AGO that approved the accounts: it reads the
        # meetings through this provider (membership never imports governance).
        from placette.governance.accounts import meetings_register

        meetings_register()

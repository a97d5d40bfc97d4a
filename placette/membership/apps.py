from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "placette.membership"
    label = "membership"
    verbose_name = "Sociétariat"
    # Read by the back-office navigation (placette.backoffice.context_processors).
    nav_label = "Sociétariat"
    nav_url = "membership:home"
    nav_order = 20
    # The area's tabs (`{% tabs "membership" %}`, placette.lib.templatetags.navigation).
    tabs = {
        "": [
            (_("Tableau de bord"), "membership:home"),
            (_("Sociétaires"), "membership:members"),
            (_("Registre"), "membership:movements"),
            (_("Demandes de souscription"), "membership_public:request_list"),
            (_("Remboursements"), "membership:refunds"),
            (_("Statuts"), "membership:statutes"),
            (_("Autres titres"), "membership:instruments"),
            (_("Comptabilité"), "membership:fec"),
            (_("Registres arrêtés"), "membership:snapshots"),
        ],
        "requests": [
            (_("Demandes de souscription"), "membership_public:request_list"),
            (_("Saisir un bulletin papier"), "membership_public:request_paper"),
            (_("Importer un relevé bancaire"), "membership_public:bank_import"),
            (_("États IR-PME"), "membership_public:tax"),
            (_("Paramètres de souscription"), "membership_public:settings"),
        ],
    }

    def ready(self) -> None:
        from placette.membership import guard

        # The SQLite triggers of the append-only ledger call a function registered here.
        connection_created.connect(guard.on_connection_created, dispatch_uid="membership-guard")
        from django.db import connections

        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                guard.on_connection_created(None, connection)

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class MembershipConfig(AppConfig):
    name = "placette.membership"
    label = "membership"
    verbose_name = "Sociétariat"
    # Read by the back-office navigation (placette.backoffice.context_processors).
    nav_label = "Sociétariat"
    nav_url = "membership:home"
    nav_order = 20

    def ready(self) -> None:
        from placette.membership import guard

        # The SQLite triggers of the append-only ledger call a function registered here.
        connection_created.connect(guard.on_connection_created, dispatch_uid="membership-guard")
        from django.db import connections

        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                guard.on_connection_created(None, connection)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    name = "placette.mailing"
    label = "mailing"
    verbose_name = "Communication"
    # Read by the back-office navigation (placette.backoffice.context_processors).
    nav_label = _("Communication")
    nav_url = "mailing:campaigns"
    nav_order = 80
    tabs = {
        "": [
            (_("Campagnes"), "mailing:campaigns"),
            (_("Segments"), "mailing:segments"),
            (_("Liste d’opposition"), "mailing:suppressions"),
            (_("Imports"), "mailing:imports"),
            (_("Délivrabilité"), "mailing:deliverability"),
        ],
    }

    def ready(self) -> None:
        # anymail tells its tracking events by a signal (its API); the receiver calls a service.
        from anymail.signals import tracking

        from placette.mailing.events import tracking_received

        tracking.connect(tracking_received, dispatch_uid="placette.mailing.tracking")

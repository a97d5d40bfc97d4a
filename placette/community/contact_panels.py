"""The community facts of a contact on its page (placette.lib.panels): its registrations."""

from django.utils.translation import gettext as _

from placette.community import queries
from placette.contacts.models import Contact
from placette.lib.panels import Panel


def panels(contact: Contact) -> list[Panel]:
    registrations = list(queries.registrations_of(contact)[:10])
    if not registrations:
        return []
    return [
        Panel(
            _("Événements et formations"),
            "community/contact_panel.html",
            {"registrations": registrations, "contact": contact},
        )
    ]

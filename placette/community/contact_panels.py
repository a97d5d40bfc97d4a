"""The community facts of a contact on its page (placette.lib.panels): its engagement level
today with the reason in words, and its registrations. Three queries."""

from django.utils.translation import gettext as _

from placette.community import queries
from placette.community.engagement import level_of
from placette.contacts.models import Contact
from placette.lib.panels import Panel


def panels(contact: Contact) -> list[Panel]:
    registrations = list(queries.registrations_of(contact)[:10])
    level = level_of(contact)
    if not registrations and level is None:
        return []
    return [
        Panel(
            _("Engagement, événements et formations"),
            "community/contact_panel.html",
            {"registrations": registrations, "contact": contact, "level": level},
        )
    ]

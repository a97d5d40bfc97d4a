"""A contact's standing for newsletters on its page: suppression and last campaigns received."""

from django.utils.translation import gettext as _

from placette.contacts.models import Contact
from placette.lib.panels import Panel
from placette.mailing.models import Delivery
from placette.mailing.suppression import suppression_of

SHOWN = 5


def panels(contact: Contact) -> list[Panel]:
    suppression = suppression_of(contact.email) if contact.email else None
    deliveries = list(
        Delivery.objects.filter(contact=contact).select_related("campaign").order_by("-pk")[:SHOWN]
    )
    if suppression is None and not deliveries:
        return []
    return [
        Panel(
            _("Lettres"),
            "mailing/contact_panel.html",
            {"suppression": suppression, "deliveries": deliveries, "contact": contact},
        )
    ]

"""The contact's mandates on its page (placette.lib.panels): bodies, roles, colleges, dates."""

from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import Contact
from placette.governance.models import Mandate
from placette.lib.panels import Panel

SHOWN = 10


def panels(contact: Contact) -> list[Panel]:
    mandates = list(
        Mandate.objects.filter(contact=contact)
        .select_related("body", "college")
        .order_by("-starts_on", "-id")[:SHOWN]
    )
    if not mandates:
        return []
    today = timezone.localdate()
    rows = [(mandate, mandate.is_active_on(today)) for mandate in mandates]
    return [Panel(_("Mandats"), "governance/contact_panel.html", {"rows": rows})]

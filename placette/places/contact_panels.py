"""The activities a contact runs or is the referent of, on its page (placette.lib.panels)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import Contact
from placette.lib.panels import Panel
from placette.places.models import Activity


def panels(contact: Contact) -> list[Panel]:
    activities = list(
        Activity.objects.filter(Q(tenant=contact) | Q(contact_person=contact))
        .select_related("place")
        .order_by("-opened_on", "id")[:10]
    )
    if not activities:
        return []
    today = timezone.localdate()
    rows = [(activity, activity.is_open_on(today)) for activity in activities]
    return [Panel(_("Lieux et activités"), "places/contact_panel.html", {"rows": rows})]

"""The study requests and missions of a contact (a local authority, a project holder), on its
page (placette.lib.panels). Two queries."""

from django.utils.translation import gettext as _

from placette.contacts.models import Contact
from placette.lib.panels import Panel
from placette.studies.models import Mission, StudyRequest


def panels(contact: Contact) -> list[Panel]:
    requests = list(
        StudyRequest.objects.filter(contact=contact).order_by("-received_on", "-id")[:10]
    )
    missions = list(Mission.objects.filter(client=contact).order_by("-year", "-seq")[:10])
    if not requests and not missions:
        return []
    return [
        Panel(
            _("Études et accompagnements"),
            "studies/contact_panel.html",
            {"requests": requests, "missions": missions, "contact": contact},
        )
    ]

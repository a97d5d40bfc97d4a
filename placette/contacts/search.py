"""Contacts in the global search (placette.lib.search): by name, email, commune or
organisation — every word must match, as in the contacts list."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from placette.contacts.models import Contact
from placette.lib.search import SearchGroup, SearchHit, group_of


def search(query: str, limit: int) -> list[SearchGroup]:
    rows = list(
        Contact.objects.search(query)
        .order_by("name_key", "id")
        .only("pk", "display_name", "email", "postcode", "commune_name")[: limit + 1]
    )

    def hit(contact: Contact) -> SearchHit:
        place = " ".join(p for p in (contact.postcode, contact.commune_name) if p)
        detail = " · ".join(p for p in (contact.email, place) if p)
        return SearchHit(contact.display_name, contact.get_absolute_url(), detail)

    more = f"{reverse('contacts:list')}?{urlencode({'q': query})}"
    return [group_of(_("Contacts"), rows, limit, hit, more)]

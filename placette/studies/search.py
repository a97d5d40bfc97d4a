"""Studies in the global search (placette.lib.search): requests by title, requester or
territory; quotes, missions and invoices by number."""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from placette.lib.search import SearchGroup, SearchHit, group_of
from placette.studies.models import Invoice, StudyRequest


def search(query: str, limit: int) -> list[SearchGroup]:
    requests = StudyRequest.objects.select_related("contact")
    for word in query.split():
        requests = requests.filter(
            Q(title__icontains=word)
            | Q(contact__display_name__icontains=word)
            | Q(territory__icontains=word)
        )
    rows = list(requests.order_by("-received_on", "-id")[: limit + 1])
    invoices = list(
        Invoice.objects.filter(number__icontains=query.strip()).order_by("-issued_on", "-id")[
            : limit + 1
        ]
    )
    return [
        group_of(
            _("Demandes d’études"),
            rows,
            limit,
            lambda r: SearchHit(
                r.title, r.get_absolute_url(), f"{r.contact} — {r.get_status_display()}"
            ),
            f"{reverse('studies:requests')}?{urlencode({'q': query})}",
        ),
        group_of(
            _("Factures d’études"),
            invoices,
            limit,
            lambda i: SearchHit(i.number, i.get_absolute_url(), f"{i.buyer_name} — {i.label}"),
            f"{reverse('studies:invoices')}?{urlencode({'q': query})}",
        ),
    ]

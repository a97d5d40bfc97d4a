"""Places in the global search (placette.lib.search): by name or commune, every word matching,
as in the places list."""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from placette.lib.search import SearchGroup, SearchHit, group_of
from placette.places.models import Place


def search(query: str, limit: int) -> list[SearchGroup]:
    places = Place.objects.all()
    for word in query.split():
        places = places.filter(Q(name__icontains=word) | Q(commune_name__icontains=word))
    rows = list(places.order_by("name", "id")[: limit + 1])

    def hit(place: Place) -> SearchHit:
        return SearchHit(
            place.name,
            place.get_absolute_url(),
            f"{place.commune_name} ({place.department_code}) — {place.get_status_display()}",
        )

    more = f"{reverse('places:list')}?{urlencode({'q': query})}"
    return [group_of(_("Lieux"), rows, limit, hit, more)]

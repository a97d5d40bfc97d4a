from django.db.models import Count, Q
from django.urls import reverse

from placette.contacts.models import LOCAL_AUTHORITY_KINDS, Contact
from placette.lib.dashboard import Figure
from placette.lib.money import group_digits


def figures() -> list[Figure]:
    counts = Contact.objects.aggregate(
        total=Count("id"),
        people=Count("id", filter=Q(kind="person")),
        organisations=Count("id", filter=Q(kind="organisation")),
        authorities=Count("id", filter=Q(org_kind__in=LOCAL_AUTHORITY_KINDS)),
    )
    url = reverse("contacts:list")
    return [
        Figure(
            "Contacts",
            group_digits(counts["total"]),
            f"{counts['people']} personnes, {counts['organisations']} organisations",
            url,
            "Contacts",
        ),
        Figure(
            "Collectivités",
            group_digits(counts["authorities"]),
            "communes, EPCI, départements, régions",
            f"{url}?org_kind=commune",
            "Contacts",
        ),
    ]

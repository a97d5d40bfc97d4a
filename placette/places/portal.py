"""The activity holder's space: their place, lease and rent schedule (cards in /espace/)."""

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from placette.lib.sums import decimal_sum
from placette.places.models import Activity, RentLine


def sections(request: HttpRequest) -> list[dict]:
    user = request.user
    contact = getattr(user, "contact", None)
    if not getattr(user, "is_activity_holder", False) or contact is None:
        return []
    today = timezone.localdate()
    # The tenant is the user's own organisation record, or an organisation the person belongs to.
    activities = (
        Activity.objects.filter(Q(tenant=contact) | Q(tenant__people__person=contact))
        .select_related("place")
        .prefetch_related("leases")
        .distinct()
        .order_by("-opened_on")
    )
    items = []
    for activity in activities[:5]:
        lines = list(RentLine.objects.filter(lease__activity=activity).order_by("-due_on")[:12])
        due = (
            RentLine.objects.filter(lease__activity=activity)
            .unpaid_on(today)
            .aggregate(balance=decimal_sum("balance_at"))
        )
        is_open = activity.opened_on <= today and (
            activity.closed_on is None or activity.closed_on > today
        )
        items.append(
            {
                # The place's photos and documents, for the holder of an activity open today
                # (the rule of placette.places.documents).
                "documents": list(activity.place.documents.select_related("document"))
                if is_open
                else [],
                "activity": activity,
                "leases": list(activity.leases.all()),
                "lines": lines,
                "balance": due["balance"],
            }
        )
    if not items:
        return []
    return [
        {
            "title": "Mon lieu, mon bail et mes loyers",
            "template": "places/portal_section.html",
            "context": {"activities": items, "today": today},
        }
    ]

"""Membership in the global search (placette.lib.search): a member by number (« 123 »,
« n° 123 ») and a subscription request by its transfer reference."""

import re

from django.urls import reverse
from django.utils.translation import gettext as _

from placette.lib.search import SearchGroup, SearchHit, group_of
from placette.membership.models import Member
from placette.membership.models_requests import SubscriptionRequest

NUMBER = re.compile(r"^(?:n°|no|n|#)?\s*(\d{1,9})$", re.IGNORECASE)
# Transfer references are letters and digits (« SOU-2025-0042 »): at least 4 characters typed.
REFERENCE = re.compile(r"^[\w-]{4,20}$")


def search(query: str, limit: int) -> list[SearchGroup]:
    groups = []
    number = NUMBER.match(query)
    if number:
        members = list(
            Member.objects.filter(number=int(number.group(1))).select_related(
                "contact", "category"
            )[: limit + 1]
        )

        def member_hit(member: Member) -> SearchHit:
            detail = member.category.name
            if member.left_on:
                detail += _(" — sorti(e) le %(day)s") % {"day": f"{member.left_on:%d/%m/%Y}"}
            return SearchHit(
                _("n° %(number)d — %(name)s")
                % {"number": member.number, "name": member.contact.display_name},
                member.get_absolute_url(),
                detail,
            )

        groups.append(group_of(_("Sociétaires"), members, limit, member_hit))
    if REFERENCE.match(query) and any(c.isdigit() for c in query):
        requests = list(
            SubscriptionRequest.objects.filter(reference__istartswith=query)
            .select_related("contact")
            .order_by("-created_at", "-id")[: limit + 1]
        )

        def request_hit(row: SubscriptionRequest) -> SearchHit:
            return SearchHit(
                f"{row.reference} — {row.contact.display_name}",
                reverse("membership_public:request_detail", args=[row.pk]),
                row.get_status_display(),
            )

        groups.append(group_of(_("Demandes de souscription"), requests, limit, request_hit))
    return groups

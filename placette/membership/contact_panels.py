"""The contact's membership on its page (placette.lib.panels): member number, category and
college, admission, holding, open subscription requests."""

from django.utils import timezone
from django.utils.translation import gettext as _

from placette.contacts.models import Contact
from placette.lib.panels import Panel
from placette.membership import projections
from placette.membership.models import CategoryRule, Member, Statutes
from placette.membership.models_requests import OPEN_STATUSES, SubscriptionRequest


def panels(contact: Contact) -> list[Panel]:
    today = timezone.localdate()
    member = Member.objects.filter(contact=contact).select_related("category").first()
    holding = projections.holding_of(contact)
    requests = list(
        SubscriptionRequest.objects.filter(contact=contact, status__in=OPEN_STATUSES).order_by(
            "-created_at"
        )[:5]
    )
    if member is None and not holding.shares and not requests:
        return []
    college = None
    if member is not None:
        statutes = Statutes.objects.in_force(today)
        rule = (
            CategoryRule.objects.filter(statutes=statutes, category=member.category_id)
            .select_related("college")
            .first()
            if statutes
            else None
        )
        college = rule.college if rule else None
    context = {
        "contact": contact,
        "member": member,
        "active": member is not None and member.is_active_on(today),
        "college": college,
        "holding": holding,
        "requests": requests,
    }
    return [Panel(_("Sociétariat"), "membership/contact_panel.html", context)]

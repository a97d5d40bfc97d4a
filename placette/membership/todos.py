"""What the membership team has to do, for the staff dashboard (placette.lib.dashboard):
subscriptions waiting for payment or approval, refund requests to decide, refunds to pay
(payable: past the minimum delay and, when the statutes say so, after the recorded AGO of the
year of departure; overdue: past the maximum delay). Six queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from placette.lib.dashboard import Todo, Urgency
from placette.membership import projections
from placette.membership.approvals import add_months
from placette.membership.models import AccountsApproval, Statutes
from placette.membership.models_requests import RequestStatus, SubscriptionRequest

AREA = "Sociétariat"
# A transfer usually arrives within days: a request still unpaid after this is worth a call.
STALE_DAYS = 30


def months_after(day: dt.date, months: int) -> dt.date:
    """Same rule as the refund services: the same day N months later, to the day."""
    return add_months(day, months)


def todos() -> list[Todo]:
    today = timezone.localdate()
    stale = timezone.now() - dt.timedelta(days=STALE_DAYS)
    requests = SubscriptionRequest.objects.aggregate(
        awaiting=Count("id", filter=Q(status=RequestStatus.AWAITING_PAYMENT)),
        awaiting_stale=Count(
            "id", filter=Q(status=RequestStatus.AWAITING_PAYMENT, created_at__lt=stale)
        ),
        partial=Count("id", filter=Q(status=RequestStatus.PARTIALLY_PAID)),
        paid=Count("id", filter=Q(status=RequestStatus.PAID)),
    )
    queue = reverse("membership_public:request_list")
    refunds = reverse("membership:refunds")
    to_decide = projections.pending_requests().count()
    statutes = Statutes.objects.in_force(today)
    min_months = statutes.refund_min_delay_months if statutes else 0
    max_months = statutes.refund_max_delay_months if statutes else 60
    decided_on = list(
        projections.refunds_to_pay().select_related(None).values_list("date", flat=True)
    )
    approved = dict(AccountsApproval.objects.values_list("year", "approved_on"))
    after_ago = bool(statutes and statutes.refund_after_ago)

    def due(day: dt.date) -> bool:
        after_min = months_after(day, min_months) <= today
        return after_min and (not after_ago or approved.get(day.year, dt.date.max) <= today)

    def late(day: dt.date) -> bool:  # past the maximum, whether the AGO was recorded or not
        return months_after(day, min_months) <= today and months_after(day, max_months) < today

    overdue = [day for day in decided_on if late(day)]
    payable = [day for day in decided_on if due(day) or late(day)]
    return [
        Todo(
            ngettext(
                "souscription payée à approuver",
                "souscriptions payées à approuver",
                requests["paid"],
            ),
            requests["paid"],
            f"{queue}?status={RequestStatus.PAID}",
            Urgency.SOON,
            AREA,
            _("le paiement est reçu : approuvez pour inscrire les parts au registre"),
            key="membership.requests_to_approve",
        ),
        Todo(
            ngettext(
                "souscription en attente de paiement",
                "souscriptions en attente de paiement",
                requests["awaiting"],
            ),
            requests["awaiting"],
            f"{queue}?status={RequestStatus.AWAITING_PAYMENT}",
            Urgency.ROUTINE,
            AREA,
            ngettext(
                "dont %(n)d depuis plus de %(days)d jours",
                "dont %(n)d depuis plus de %(days)d jours",
                requests["awaiting_stale"],
            )
            % {"n": requests["awaiting_stale"], "days": STALE_DAYS}
            if requests["awaiting_stale"]
            else "",
            [(_("Importer un relevé bancaire"), reverse("membership_public:bank_import"))],
            key="membership.requests_awaiting_payment",
        ),
        Todo(
            ngettext(
                "souscription partiellement payée",
                "souscriptions partiellement payées",
                requests["partial"],
            ),
            requests["partial"],
            f"{queue}?status={RequestStatus.PARTIALLY_PAID}",
            Urgency.ROUTINE,
            AREA,
            key="membership.requests_partially_paid",
        ),
        Todo(
            ngettext(
                "demande de remboursement à décider",
                "demandes de remboursement à décider",
                to_decide,
            ),
            to_decide,
            refunds,
            Urgency.ROUTINE,
            AREA,
            _("décision du conseil d’administration"),
            key="membership.refunds_to_decide",
        ),
        Todo(
            ngettext(
                "remboursement accordé à payer", "remboursements accordés à payer", len(payable)
            ),
            len(payable),
            refunds,
            Urgency.LATE if overdue else Urgency.SOON,
            AREA,
            ngettext(
                "dont %(n)d au-delà du délai statutaire de %(months)d mois",
                "dont %(n)d au-delà du délai statutaire de %(months)d mois",
                len(overdue),
            )
            % {"n": len(overdue), "months": max_months}
            if overdue
            else (
                _("dans le lot qui suit l’AGO approuvant les comptes")
                if statutes and statutes.refund_after_ago
                else ""
            ),
            key="membership.refunds_to_pay",
        ),
    ]

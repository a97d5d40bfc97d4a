"""The social-utility figure on the staff dashboard: the latest campaign's response rate."""

from fractions import Fraction

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from placette.impact.models import Campaign, Respondent
from placette.lib.dashboard import Figure
from placette.lib.money import ratio_percent

AREA = "Utilité sociale"


def figures() -> list[Figure]:
    campaign = (
        Campaign.objects.order_by("-opens_on", "-pk")
        .annotate(
            expected=Count("invitations", distinct=True),
            submitted=Count(
                "responses",
                filter=Q(
                    responses__respondent=Respondent.ACTIVITY,
                    responses__submitted_at__isnull=False,
                ),
                distinct=True,
            ),
            n_inhabitants=Count(
                "responses", filter=Q(responses__respondent=Respondent.INHABITANTS), distinct=True
            ),
        )
        .first()
    )
    if campaign is None:
        return []
    rate = (
        ratio_percent(Fraction(campaign.submitted, campaign.expected)) if campaign.expected else "—"
    )
    return [
        Figure(
            _("Réponses à « %(c)s »") % {"c": campaign.title},
            rate,
            _("%(s)d questionnaires d’activités sur %(e)d, %(h)d réponses d’habitants")
            % {"s": campaign.submitted, "e": campaign.expected, "h": campaign.n_inhabitants},
            campaign.get_absolute_url(),
            AREA,
        )
    ]

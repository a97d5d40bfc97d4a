"""The studies' headline figures on the staff dashboard (see figures.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.lib.dashboard import Figure
from placette.lib.money import euros, number, percent, ratio_percent
from placette.studies.figures import yearly_board


def figures() -> list[Figure]:
    today = timezone.localdate()
    board = yearly_board(today.year, today=today, with_workload=False)
    url = reverse("studies:dashboard")
    return [
        Figure(
            _("Études signées %(year)d") % {"year": today.year},
            euros(board.signed_net, cents=False),
            _("%(p)s de l’objectif de %(target)s HT")
            % {
                "p": percent(board.signed_percent),
                "target": euros(board.settings.revenue_target, cents=False),
            },
            url,
            AREA,
            extra=[
                (_("Facturé"), euros(board.net_invoiced, cents=False)),
                (
                    _("Jours vendus"),
                    f"{number(board.signed_days, 1)} / {board.settings.days_target}",
                ),
            ],
        ),
        Figure(
            _("Transformation des devis"),
            ratio_percent(board.win_rate) if board.win_rate is not None else "—",
            _("%(won)d acceptés, %(lost)d refusés en %(year)d")
            % {"won": board.won, "lost": board.lost, "year": today.year},
            url,
            AREA,
            extra=[(_("Missions en cours"), str(board.missions_open))],
        ),
    ]


AREA = "Études"

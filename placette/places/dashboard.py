"""The places' headline figures on the staff dashboard (see figures.py)."""

from django.urls import reverse
from django.utils import timezone

from placette.lib.dashboard import Figure
from placette.lib.money import euros, number, percent
from placette.places.figures import headline_figures


def figures() -> list[Figure]:
    f = headline_figures(timezone.localdate())
    url = reverse("places:figures")
    return [
        Figure(
            "Lieux",
            f"{f.places_held} / {f.goal}",
            f"{f.operations} opérations dans {f.departments} départements "
            f"({percent(f.progress_percent)} de l’objectif)",
            url,
            "Lieux",
        ),
        Figure(
            "Surfaces",
            f"{number(f.area_bought)} m²",
            f"dont {number(f.area_renovated)} m² rénovés",
            url,
            "Lieux",
            extra=[("Investi", euros(f.invested))],
        ),
        Figure(
            "Activités ouvertes",
            str(f.activities_open),
            f"{number(f.jobs_fte, 1)} emplois (ETP)",
            reverse("places:list") + "?status=open",
            "Lieux",
        ),
        Figure(
            "Loyers annuels",
            euros(f.rent_roll),
            f"impayés : {euros(f.arrears)} ({f.arrears_lines} échéances)",
            reverse("places:arrears"),
            "Lieux",
        ),
    ]

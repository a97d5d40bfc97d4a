"""A place's timeline, assembled from the records of the area (no copy is stored)."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from placette.lib.money import decimal_text, euros, number
from placette.places.models import Place, RentRevision


@dataclass(frozen=True)
class Moment:
    on: dt.date
    kind: str
    title: str
    detail: str = ""
    link: str = ""


def place_timeline(place: Place) -> list[Moment]:
    moments: list[Moment] = []
    for change in place.status_changes.all():
        moments.append(
            Moment(
                change.decided_on,
                "Étape",
                f"Étape « {change.get_status_display()} »",
                f"Décidé par {change.decided_by}" + (f" — {change.note}" if change.note else ""),
            )
        )
    operation = getattr(place, "operation", None)
    if operation is not None:
        if operation.acquired_on:
            moments.append(
                Moment(
                    operation.acquired_on,
                    "Acquisition",
                    "Acquisition du lieu",
                    f"Prix {euros(operation.price)}, "
                    f"frais de notaire {euros(operation.notary_fees)}",
                )
            )
        if operation.works_started_on:
            moments.append(Moment(operation.works_started_on, "Travaux", "Début des travaux"))
        if operation.works_ended_on:
            moments.append(
                Moment(
                    operation.works_ended_on,
                    "Travaux",
                    "Fin des travaux",
                    f"{decimal_text(operation.renovated_area)} m² rénovés",
                )
            )
        if operation.sold_on:
            moments.append(Moment(operation.sold_on, "Vente", "Vente du lieu"))
    for activity in place.activities.select_related("tenant"):
        moments.append(
            Moment(
                activity.opened_on,
                "Ouverture",
                f"Ouverture de « {activity.name} »",
                f"Exploité par {activity.tenant}",
            )
        )
        if activity.closed_on:
            moments.append(
                Moment(activity.closed_on, "Fermeture", f"Fermeture de « {activity.name} »")
            )
    for revision in RentRevision.objects.filter(lease__activity__place=place):
        moments.append(
            Moment(
                revision.effective_on,
                "Loyer",
                f"Révision du loyer : {euros(revision.previous_rent)} → {euros(revision.new_rent)}",
                revision.explanation,
                reverse("places:lease", args=[revision.lease_id]),
            )
        )
    for scoring in place.scorings.select_related("version"):
        moments.append(
            Moment(
                scoring.scored_on,
                "Notation",
                f"Projet noté {number(scoring.total, 2)} / 5 (grille v{scoring.version.number})",
                scoring.comment,
            )
        )
    for decision in place.decisions.all():
        moments.append(
            Moment(
                decision.decided_on,
                "Décision",
                f"{decision.get_body_display()} : {decision.get_outcome_display()}",
                f"Motifs : {decision.note}",
            )
        )
    for event in place.events.all():
        moments.append(Moment(event.happened_on, "Événement", event.title, event.body))
    for document in place.documents.select_related("document"):
        moments.append(
            Moment(
                document.uploaded_at.date(),
                "Document",
                f"{document.get_kind_display()} : {document.title}",
                link=document.document.get_absolute_url(),
            )
        )
    return sorted(moments, key=lambda m: m.on, reverse=True)

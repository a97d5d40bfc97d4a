"""A place's timeline, assembled from the records of the area (no copy is stored)."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

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
                _("Étape"),
                _("Étape « %(status)s »") % {"status": change.get_status_display()},
                _("Décidé par %(who)s") % {"who": change.decided_by}
                + (f" — {change.note}" if change.note else ""),
            )
        )
    operation = getattr(place, "operation", None)
    if operation is not None:
        if operation.acquired_on:
            moments.append(
                Moment(
                    operation.acquired_on,
                    _("Acquisition"),
                    _("Acquisition du lieu"),
                    _("Prix %(price)s, frais de notaire %(notary_fees)s")
                    % {
                        "price": euros(operation.price),
                        "notary_fees": euros(operation.notary_fees),
                    },
                )
            )
        if operation.works_started_on:
            moments.append(Moment(operation.works_started_on, _("Travaux"), _("Début des travaux")))
        if operation.works_ended_on:
            moments.append(
                Moment(
                    operation.works_ended_on,
                    _("Travaux"),
                    _("Fin des travaux"),
                    _("%(area)s m² rénovés") % {"area": decimal_text(operation.renovated_area)},
                )
            )
        if operation.sold_on:
            moments.append(Moment(operation.sold_on, _("Vente"), _("Vente du lieu")))
    for activity in place.activities.select_related("tenant"):
        moments.append(
            Moment(
                activity.opened_on,
                _("Ouverture"),
                _("Ouverture de « %(name)s »") % {"name": activity.name},
                _("Exploité par %(tenant)s") % {"tenant": activity.tenant},
            )
        )
        if activity.closed_on:
            moments.append(
                Moment(
                    activity.closed_on,
                    _("Fermeture"),
                    _("Fermeture de « %(name)s »") % {"name": activity.name},
                )
            )
    for revision in RentRevision.objects.filter(lease__activity__place=place):
        moments.append(
            Moment(
                revision.effective_on,
                _("Loyer"),
                _("Révision du loyer : %(previous_rent)s → %(new_rent)s")
                % {
                    "previous_rent": euros(revision.previous_rent),
                    "new_rent": euros(revision.new_rent),
                },
                revision.explanation,
                reverse("places:lease", args=[revision.lease_id]),
            )
        )
    for scoring in place.scorings.select_related("version"):
        moments.append(
            Moment(
                scoring.scored_on,
                _("Notation"),
                _("Projet noté %(total)s / 5 (grille v%(version)s)")
                % {"total": number(scoring.total, 2), "version": scoring.version.number},
                scoring.comment,
            )
        )
    for decision in place.decisions.all():
        moments.append(
            Moment(
                decision.decided_on,
                _("Décision"),
                _("%(body)s : %(outcome)s")
                % {"body": decision.get_body_display(), "outcome": decision.get_outcome_display()},
                _("Motifs : %(note)s") % {"note": decision.note},
            )
        )
    for event in place.events.all():
        moments.append(Moment(event.happened_on, _("Événement"), event.title, event.body))
    for document in place.documents.select_related("document"):
        moments.append(
            Moment(
                document.uploaded_at.date(),
                _("Document"),
                _("%(kind)s : %(title)s")
                % {"kind": document.get_kind_display(), "title": document.title},
                link=document.document.get_absolute_url(),
            )
        )
    return sorted(moments, key=lambda m: m.on, reverse=True)

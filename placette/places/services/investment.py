"""Investment criteria, project scoring, investment decisions and the area's settings.
Keyword-only, atomic, audited."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from placette.lib.audit import audit_log
from placette.lib.refusals import Refusal
from placette.places.models import (
    ZERO,
    CriteriaState,
    CriteriaVersion,
    Criterion,
    CriterionScore,
    DecisionBody,
    DecisionOutcome,
    InvestmentDecision,
    Place,
    PlacesSettings,
    PlaceStatus,
    ProjectScoring,
)
from placette.places.services._common import CENT, _user

# Projects come in at these steps; later steps are decided already.
SCORABLE_STEPS = {PlaceStatus.PROSPECT, PlaceStatus.STUDY}


def _draft(version: CriteriaVersion) -> CriteriaVersion:
    """The version locked for writing; refused once published (published versions are read-only
    so that every past scoring can be read against the grid it used)."""
    version = CriteriaVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise Refusal(
            _(
                "La version %(version)s de la grille est publiée : elle ne se "
                "modifie plus. Créez une nouvelle version pour changer les "
                "critères. Rien n’a été enregistré."
            )
            % {"version": version.number}
        )
    return version


@transaction.atomic
def criteria_version_create(*, actor: Any) -> CriteriaVersion:
    """A new draft version, copying the criteria of the latest version. One draft at a time."""
    draft = CriteriaVersion.objects.filter(state=CriteriaState.DRAFT).first()
    if draft is not None:
        raise Refusal(
            _(
                "La version %(draft)s est déjà en préparation : modifiez-la ou "
                "publiez-la avant d’en créer une autre."
            )
            % {"draft": draft.number}
        )
    previous = CriteriaVersion.objects.order_by("-number").first()
    try:
        with transaction.atomic():
            version = CriteriaVersion.objects.create(
                number=(previous.number + 1) if previous else 1,
                created_by=_user(actor),
                note=previous.note if previous else "",
            )
    except IntegrityError:  # two clicks at once: the other request created the draft
        raise Refusal(_("Une version de la grille est déjà en préparation.")) from None
    if previous is not None:
        Criterion.objects.bulk_create(
            Criterion(version=version, label=c.label, description=c.description, weight=c.weight)
            for c in previous.criteria.order_by("id")
        )
    audit_log(
        actor=actor,
        action="places.criteria.created",
        obj=version,
        copied_from=previous.number if previous else None,
    )
    return version


@transaction.atomic
def criteria_version_update(
    *, actor: Any, version: CriteriaVersion, note: str, criteria: list[dict[str, Any]]
) -> CriteriaVersion:
    """Replace the criteria of a draft. `criteria`: dicts with `id` (None for a new one),
    `label`, `description`, `weight` (1 to 10), `delete`."""
    version = _draft(version)
    kept = [c for c in criteria if not c.get("delete") and (c.get("label") or "").strip()]
    labels = [c["label"].strip() for c in kept]
    for criterion in kept:
        weight = criterion.get("weight")
        if weight is None or not 1 <= weight <= 10:
            raise Refusal(
                _("Le poids de « %(criterion)s » va de 1 à 10 : rien n’a été enregistré.")
                % {"criterion": criterion["label"].strip()}
            )
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise Refusal(
            _("Le critère « %(duplicates)s » figure deux fois : rien n’a été enregistré.")
            % {"duplicates": duplicates[0]}
        )
    existing = {c.pk: c for c in version.criteria.all()}
    removed = [pk for pk in existing if pk not in {c.get("id") for c in kept if c.get("id")}]
    Criterion.objects.filter(pk__in=removed).delete()
    for row in kept:
        values = {
            "label": row["label"].strip(),
            "description": (row.get("description") or "").strip(),
            "weight": row["weight"],
        }
        current = existing.get(row.get("id"))  # type: ignore[arg-type]  # None: a new one
        if current is None:
            Criterion.objects.create(version=version, **values)
        else:
            for name, value in values.items():
                setattr(current, name, value)
            current.save()
    version.note = note
    version.save(update_fields=["note"])
    audit_log(
        actor=actor,
        action="places.criteria.updated",
        obj=version,
        criteria=[f"{c['label'].strip()} ({c['weight']})" for c in kept],
    )
    return version


@transaction.atomic
def criteria_version_publish(
    *,
    actor: Any,
    version: CriteriaVersion,
    adopted_on: dt.date | None = None,
    adopted_by: str = "",
    adopted_meeting: Any = None,
) -> CriteriaVersion:
    """Publish a draft: it becomes the version in force and is read-only from then on."""
    version = _draft(version)
    if not version.criteria.exists():
        raise Refusal(_("Une grille sans critère ne peut pas être publiée."))
    if adopted_on and adopted_on > timezone.localdate():
        raise Refusal(_("La date d’adoption ne peut pas être dans le futur."))
    version.state = CriteriaState.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = _user(actor)
    version.adopted_on = adopted_on
    version.adopted_by = adopted_by.strip()
    version.adopted_meeting = adopted_meeting
    version.save()
    audit_log(
        actor=actor,
        action="places.criteria.published",
        obj=version,
        adopted_on=adopted_on,
        adopted_by=version.adopted_by,
        meeting=getattr(adopted_meeting, "pk", None),
    )
    return version


def scoring_total(weighted_scores: list[tuple[int, int]]) -> Decimal:
    """Weighted mean of (score, weight) pairs, rounded half up to the hundredth."""
    total_weight = sum(weight for _, weight in weighted_scores)
    if not total_weight:
        return ZERO
    weighted = cast(Decimal, sum(Decimal(score) * weight for score, weight in weighted_scores))
    return (weighted / total_weight).quantize(CENT, ROUND_HALF_UP)


@transaction.atomic
def project_score_record(
    *,
    actor: Any,
    place: Place,
    scores: dict[int, int],
    scored_on: dt.date | None = None,
    origin: str = "",
    comment: str = "",
) -> ProjectScoring:
    """Score an incoming project (prospect or study step) against the version in force:
    0 to 5 on every criterion; the total is the weighted mean."""
    if place.status not in SCORABLE_STEPS:
        raise Refusal(
            _(
                "« %(name)s » est à l’étape « %(status)s » : seuls les projets "
                "entrants (prospect ou étude) se notent. Rien n’a été enregistré."
            )
            % {"name": place.name, "status": place.get_status_display()}
        )
    version = CriteriaVersion.objects.in_force()
    if version is None:
        raise Refusal(
            _(
                "Aucune grille de critères n’est publiée : créez et publiez une "
                "version (page Critères d’investissement)."
            )
        )
    criteria = list(version.criteria.all())
    pairs = []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        if score is None or not 0 <= score <= 5:
            raise Refusal(
                _("La note de « %(criterion)s » doit aller de 0 à 5 : rien n’a été enregistré.")
                % {"criterion": criterion}
            )
        pairs.append((score, criterion.weight))
    scoring = ProjectScoring.objects.create(
        place=place,
        version=version,
        scored_on=scored_on or timezone.localdate(),
        origin=origin.strip(),
        comment=comment,
        total=scoring_total(pairs),
        actor=_user(actor),
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(scoring=scoring, criterion=c, score=scores[c.pk]) for c in criteria
    )
    audit_log(
        actor=actor,
        action="places.project.scored",
        obj=place,
        version=version.number,
        total=scoring.total,
        scores={c.label: scores[c.pk] for c in criteria},
    )
    return scoring


@transaction.atomic
def investment_decision_record(
    *,
    actor: Any,
    place: Place,
    decided_on: dt.date,
    body: str,
    outcome: str,
    reason: str,
    decided_by: str = "",
    scoring: ProjectScoring | None = None,
) -> InvestmentDecision:
    """The decision of the investment committee, the board or the AG on a project, with its
    reasons and, when the project was scored, the scoring the body examined."""
    if body not in DecisionBody.values:
        raise Refusal(_("Choisissez l’instance qui a décidé."))
    if outcome not in DecisionOutcome.values:
        raise Refusal(_("Choisissez la décision."))
    if not reason.strip():
        raise Refusal(_("Indiquez les motifs de la décision : rien n’a été enregistré."))
    if decided_on > timezone.localdate():
        raise Refusal(_("Une décision se date au jour où elle est prise : pas de date future."))
    if scoring is not None and scoring.place_id != place.pk:
        raise Refusal(_("Cette notation concerne un autre projet."))
    decision = InvestmentDecision.objects.create(
        place=place,
        scoring=scoring,
        decided_on=decided_on,
        body=body,
        decided_by=decided_by.strip(),
        outcome=outcome,
        note=reason.strip(),
        actor=_user(actor),
    )
    audit_log(
        actor=actor,
        action="places.decision.recorded",
        obj=place,
        outcome=outcome,
        body=body,
        decided_on=decided_on,
        scoring=scoring.total if scoring else None,
    )
    return decision


@transaction.atomic
def places_settings_update(
    *, actor: Any, network_goal: int, goal_year: int | None
) -> PlacesSettings:
    if network_goal <= 0:
        raise Refusal(_("L’objectif du réseau est un nombre de lieux positif."))
    current = PlacesSettings.get()
    before = current.network_goal
    current.network_goal = network_goal
    current.goal_year = goal_year
    current.save()
    audit_log(
        actor=actor,
        action="places.settings.updated",
        obj=current,
        network_goal=[before, network_goal],
    )
    return current

"""Existing criteria versions were adopted already: they become published, read-only versions.
Each existing decision's scores (JSON on the decision) become a scoring with one row per
criterion, linked to the decision."""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    CriteriaVersion = apps.get_model("places", "CriteriaVersion")
    Criterion = apps.get_model("places", "Criterion")
    ProjectScoring = apps.get_model("places", "ProjectScoring")
    CriterionScore = apps.get_model("places", "CriterionScore")
    InvestmentDecision = apps.get_model("places", "InvestmentDecision")
    for version in CriteriaVersion.objects.all():
        version.state = "published"
        adopted = version.adopted_on
        version.published_at = (
            timezone.make_aware(dt.datetime.combine(adopted, dt.time(12)))
            if adopted
            else timezone.now()
        )
        version.save(update_fields=["state", "published_at"])
        seen: set[str] = set()
        for criterion in Criterion.objects.filter(version=version).order_by("id"):
            label = criterion.label
            while label in seen:
                label = f"{label} (bis)"
            seen.add(label)
            criterion.label = label
            criterion.weight = min(max(criterion.weight, 1), 10)
            criterion.save(update_fields=["label", "weight"])
    for decision in InvestmentDecision.objects.exclude(version=None).order_by("id"):
        scoring = ProjectScoring.objects.create(
            place_id=decision.place_id,
            version_id=decision.version_id,
            scored_on=decision.decided_on,
            origin=decision.origin,
            total=decision.score or 0,
            actor_id=decision.actor_id,
        )
        valid = set(
            Criterion.objects.filter(version_id=decision.version_id).values_list("pk", flat=True)
        )
        CriterionScore.objects.bulk_create(
            CriterionScore(scoring=scoring, criterion_id=int(pk), score=min(max(int(v), 0), 5))
            for pk, v in (decision.scores or {}).items()
            if int(pk) in valid
        )
        decision.scoring = scoring
        decision.body = "committee" if "comit" in decision.decided_by.lower() else "board"
        if not decision.note:
            decision.note = "(motifs non saisis)"
        decision.save(update_fields=["scoring", "body", "note"])


class Migration(migrations.Migration):
    dependencies = [("places", "0002_criteria_scoring_schema")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

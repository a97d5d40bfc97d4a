import datetime as dt
from decimal import Decimal

from django.urls import reverse

from placette.lib.models import AuditEntry
from placette.lib.refusals import Refusal
from placette.places import services
from placette.places.models import (
    CriteriaVersion,
    Criterion,
    CriterionScore,
    InvestmentDecision,
    ProjectScoring,
)
from placette.places.tests.helpers import make_place
from placette.places.timeline import place_timeline
from placette.test import BaseTestCase


def _published_version(actor=None) -> CriteriaVersion:
    version = services.criteria_version_create(actor=actor)
    services.criteria_version_update(
        actor=actor,
        version=version,
        note="",
        criteria=[
            {"id": None, "label": "Besoin du territoire", "description": "", "weight": 3},
            {"id": None, "label": "Portage local", "description": "", "weight": 1},
        ],
    )
    return services.criteria_version_publish(
        actor=actor, version=version, adopted_on=dt.date(2024, 6, 1), adopted_by="AG 2024"
    )


def _formset(rows, prefix="crit") -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        "note": "",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


class CriteriaVersionTests(BaseTestCase):
    def test_every_criteria_page_is_for_the_team_only(self):
        version = _published_version()
        self.assert_staff_only(reverse("places:criteria_list"))
        self.assert_staff_only(reverse("places:criteria", args=[version.pk]))
        self.assert_staff_only(reverse("places:criteria", args=[version.pk]), method="post")
        self.assert_staff_only(reverse("places:criteria_create"), method="post")
        self.assert_staff_only(reverse("places:criteria_publish", args=[version.pk]), "post")
        self.assertEqual(CriteriaVersion.objects.count(), 1)

    def test_staff_creates_edits_and_publishes_a_version_that_copies_the_previous_one(self):
        first = _published_version()
        self.login(self.staff)
        response = self.client.post(reverse("places:criteria_create"), follow=True)
        self.assertContains(response, "copiée de la précédente")
        draft = CriteriaVersion.objects.get(number=2)
        self.assertEqual(draft.state, "draft")
        self.assertEqual(draft.created_by, self.staff)
        copied = list(draft.criteria.order_by("id"))
        self.assertEqual(
            [(c.label, c.weight) for c in copied],
            [("Besoin du territoire", 3), ("Portage local", 1)],
        )
        # Edit: change a weight, remove one criterion, add one.
        data = _formset(
            [
                {"id": copied[0].pk, "label": "Besoin du territoire", "weight": "4"},
                {"id": copied[1].pk, "label": "Portage local", "weight": "1", "DELETE": "on"},
                {"id": "", "label": "Sobriété du bâti", "description": "DPE", "weight": "2"},
            ]
        )
        data["note"] = "Proposée par la consultation de mai."
        response = self.client.post(reverse("places:criteria", args=[draft.pk]), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            sorted((c.label, c.weight) for c in draft.criteria.all()),
            [("Besoin du territoire", 4), ("Sobriété du bâti", 2)],
        )
        # The published version is untouched by the copy's edits.
        self.assertEqual(first.criteria.count(), 2)
        response = self.client.post(
            reverse("places:criteria_publish", args=[draft.pk]),
            {"adopted_on": "2025-06-14", "adopted_by": "Consultation des sociétaires"},
            follow=True,
        )
        self.assertContains(response, "grille en vigueur")
        draft.refresh_from_db()
        self.assertTrue(draft.is_published)
        self.assertEqual(draft.published_by, self.staff)
        self.assertEqual(draft.adopted_by, "Consultation des sociétaires")
        self.assertEqual(CriteriaVersion.objects.in_force(), draft)
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        self.assertLessEqual(
            {"places.criteria.created", "places.criteria.updated", "places.criteria.published"},
            actions,
        )
        response = self.client.get(reverse("places:criteria_list"))
        self.assertContains(response, "en vigueur")

    def test_a_published_version_cannot_be_edited_and_nothing_is_saved(self):
        version = _published_version()
        criterion = version.criteria.first()
        self.login(self.staff)
        data = _formset([{"id": criterion.pk, "label": "Tout autre chose", "weight": "9"}])
        response = self.client.post(reverse("places:criteria", args=[version.pk]), data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "est publiée : elle ne se modifie plus", status_code=400)
        criterion.refresh_from_db()
        self.assertEqual((criterion.label, criterion.weight), ("Besoin du territoire", 3))
        self.assertEqual(version.criteria.count(), 2)
        # Publishing twice is refused too.
        with self.assertRaisesMessage(Refusal, "est publiée"):
            services.criteria_version_publish(actor=None, version=version)

    def test_bad_criteria_are_refused_with_a_clear_message_and_nothing_is_saved(self):
        _published_version()
        draft = services.criteria_version_create(actor=None)
        self.login(self.staff)
        url = reverse("places:criteria", args=[draft.pk])
        response = self.client.post(url, _formset([{"id": "", "label": "Nouveau", "weight": "11"}]))
        self.assertContains(response, "Le poids va de 1 à 10", status_code=400)
        response = self.client.post(
            url,
            _formset(
                [
                    {"id": "", "label": "Doublon", "weight": "1"},
                    {"id": "", "label": "Doublon", "weight": "2"},
                ]
            ),
        )
        self.assertContains(response, "figure deux fois", status_code=400)
        self.assertEqual(draft.criteria.count(), 2)
        self.assertFalse(Criterion.objects.filter(label__in=["Nouveau", "Doublon"]).exists())

    def test_there_is_one_draft_at_a_time_and_an_empty_grid_is_not_published(self):
        draft = services.criteria_version_create(actor=None)
        self.assertEqual(draft.number, 1)
        with self.assertRaisesMessage(Refusal, "déjà en préparation"):
            services.criteria_version_create(actor=None)
        with self.assertRaisesMessage(Refusal, "sans critère"):
            services.criteria_version_publish(actor=None, version=draft)
        self.assertEqual(CriteriaVersion.objects.count(), 1)
        self.assertIsNone(CriteriaVersion.objects.in_force())


class ScoringAndDecisionTests(BaseTestCase):
    def setUp(self):
        self.version = _published_version()
        self.place = make_place(name="Ancienne poste de Vesc", status="study")
        self.criteria = list(self.version.criteria.order_by("id"))

    def _scores(self, *values) -> dict:
        data = {"scored_on": "2025-03-01", "origin": "Mission d’étude", "comment": "Bon dossier"}
        for criterion, value in zip(self.criteria, values, strict=True):
            data[f"criterion_{criterion.pk}"] = str(value)
        return data

    def test_the_scoring_and_decision_pages_are_for_the_team_only(self):
        self.assert_staff_only(reverse("places:score", args=[self.place.pk]))
        self.assert_staff_only(reverse("places:score", args=[self.place.pk]), method="post")
        self.assert_staff_only(reverse("places:decision", args=[self.place.pk]))
        self.assert_staff_only(reverse("places:decision", args=[self.place.pk]), method="post")
        self.assertFalse(ProjectScoring.objects.exists())

    def test_staff_scores_a_project_and_records_the_decision_on_its_timeline(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("places:score", args=[self.place.pk]), self._scores(5, 2), follow=True
        )
        # (5 × 3 + 2 × 1) ÷ 4 = 4,25
        self.assertContains(response, "Projet noté : 4,25 / 5")
        scoring = ProjectScoring.objects.get()
        self.assertEqual(scoring.total, Decimal("4.25"))
        self.assertEqual(scoring.version, self.version)
        self.assertEqual(scoring.comment, "Bon dossier")
        self.assertEqual(
            dict(CriterionScore.objects.values_list("criterion__label", "score")),
            {"Besoin du territoire": 5, "Portage local": 2},
        )
        response = self.client.post(
            reverse("places:decision", args=[self.place.pk]),
            {
                "decided_on": "2025-03-20",
                "body": "committee",
                "decided_by": "Comité du 20/03/2025",
                "outcome": "approved",
                "scoring": scoring.pk,
                "reason": "Dernier commerce du village, commune motrice.",
            },
            follow=True,
        )
        self.assertContains(response, "Décision d’investissement enregistrée")
        decision = InvestmentDecision.objects.get()
        self.assertEqual((decision.body, decision.outcome), ("committee", "approved"))
        self.assertEqual(decision.scoring, scoring)
        self.assertEqual(decision.actor, self.staff)
        titles = [m.title for m in place_timeline(self.place)]
        self.assertIn("Projet noté 4,25 / 5 (grille v1)", titles)
        self.assertIn("Comité d’investissement : Projet retenu", titles)
        self.assertContains(response, "Dernier commerce du village")
        actions = set(AuditEntry.objects.for_object(self.place).values_list("action", flat=True))
        self.assertLessEqual({"places.project.scored", "places.decision.recorded"}, actions)

    def test_a_score_out_of_range_is_refused_and_nothing_is_saved(self):
        self.login(self.staff)
        url = reverse("places:score", args=[self.place.pk])
        response = self.client.post(url, self._scores(6, 2))
        self.assertContains(response, "Une note va de 0 à 5.", status_code=400)
        response = self.client.post(url, self._scores(-1, 2))
        self.assertContains(response, "Une note va de 0 à 5.", status_code=400)
        with self.assertRaisesMessage(Refusal, "doit aller de 0 à 5"):
            services.project_score_record(
                actor=None, place=self.place, scores={self.criteria[0].pk: 7}
            )
        self.assertFalse(ProjectScoring.objects.exists())
        self.assertFalse(CriterionScore.objects.exists())

    def test_only_incoming_projects_are_scored_against_the_version_in_force(self):
        services.place_status_change(
            actor=None,
            place=self.place,
            status="acquisition",
            decided_on=dt.date(2025, 4, 1),
            decided_by="CA",
        )
        self.login(self.staff)
        response = self.client.post(
            reverse("places:score", args=[self.place.pk]), self._scores(3, 3), follow=True
        )
        self.assertContains(response, "seuls les projets entrants")
        self.assertFalse(ProjectScoring.objects.exists())
        # A new draft does not replace the version in force until it is published.
        services.criteria_version_create(actor=None)
        self.assertEqual(CriteriaVersion.objects.in_force(), self.version)

    def test_a_decision_without_reasons_or_in_the_future_is_refused(self):
        self.login(self.staff)
        url = reverse("places:decision", args=[self.place.pk])
        data = {"decided_on": "2025-03-20", "body": "board", "outcome": "rejected", "reason": ""}
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 400)
        future = dt.date.today() + dt.timedelta(days=3)
        response = self.client.post(
            url, {**data, "reason": "Trop cher", "decided_on": future.isoformat()}
        )
        self.assertContains(response, "Une décision se date", status_code=400)
        self.assertFalse(InvestmentDecision.objects.exists())

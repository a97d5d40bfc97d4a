"""No raw database constraint message ever reaches a user: every constraint says its rule in
French, and the model forms check the same rule on the field first."""

import datetime as dt

from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from placette.governance.forms import MeetingEditForm
from placette.governance.models import Meeting
from placette.governance.tests.helpers import make_ag
from placette.governance.tests.helpers import make_statutes as governance_statutes
from placette.lib.refusals import constraint_message
from placette.membership.forms import InstrumentHoldingForm, StatutesForm
from placette.test import BaseTestCase


class ConstraintMessageTests(SimpleTestCase):
    def test_every_constraint_of_placette_has_its_own_french_message(self):
        raw = []
        for model in apps.get_models():
            if not model.__module__.startswith("placette."):
                continue
            for constraint in model._meta.constraints:
                message = str(constraint.violation_error_message)
                if (
                    constraint.violation_error_message == constraint.default_violation_error_message
                    or constraint.name in message
                    or "contrainte" in message.lower()
                ):
                    raw.append(f"{model._meta.label}.{constraint.name}")
        self.assertEqual(raw, [])

    def test_the_statutes_form_says_each_bound_on_its_field(self):
        form = StatutesForm(
            {
                "min_paid_percent": "10",
                "balance_delay_months": "120",
                "share_value": "0",
                "floor_percent": "5",
                "local_authorities_cap_percent": "80",
            }
        )
        self.assertFalse(form.is_valid())
        for name, constraint in StatutesForm.BOUNDS.items():
            self.assertIn(constraint_message(form._meta.model, constraint[0]), form.errors[name])
        self.assertNotIn("statutes_", str(form.errors))

    def test_an_instrument_holding_of_zero_euros_is_refused_on_the_amount(self):
        form = InstrumentHoldingForm({"amount": "0", "units": "1"})
        self.assertFalse(form.is_valid())
        self.assertEqual(form.errors["amount"], ["Le montant d’une détention doit être positif."])


class MeetingEditConstraintTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        governance_statutes()

    def test_a_model_validated_against_a_constraint_speaks_french_not_the_constraint_name(self):
        starts = timezone.now()
        meeting = Meeting(starts_at=starts, vote_opens_at=starts + dt.timedelta(hours=1), call=1)
        with self.assertRaises(ValidationError) as caught:
            meeting.validate_constraints()
        text = " ".join(caught.exception.messages)
        self.assertIn("L’ouverture du vote en ligne doit précéder le début de la réunion", text)
        self.assertNotIn("meeting_vote_opens_before_start", text)

    def test_a_vote_opening_after_the_meeting_is_refused_on_its_field_in_french(self):
        meeting = make_ag(freeze=False, open_votes=False)
        form = MeetingEditForm(
            {
                "title": meeting.title,
                "starts_at": "2030-05-01T18:00",
                "vote_opens_at": "2030-05-02T09:00",
                "proxy_cap": "2",
            },
            instance=meeting,
        )
        self.assertFalse(form.is_valid())
        self.assertEqual(
            form.errors["vote_opens_at"],
            ["L’ouverture du vote en ligne doit précéder le début de la réunion."],
        )
        self.assertEqual(form.non_field_errors(), [])

    def test_the_meeting_edit_page_never_shows_a_constraint_name(self):
        meeting = make_ag(freeze=False, open_votes=False)
        self.login(self.staff)
        response = self.client.post(
            reverse("governance:meeting_edit", args=[meeting.pk]),
            {
                "title": meeting.title,
                "starts_at": "2030-05-01T18:00",
                "vote_opens_at": "2030-05-02T09:00",
                "proxy_cap": "2",
            },
        )
        self.assertContains(response, "L’ouverture du vote en ligne doit précéder")
        self.assertNotContains(response, "meeting_vote_opens_before_start")
        self.assertNotContains(response, "contrainte")
        meeting.refresh_from_db()
        self.assertIsNone(meeting.vote_opens_at)

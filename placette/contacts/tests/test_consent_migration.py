"""governance migration 0009 moves the old electronic-convocation consent (current choice and
history) into the consent ledger: tested on rows built by hand, then on real tables."""

import datetime as dt
from importlib import import_module
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

migration = import_module("placette.governance.migrations.0009_consent_to_contacts")
legacy_records = migration.legacy_records

PARIS = ZoneInfo("Europe/Paris")


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, tzinfo=PARIS)


def change(pk, contact, electronic, when, source="", text="", email="", by=None):
    return {
        "id": pk,
        "contact_id": contact,
        "electronic": electronic,
        "at": when,
        "changed_by_id": by,
        "source": source,
        "email": email,
        "text": text,
    }


def current(contact, electronic, when, source="", by=None):
    return {
        "contact_id": contact,
        "electronic": electronic,
        "changed_at": when,
        "changed_by_id": by,
        "source": source,
    }


def test_every_history_row_becomes_a_record_with_its_time_author_origin_address_and_words():
    changes = [
        change(
            1,
            10,
            True,
            at(1),
            source="bulletin de souscription SOUS-AB12 (texte 2026-01)",
            text="J’accepte la convocation électronique.",
            email="lea@ex.fr",
        ),
        change(2, 10, False, at(5), source="saisie par l’équipe", text="Courrier.", by=7),
        change(3, 11, True, at(2), source="espace sociétaire", text="J’accepte.", email="b@ex.fr"),
    ]
    currents = [current(10, False, at(5), "saisie par l’équipe", by=7), current(11, True, at(2))]
    records = legacy_records(currents, changes)
    assert len(records) == 3
    first, third, second = records  # written in time order
    assert first == {
        "contact_id": 10,
        "given": True,
        "at": at(1),
        "recorded_at": at(1),
        "recorded_by_id": None,
        "source": "web_form",
        "source_detail": "bulletin de souscription SOUS-AB12 (texte 2026-01)",
        "version": "2026-01",
        "text": "J’accepte la convocation électronique.",
        "email": "lea@ex.fr",
    }
    assert (second["given"], second["source"], second["recorded_by_id"]) == (False, "staff", 7)
    assert second["text"] == "Courrier."
    assert (third["source"], third["email"], third["at"]) == ("portal", "b@ex.fr", at(2))


def test_a_row_without_words_keeps_an_empty_text_and_says_so_instead_of_inventing_them():
    records = legacy_records([current(10, True, at(1))], [change(1, 10, True, at(1), "bulletin")])
    assert len(records) == 1
    assert records[0]["text"] == ""
    assert records[0]["source_detail"] == "bulletin — texte non conservé à l’époque"


def test_a_current_choice_without_history_becomes_a_record():
    records = legacy_records([current(12, True, at(3), "import Airtable")], [])
    assert len(records) == 1
    record = records[0]
    assert (record["contact_id"], record["given"], record["at"]) == (12, True, at(3))
    assert record["source"] == "import"
    assert "import Airtable" in record["source_detail"]
    assert "choix en vigueur repris à la migration" in record["source_detail"]


def test_a_current_choice_the_history_contradicts_stays_the_one_in_force():
    # history says email, the current row (what convocations followed) says post
    changes = [change(1, 10, True, at(4), "espace", "J’accepte.")]
    records = legacy_records([current(10, False, at(2), "courrier")], changes)
    assert [r["given"] for r in records] == [True, False]
    assert records[-1]["at"] == at(4)  # not before the row it overrides
    assert records[-1]["source"] == "staff"


def test_a_current_choice_the_history_explains_adds_nothing():
    changes = [change(1, 10, True, at(1), "espace", "Oui."), change(2, 10, False, at(3), "", "")]
    records = legacy_records([current(10, False, at(3))], changes)
    assert len(records) == 2
    assert records[1]["source"] == "other"


class MigrationOnRealTablesTests(TransactionTestCase):
    """Back to governance 0008 (old tables, no ledger rows), rows written there, then forward:
    the ledger answers what the old tables said; and back again, the old tables come back."""

    before = [
        ("governance", "0008_meeting_document_file_removed"),
        ("contacts", "0002_consent_ledger"),
    ]
    after = [("governance", "0009_consent_to_contacts")]

    def tearDown(self):
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
        super().tearDown()

    def test_migrating_forward_and_back_loses_no_consent(self):
        executor = MigrationExecutor(connection)
        executor.migrate(self.before)
        apps = executor.loader.project_state(self.before).apps
        Contact = apps.get_model("contacts", "Contact")
        Current = apps.get_model("governance", "ConvocationConsent")
        Change = apps.get_model("governance", "ConvocationConsentChange")
        lea = Contact.objects.create(kind="person", last_name="Roux", display_name="Léa ROUX")
        tom = Contact.objects.create(kind="person", last_name="Blanc", display_name="Tom BLANC")
        Change.objects.create(
            contact=lea, electronic=True, at=at(1), source="espace", text="Oui.", email="l@ex.fr"
        )
        Change.objects.create(contact=lea, electronic=False, at=at(4), source="courrier")
        Current.objects.create(contact=lea, electronic=False, changed_at=at(4), source="courrier")
        Current.objects.create(contact=tom, electronic=True, changed_at=at(2), source="bulletin")

        executor = MigrationExecutor(connection)
        executor.migrate(self.after)
        apps = executor.loader.project_state(self.after).apps
        Record = apps.get_model("contacts", "ConsentRecord")
        rows = list(
            Record.objects.filter(purpose__code="ag-convocation-email")
            .order_by("at", "id")
            .values_list("contact_id", "given", "at", "source", "text", "email")
        )
        self.assertEqual(
            rows,
            [
                (lea.pk, True, at(1), "portal", "Oui.", "l@ex.fr"),
                (tom.pk, True, at(2), "web_form", "", ""),
                (lea.pk, False, at(4), "staff", "", ""),
            ],
        )

        executor = MigrationExecutor(connection)
        executor.migrate(self.before)
        apps = executor.loader.project_state(self.before).apps
        Current = apps.get_model("governance", "ConvocationConsent")
        Change = apps.get_model("governance", "ConvocationConsentChange")
        self.assertEqual(
            dict(Current.objects.values_list("contact_id", "electronic")),
            {lea.pk: False, tom.pk: True},
        )
        self.assertEqual(Change.objects.count(), 3)

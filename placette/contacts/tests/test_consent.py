"""The consent ledger: append-only records per contact and purpose, the state at a date,
the rules of `consent_set`, one audit entry and one timeline line per act."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from placette.contacts.models import (
    ConsentPurpose,
    ConsentRecord,
    ConsentSource,
    TimelineEntry,
)
from placette.contacts.services import (
    consent_givers,
    consent_history,
    consent_of,
    consent_purposes,
    consent_set,
    consent_states,
    contact_merge,
)
from placette.lib.models import AuditEntry
from placette.lib.refusals import Refusal
from placette.test import BaseTestCase, give_consent, make_contact

PARIS = ZoneInfo("Europe/Paris")
AG = ConsentPurpose.AG_CONVOCATION


def paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


class PurposeTests(BaseTestCase):
    def test_the_migration_seeds_the_convocation_the_newsletter_the_news_and_the_events(self):
        codes = [p.code for p in consent_purposes()]
        self.assertEqual(codes, [AG, "investor-newsletter", "coop-news", "events"])
        for purpose in consent_purposes():
            self.assertTrue(purpose.consent_text and purpose.withdrawal_text and purpose.version)

    def test_a_purpose_added_as_data_is_offered_at_once_and_an_inactive_one_is_not(self):
        ConsentPurpose.objects.create(
            code="volunteering",
            label="Appels à bénévoles",
            consent_text="J’accepte de recevoir les appels à bénévoles.",
            withdrawal_text="Je ne souhaite plus les recevoir.",
            version="1",
            position=50,
        )
        ConsentPurpose.objects.filter(code="events").update(active=False)
        codes = [p.code for p in consent_purposes()]
        self.assertIn("volunteering", codes)
        self.assertNotIn("events", codes)
        self.assertIn("events", [p.code for p in consent_purposes(active_only=False)])


class LedgerTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.alice = make_contact(first_name="Alice", last_name="Arnaud", email="alice@ex.fr")

    def test_a_recorded_consent_can_be_neither_edited_nor_deleted(self):
        record = give_consent(self.alice)
        record.given = False
        with self.assertRaises(Refusal):
            record.save()
        with self.assertRaises(Refusal):
            record.delete()
        with self.assertRaises(Refusal):
            ConsentRecord.objects.filter(pk=record.pk).update(given=False)
        with self.assertRaises(Refusal):
            ConsentRecord.objects.filter(pk=record.pk).delete()
        fresh = ConsentRecord.objects.get(pk=record.pk)
        self.assertTrue(fresh.given)

    def test_a_withdrawal_is_a_new_record_and_the_consent_stays_in_the_history(self):
        give_consent(self.alice, at=timezone.now() - dt.timedelta(days=2))
        give_consent(self.alice, given=False)
        history = list(consent_history(self.alice))
        self.assertEqual([r.given for r in history], [False, True])
        self.assertFalse(consent_of(self.alice, AG))

    def test_a_contact_with_consents_cannot_be_deleted(self):
        give_consent(self.alice)
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.alice.delete()

    def test_a_merge_moves_the_consents_to_the_kept_record_and_the_latest_act_wins(self):
        twin = make_contact(first_name="Alice", last_name="Arnaud", email="")
        give_consent(self.alice, at=timezone.now() - dt.timedelta(days=5))
        give_consent(twin, given=False, at=timezone.now() - dt.timedelta(days=1))
        merged = contact_merge(actor=self.staff, keep=self.alice, absorb=twin)
        self.assertEqual(ConsentRecord.objects.filter(contact=merged).count(), 2)
        self.assertFalse(consent_of(merged, AG))

    def test_the_state_at_a_past_date_is_the_latest_record_at_or_before_it(self):
        give_consent(self.alice, at=paris(2025, 3, 10, 9, 0))
        give_consent(self.alice, given=False, at=paris(2025, 6, 1, 18, 30))
        give_consent(self.alice, at=paris(2025, 9, 15, 8, 0))
        self.assertFalse(consent_of(self.alice, AG, on=dt.date(2025, 3, 9)))
        # A date means the end of that day (Paris time): the act of the morning counts.
        self.assertTrue(consent_of(self.alice, AG, on=dt.date(2025, 3, 10)))
        self.assertTrue(consent_of(self.alice, AG, on=dt.date(2025, 5, 31)))
        self.assertFalse(consent_of(self.alice, AG, on=dt.date(2025, 6, 1)))
        # A datetime means that very moment.
        self.assertTrue(consent_of(self.alice, AG, on=paris(2025, 6, 1, 18, 29)))
        self.assertFalse(consent_of(self.alice, AG, on=paris(2025, 6, 1, 18, 30)))
        self.assertTrue(consent_of(self.alice, AG, on=dt.date(2025, 9, 15)))
        self.assertTrue(consent_of(self.alice, AG))
        self.assertFalse(consent_of(self.alice, "investor-newsletter"))

    def test_the_givers_at_a_date_agree_with_consent_of_for_every_contact(self):
        bruno = make_contact(first_name="Bruno", last_name="Blanc", email="b@ex.fr")
        carla = make_contact(first_name="Carla", last_name="Crozet", email="c@ex.fr")
        give_consent(self.alice, at=paris(2025, 1, 5, 10))
        give_consent(bruno, at=paris(2025, 2, 1, 10))
        give_consent(bruno, given=False, at=paris(2025, 4, 1, 10))
        give_consent(carla, given=False, at=paris(2025, 1, 1, 10))
        give_consent(carla, at=paris(2025, 4, 1, 10))
        # the same instant twice: the later record wins
        give_consent(carla, given=False, at=paris(2025, 4, 1, 10), text="Retrait (v2).")
        days = [dt.date(2024, 12, 31), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
        for day in [*days, dt.date(2025, 4, 1), None]:
            givers = set(consent_givers(AG, on=day))
            expected = {c for c in (self.alice, bruno, carla) if consent_of(c, AG, on=day)}
            self.assertEqual(givers, expected, day)
        self.assertEqual(set(consent_givers(AG, on=dt.date(2025, 3, 1))), {self.alice, bruno})
        self.assertEqual(set(consent_givers(AG)), {self.alice})

    def test_the_states_list_every_active_purpose_with_the_record_in_force(self):
        give_consent(self.alice, "events")
        states = {s.purpose.code: s for s in consent_states(self.alice)}
        self.assertEqual(set(states), {AG, "investor-newsletter", "coop-news", "events"})
        self.assertTrue(states["events"].given)
        self.assertIsNone(states[AG].record)
        self.assertEqual(states["events"].next_text, states["events"].purpose.withdrawal_text)


class ConsentSetTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.alice = make_contact(first_name="Alice", last_name="Arnaud", email="alice@ex.fr")

    def _set(self, **kwargs):
        data = {
            "contact": self.alice,
            "purpose": "investor-newsletter",
            "given": True,
            "source": ConsentSource.WEB_FORM,
            "text": "J’accepte de recevoir la lettre des épargnants.",
            "version": "form-3",
        }
        return consent_set(**{**data, **kwargs})

    def test_it_keeps_everything_needed_to_prove_a_web_form_consent(self):
        record = self._set(
            ip="203.0.113.7",
            user_agent="Mozilla/5.0 (X11; Linux)",
            actor=self.member,
            source_detail="page d’accueil",
        )
        record = ConsentRecord.objects.get(pk=record.pk)
        self.assertEqual(record.purpose.code, "investor-newsletter")
        self.assertEqual(record.text, "J’accepte de recevoir la lettre des épargnants.")
        self.assertEqual((record.version, record.source), ("form-3", "web_form"))
        self.assertEqual(
            (record.ip, record.user_agent), ("203.0.113.7", "Mozilla/5.0 (X11; Linux)")
        )
        self.assertEqual((record.email, record.recorded_by), ("alice@ex.fr", self.member))
        self.assertEqual(record.source_detail, "page d’accueil")
        self.assertLessEqual(record.at, record.recorded_at)

    def test_one_act_writes_one_audit_entry_and_one_timeline_line(self):
        audits = AuditEntry.objects.count()
        lines = TimelineEntry.objects.filter(contact=self.alice).count()
        self._set(actor=self.staff)
        self._set(given=False, text="Je me désinscris.", source=ConsentSource.UNSUBSCRIBE)
        self.assertEqual(AuditEntry.objects.count(), audits + 2)
        actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[audits:])
        self.assertEqual(actions, ["contacts.consent.given", "contacts.consent.withdrawn"])
        timeline = TimelineEntry.objects.filter(contact=self.alice).order_by("id")[lines:]
        self.assertEqual(
            [t.title for t in timeline],
            [
                "Accord donné : Lettre d’information des épargnants",
                "Accord retiré : Lettre d’information des épargnants",
            ],
        )
        self.assertEqual({t.kind for t in timeline}, {"consent"})

    def test_the_same_state_with_the_same_words_again_records_nothing(self):
        first = self._set()
        audits = AuditEntry.objects.count()
        again = self._set()
        self.assertEqual(again.pk, first.pk)
        self.assertFalse(again.is_new)
        self.assertEqual(ConsentRecord.objects.count(), 1)
        self.assertEqual(AuditEntry.objects.count(), audits)

    def test_the_same_state_with_new_words_is_a_new_proof(self):
        self._set()
        renewed = self._set(text="J’accepte la lettre des épargnants (nouveau texte).", version="4")
        self.assertTrue(renewed.is_new)
        self.assertEqual(ConsentRecord.objects.count(), 2)

    def test_a_consent_without_the_words_shown_is_refused_and_nothing_is_recorded(self):
        with self.assertRaisesMessage(Refusal, "texte présenté est nécessaire"):
            self._set(text="  ")
        self.assertFalse(ConsentRecord.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action__startswith="contacts.consent").exists())

    def test_a_consent_dated_in_the_future_is_refused(self):
        with self.assertRaisesMessage(Refusal, "futur"):
            self._set(at=timezone.now() + dt.timedelta(days=1))
        self.assertFalse(ConsentRecord.objects.exists())

    def test_an_unknown_source_or_purpose_is_refused(self):
        with self.assertRaisesMessage(Refusal, "Origine du consentement inconnue"):
            self._set(source="pigeon")
        with self.assertRaisesMessage(Refusal, "Finalité de consentement inconnue"):
            self._set(purpose="horoscope")
        self.assertFalse(ConsentRecord.objects.exists())

    def test_a_purpose_sent_by_email_needs_an_address_but_a_withdrawal_does_not(self):
        nomail = make_contact(first_name="Sans", last_name="Mail", email="")
        with self.assertRaisesMessage(Refusal, "adresse e-mail est nécessaire"):
            self._set(contact=nomail)
        self.assertFalse(ConsentRecord.objects.filter(contact=nomail).exists())
        self.assertFalse(TimelineEntry.objects.filter(contact=nomail, kind="consent").exists())
        withdrawal = self._set(contact=nomail, given=False, text="Pas de lettre.")
        self.assertFalse(withdrawal.given)

    def test_a_malformed_ip_address_is_left_out_rather_than_refusing_the_consent(self):
        record = self._set(ip="pas une adresse")
        self.assertIsNone(record.ip)

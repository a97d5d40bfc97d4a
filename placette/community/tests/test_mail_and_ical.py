import icalendar
from django.test import Client
from django.urls import reverse

from placette.community import queries, services
from placette.community.tests.helpers import ics_of, person, session_make
from placette.lib.models import OutgoingMessage
from placette.lib.refusals import Refusal
from placette.test import BaseTestCase


def _vevents(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    return calendar, [c for c in calendar.walk("VEVENT")]


class InvitationTests(BaseTestCase):
    def test_invitations_go_only_to_contacts_whose_ledger_allows_events_now(self):
        session = session_make()
        yes, no, withdrew = person("Oui", events=True), person("Non"), person("Retire", events=True)
        from placette.test import give_consent

        give_consent(withdrew, "events", given=False)
        registered = person("Inscrit", events=True)
        services.registration_create(actor=self.staff, session=session, contact=registered)
        self.assertEqual(list(queries.invitation_recipients(session)), [yes])
        self.assertEqual(services.invitations_send(actor=self.staff, session=session), 1)
        keys = set(
            OutgoingMessage.objects.filter(kind="community.invitation").values_list("to", flat=True)
        )
        self.assertEqual(keys, {yes.email})
        self.assertNotIn(no.email, keys)
        # sending again sends nothing more (one key per session and contact)
        services.invitations_send(actor=self.staff, session=session)
        self.assertEqual(OutgoingMessage.objects.filter(kind="community.invitation").count(), 1)

    def test_reminders_skip_participants_without_the_events_consent(self):
        session = session_make(capacity=5)
        yes, no = person("Oui", events=True), person("Non")
        for contact in (yes, no):
            services.registration_create(actor=self.staff, session=session, contact=contact)
        self.assertEqual(services.reminders_send(actor=self.staff, session=session), 1)
        reminder = OutgoingMessage.objects.get(kind="community.reminder")
        self.assertEqual(reminder.to, yes.email)
        session.refresh_from_db()
        self.assertIsNotNone(session.reminders_sent_at)

    def test_it_refuses_to_invite_to_a_past_session(self):
        with self.assertRaises(Refusal):
            services.invitations_send(actor=self.staff, session=session_make(days=-2))


class IcalTests(BaseTestCase):
    def test_the_ics_has_paris_times_with_their_vtimezone_and_a_uid_stable_across_cancellation(
        self,
    ):
        session = session_make()
        registration = services.registration_create(
            actor=self.staff, session=session, contact=person("Ana")
        )
        calendar, (event,) = _vevents(
            ics_of(OutgoingMessage.objects.get(key=f"community.registration.{registration.pk}"))
        )
        self.assertEqual(event["dtstart"].dt.tzinfo.key, "Europe/Paris")
        self.assertEqual([str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")], ["Europe/Paris"])
        self.assertEqual(str(event["status"]), "CONFIRMED")
        uid = str(event["uid"])
        services.session_cancel(actor=self.staff, session=session)
        cancelled = OutgoingMessage.objects.get(
            key=f"community.cancelled.{session.pk}.{registration.pk}"
        )
        _, (after,) = _vevents(ics_of(cancelled))
        self.assertEqual(str(after["uid"]), uid)
        self.assertEqual(str(after["status"]), "CANCELLED")
        self.assertGreater(int(after["sequence"]), int(event["sequence"]))

    def test_the_public_feed_lists_sessions_and_filters_by_place(self):
        from placette.places.models import Place

        place = Place.objects.create(
            name="Café de Saou",
            kind="cafe",
            commune_code="26337",
            commune_name="Saou",
            postcode="26400",
        )
        here, elsewhere = session_make(), session_make()
        here.place = place
        here.save()
        response = Client().get(reverse("community_public:calendar"))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/calendar"))
        _, events = _vevents(response.content)
        self.assertEqual({str(e["uid"]) for e in events}, {here.ical_uid, elsewhere.ical_uid})
        _, events = _vevents(
            Client().get(reverse("community_public:calendar"), {"lieu": place.pk}).content
        )
        self.assertEqual([str(e["uid"]) for e in events], [here.ical_uid])
        self.assertIn("Café de Saou", str(events[0]["location"]))

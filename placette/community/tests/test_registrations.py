import datetime as dt

from django.utils import timezone

from placette.community import services
from placette.community.models import Registration, RegistrationStatus
from placette.community.tests.helpers import person, session_make
from placette.contacts.models import TimelineEntry
from placette.lib.models import OutgoingMessage
from placette.lib.refusals import Refusal
from placette.test import BaseTestCase


class RegistrationTests(BaseTestCase):
    def setUp(self):
        self.session = session_make(capacity=2)
        self.a, self.b, self.c = person("Ana"), person("Bob"), person("Cyd")

    def register(self, contact):
        return services.registration_create(actor=self.staff, session=self.session, contact=contact)

    def test_it_confirms_registrations_while_seats_remain_then_puts_people_on_the_waiting_list(
        self,
    ):
        first, second, third = self.register(self.a), self.register(self.b), self.register(self.c)
        self.assertEqual(first.status, RegistrationStatus.CONFIRMED)
        self.assertEqual(second.status, RegistrationStatus.CONFIRMED)
        self.assertEqual(third.status, RegistrationStatus.WAITING)
        waiting_mail = OutgoingMessage.objects.get(key=f"community.registration.{third.pk}")
        self.assertIn("liste d’attente", waiting_mail.subject.lower())
        self.assertTrue(
            TimelineEntry.objects.filter(
                contact=self.c, area="community", title__contains="attente"
            ).exists()
        )

    def test_it_refuses_registering_twice_and_changes_nothing(self):
        self.register(self.a)
        with self.assertRaises(Refusal) as caught:
            self.register(self.a)
        self.assertIn("déjà inscrit", str(caught.exception.messages[0]))
        self.assertEqual(Registration.objects.filter(contact=self.a).count(), 1)

    def test_a_freed_seat_goes_to_the_oldest_waiting_registration_who_gets_the_offer_with_its_ics(
        self,
    ):
        first = self.register(self.a)
        self.register(self.b)
        waiting_c = self.register(self.c)
        waiting_d = self.register(person("Dan"))
        promoted = services.registration_cancel(actor=self.staff, registration=first)
        self.assertEqual(promoted.pk, waiting_c.pk)
        waiting_c.refresh_from_db()
        waiting_d.refresh_from_db()
        self.assertEqual(waiting_c.status, RegistrationStatus.CONFIRMED)
        self.assertIsNotNone(waiting_c.promoted_at)
        self.assertEqual(waiting_d.status, RegistrationStatus.WAITING)
        offer = OutgoingMessage.objects.get(key=f"community.promoted.{waiting_c.pk}")
        self.assertTrue(any(a["mimetype"] == "text/calendar" for a in offer.attachments))

    def test_cancelling_a_waiting_registration_promotes_nobody(self):
        self.register(self.a)
        self.register(self.b)
        waiting = self.register(self.c)
        self.assertIsNone(services.registration_cancel(actor=self.staff, registration=waiting))
        with self.assertRaises(Refusal):
            services.registration_cancel(actor=self.staff, registration=waiting)

    def test_it_refuses_registering_to_a_cancelled_or_started_session(self):
        services.session_cancel(actor=self.staff, session=self.session)
        with self.assertRaises(Refusal):
            self.register(self.a)
        past = session_make(days=-1)
        with self.assertRaises(Refusal):
            services.registration_create(actor=self.staff, session=past, contact=self.a)
        self.assertFalse(Registration.objects.filter(contact=self.a).exists())

    def test_attendance_is_recorded_once_the_session_began_and_feeds_the_timeline(self):
        registration = self.register(self.a)
        with self.assertRaises(Refusal):
            services.attendance_record(
                actor=self.staff, session=self.session, present=[registration.pk]
            )
        self.session.starts_at = timezone.now() - dt.timedelta(hours=1)
        self.session.save()
        services.attendance_record(
            actor=self.staff, session=self.session, present=[registration.pk]
        )
        registration.refresh_from_db()
        self.assertTrue(registration.attended)
        entry = TimelineEntry.objects.get(contact=self.a, title__startswith="A participé")
        self.assertEqual(entry.at, self.session.starts_at)
        # recording again adds no second line
        services.attendance_record(
            actor=self.staff, session=self.session, present=[registration.pk]
        )
        self.assertEqual(
            TimelineEntry.objects.filter(contact=self.a, title__startswith="A participé").count(), 1
        )

    def test_feedback_comes_only_from_someone_who_attended_and_only_once(self):
        registration = self.register(self.a)
        with self.assertRaises(Refusal):
            services.feedback_give(actor=self.member, registration=registration, rating=5)
        Registration.objects.filter(pk=registration.pk).update(attended=True)
        services.feedback_give(
            actor=self.member, registration=registration, rating=4, comment=" Bien "
        )
        registration.refresh_from_db()
        self.assertEqual((registration.feedback_rating, registration.feedback_comment), (4, "Bien"))
        with self.assertRaises(Refusal):
            services.feedback_give(actor=self.member, registration=registration, rating=1)
        registration.refresh_from_db()
        self.assertEqual(registration.feedback_rating, 4)

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from placette.community import services
from placette.community.models import Event, Registration, RegistrationStatus, Session
from placette.community.tests.helpers import event_make, person, session_make
from placette.lib.models import OutgoingMessage
from placette.test import BaseTestCase


class StaffPermissionTests(BaseTestCase):
    def test_every_staff_page_is_for_the_team_only(self):
        session = session_make()
        registration = services.registration_create(
            actor=None, session=session, contact=person("Ana")
        )
        for name, args, method in [
            ("community:sessions", [], "get"),
            ("community:events", [], "get"),
            ("community:event", [session.event.pk], "get"),
            ("community:session", [session.pk], "get"),
            ("community:invitations", [session.pk], "get"),
            ("community:registration_add", [session.pk], "post"),
            ("community:attendance", [session.pk], "post"),
            ("community:reminders", [session.pk], "post"),
            ("community:session_cancel", [session.pk], "post"),
            ("community:registration_cancel", [registration.pk], "post"),
        ]:
            self.assert_staff_only(reverse(name, args=args), method=method)
        session.refresh_from_db()
        self.assertIsNone(session.cancelled_at)
        self.assertEqual(Registration.objects.get().status, RegistrationStatus.CONFIRMED)

    def test_member_pages_need_a_signed_in_account(self):
        session = session_make()
        for url, method in [
            (reverse("community_portal:home"), "get"),
            (reverse("community_portal:register", args=[session.pk]), "post"),
        ]:
            response = getattr(self.client, method)(url)
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(reverse("account_login")))
        self.assertFalse(Registration.objects.exists())


class StaffPageTests(BaseTestCase):
    def setUp(self):
        self.login(self.staff)

    def test_the_sessions_list_costs_the_same_queries_with_5_or_60_sessions(self):
        event = event_make()
        contact = person("Ana")

        def add(n):
            for _ in range(n):
                s = session_make(event, capacity=1)
                Registration.objects.create(
                    session=s, contact=contact, status="confirmed", source="staff"
                )

        self.assert_constant_queries(reverse("community:sessions"), add)

    def test_the_catalogue_and_an_event_page_keep_a_constant_query_count(self):
        self.assert_constant_queries(
            reverse("community:events"), lambda n: [event_make(f"E{i}") for i in range(n)]
        )
        event = event_make("Fixe")
        self.assert_constant_queries(
            reverse("community:event", args=[event.pk]),
            lambda n: [session_make(event) for _ in range(n)],
        )

    def test_the_team_creates_an_event_and_a_session_from_the_catalogue(self):
        response = self.client.post(
            reverse("community:events"),
            {"title": "Fresque du foncier", "kind": "event", "summary": ""},
        )
        event = Event.objects.get(title="Fresque du foncier")
        self.assertRedirects(response, event.get_absolute_url())
        starts = (timezone.localtime() + dt.timedelta(days=5)).replace(microsecond=0)
        response = self.client.post(
            event.get_absolute_url(),
            {
                "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (starts + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                "capacity": "12",
                "location": "Mairie",
            },
        )
        session = Session.objects.get(event=event)
        self.assertRedirects(response, session.get_absolute_url())
        bad = self.client.post(
            event.get_absolute_url(),
            {
                "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (starts - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                "capacity": "12",
            },
        )
        self.assertContains(bad, "La fin doit être après le début.")
        self.assertEqual(Session.objects.count(), 1)

    def test_the_team_registers_a_contact_then_a_second_registration_is_refused(self):
        session = session_make(capacity=1)
        ana = person("Ana")
        url = reverse("community:registration_add", args=[session.pk])
        self.client.post(url, {"contact": ana.pk})
        response = self.client.post(url, {"contact": ana.pk}, follow=True)
        self.assertContains(response, "déjà inscrit")
        self.assertEqual(Registration.objects.count(), 1)
        page = self.client.get(session.get_absolute_url())
        self.assertContains(page, ana.display_name)

    def test_invitations_ask_for_a_confirmation_with_the_count_and_a_preview_first(self):
        session = session_make()
        person("Oui", events=True)
        person("Non")
        url = reverse("community:invitations", args=[session.pk])
        page = self.client.get(url)
        self.assertContains(page, "Inviter 1 contact")
        self.assertContains(page, "Invitation")
        self.assertFalse(OutgoingMessage.objects.filter(kind="community.invitation").exists())
        self.client.post(url, {"confirm": "1"})
        self.assertEqual(OutgoingMessage.objects.filter(kind="community.invitation").count(), 1)

    def test_cancelling_a_session_needs_a_confirmation(self):
        session = session_make()
        url = reverse("community:session_cancel", args=[session.pk])
        self.assertContains(self.client.post(url), "Annuler la session")
        session.refresh_from_db()
        self.assertIsNone(session.cancelled_at)
        self.client.post(url, {"confirm": "1"})
        session.refresh_from_db()
        self.assertIsNotNone(session.cancelled_at)

    def test_attendance_is_recorded_from_the_session_page(self):
        session = session_make(capacity=3)
        registration = services.registration_create(
            actor=self.staff, session=session, contact=person("Ana")
        )
        Session.objects.filter(pk=session.pk).update(
            starts_at=timezone.now() - dt.timedelta(hours=1)
        )
        page = self.client.get(session.get_absolute_url())
        self.assertContains(page, "Enregistrer les présences")
        self.client.post(
            reverse("community:attendance", args=[session.pk]), {"present": [registration.pk]}
        )
        registration.refresh_from_db()
        self.assertTrue(registration.attended)


class MemberSpaceTests(BaseTestCase):
    def test_a_member_registers_for_a_full_session_lands_on_the_waiting_list_and_is_promoted(self):
        session = session_make(capacity=1)
        first = services.registration_create(actor=None, session=session, contact=person("Ana"))
        self.login(self.member)
        home = reverse("community_portal:home")
        self.assertContains(self.client.get(home), session.event.title)
        response = self.client.post(
            reverse("community_portal:register", args=[session.pk]), follow=True
        )
        self.assertContains(response, "liste d’attente")
        mine = Registration.objects.get(contact=self.member.contact)
        self.assertEqual(mine.status, RegistrationStatus.WAITING)
        services.registration_cancel(actor=self.staff, registration=first)
        mine.refresh_from_db()
        self.assertEqual(mine.status, RegistrationStatus.CONFIRMED)
        self.assertTrue(
            OutgoingMessage.objects.filter(
                key=f"community.promoted.{mine.pk}", to=self.member.email
            ).exists()
        )

    def test_a_member_cannot_cancel_someone_elses_registration(self):
        session = session_make()
        other = services.registration_create(
            actor=None, session=session, contact=self.other_member.contact
        )
        self.login(self.member)
        response = self.client.post(reverse("community_portal:cancel", args=[other.pk]))
        self.assertEqual(response.status_code, 404)
        other.refresh_from_db()
        self.assertEqual(other.status, RegistrationStatus.CONFIRMED)
        response = self.client.post(
            reverse("community_portal:feedback", args=[other.pk]), {"rating": 5}
        )
        self.assertEqual(response.status_code, 404)

    def test_a_member_cancels_and_gives_feedback_after_attending(self):
        session = session_make()
        mine = services.registration_create(
            actor=None, session=session, contact=self.member.contact
        )
        self.login(self.member)
        Registration.objects.filter(pk=mine.pk).update(attended=True)
        self.client.post(
            reverse("community_portal:feedback", args=[mine.pk]), {"rating": 5, "comment": "Top"}
        )
        mine.refresh_from_db()
        self.assertEqual(mine.feedback_rating, 5)
        self.client.post(reverse("community_portal:cancel", args=[mine.pk]))
        mine.refresh_from_db()
        self.assertEqual(mine.status, RegistrationStatus.CANCELLED)

    def test_the_member_space_lists_at_most_a_page_of_sessions_in_constant_queries(self):
        self.login(self.member)
        event = event_make()
        self.assert_constant_queries(
            reverse("community_portal:home"), lambda n: [session_make(event) for _ in range(n)]
        )

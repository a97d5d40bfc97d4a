"""Mass and irreversible actions of governance ask first, saying what and to how many; nothing
happens until the confirmation is posted."""

from django.core import mail
from django.urls import reverse

from placette.governance import services
from placette.governance.models import Attendance, Convocation, Meeting, MeetingStatus
from placette.governance.tests.helpers import make_ag, make_member, make_statutes, start
from placette.test import BaseTestCase, give_consent


class GovernanceConfirmationTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_member("Alice", "a")
        cls.bruno = make_member("Bruno", "b")
        cls.carla = make_member("Carla", "c", email="")
        give_consent(cls.alice)
        give_consent(cls.bruno)

    def setUp(self):
        self.login(self.staff)

    def test_convening_names_how_many_voters_by_email_and_by_letter_before_sending(self):
        meeting = make_ag()
        url = reverse("governance:convocation", args=[meeting.pk])
        page = self.client.post(url)
        self.assertContains(page, 'data-count="3"')
        self.assertContains(page, "2 par e-mail")
        self.assertContains(page, "1 par courrier")
        self.assertContains(page, "Convoquer 3 votants")
        self.assertContains(page, 'name="confirm" value="1"')
        # the email as Alice or Bruno will receive it
        self.assertContains(page, "Aperçu de l’e-mail")
        self.assertContains(page, "Convocation : AG 2025")
        self.assertContains(page, "Vous êtes convoqué·e à l’assemblée générale ordinaire")
        meeting.refresh_from_db()
        self.assertIsNone(meeting.convened_at)
        self.assertFalse(Convocation.objects.exists())
        self.assertEqual(mail.outbox, [])
        with self.captureOnCommitCallbacks(execute=True):
            page = self.client.post(url, {"test_send": "1"})
        self.assertContains(page, "E-mail d’essai envoyé à equipe@test.fr")
        [test] = mail.outbox
        self.assertEqual((test.to, test.subject), (["equipe@test.fr"], "Convocation : AG 2025"))
        self.assertIn("Bonjour Alice TEST", test.body)  # the first recipient's own email
        self.assertIsNone(Meeting.objects.get(pk=meeting.pk).convened_at)
        self.assertFalse(Convocation.objects.exists())
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            done = self.client.post(url, {"confirm": "1"}, follow=True)
        self.assertContains(done, "Réunion convoquée : 2 convocation(s) par e-mail")
        self.assertEqual(Convocation.objects.filter(meeting=meeting).count(), 3)
        self.assertEqual(len(mail.outbox), 2)

    def test_a_meeting_already_convened_offers_no_button(self):
        meeting = make_ag()
        services.meeting_convene(actor=None, meeting=meeting)
        page = self.client.post(reverse("governance:convocation", args=[meeting.pk]))
        self.assertContains(page, "La réunion est déjà convoquée.")
        self.assertNotContains(page, 'name="confirm"')

    def test_freezing_the_roll_again_says_how_many_votes_and_proxies_it_erases(self):
        meeting = make_ag()
        resolution = meeting.resolutions.get()
        services.ballot_cast(
            actor=None, meeting=meeting, voter=self.alice, choices={resolution: "yes"}
        )
        services.proxy_give(actor=None, meeting=meeting, giver=self.bruno, holder=self.alice)
        url = reverse("governance:roll_freeze", args=[meeting.pk])
        page = self.client.get(url)
        self.assertContains(page, 'data-count="3"')
        self.assertContains(page, "1 vote à distance déjà reçu sera effacé")
        self.assertContains(page, "1 pouvoir déjà donné sera effacé")
        self.assertContains(page, "Cette action ne peut pas être annulée.")
        self.client.post(url)  # the old button: lands on the confirmation, changes nothing
        self.assertEqual(meeting.resolutions.get().ballots.count(), 1)
        self.client.post(url, {"confirm": "1"})
        self.assertEqual(meeting.resolutions.get().ballots.count(), 0)

    def test_reminders_name_who_has_not_acted_and_send_only_once_confirmed(self):
        meeting = make_ag()
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=meeting)
        resolution = meeting.resolutions.get()
        services.ballot_cast(
            actor=None, meeting=meeting, voter=self.alice, choices={resolution: "yes"}
        )
        mail.outbox.clear()
        url = reverse("governance:reminders", args=[meeting.pk])
        page = self.client.post(url)
        self.assertContains(page, 'data-count="1"')
        self.assertContains(page, "Relancer 1 votant")
        self.assertContains(page, "Rappel : AG 2025")
        self.assertContains(page, "Bruno TEST")
        self.assertEqual(mail.outbox, [])
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {"confirm": "1"})
        self.assertEqual([m.to for m in mail.outbox], [["bruno@exemple.fr"]])
        page = self.client.get(url)
        self.assertContains(page, "Personne n’est à relancer.")
        self.assertNotContains(page, 'name="confirm"')

    def test_marking_letters_posted_names_how_many_letters(self):
        meeting = make_ag()
        services.meeting_convene(actor=None, meeting=meeting)
        url = reverse("governance:letters_posted", args=[meeting.pk])
        page = self.client.post(url)
        self.assertContains(page, "Noter 1 lettre postée aujourd’hui")
        self.assertFalse(Convocation.objects.filter(sent_at__isnull=False, email="").exists())
        self.client.post(url, {"confirm": "1"})
        self.assertTrue(Convocation.objects.filter(sent_at__isnull=False, email="").exists())

    def test_closing_the_meeting_asks_first_and_refuses_while_a_vote_is_open(self):
        meeting = make_ag()
        services.meeting_convene(actor=None, meeting=meeting)
        meeting = start(meeting)
        services.attendance_set(
            actor=None, meeting=meeting, entry=meeting.roll.get(contact=self.carla), mode="present"
        )
        url = reverse("governance:meeting_close", args=[meeting.pk])
        page = self.client.post(url)
        self.assertContains(page, "Clôturez d’abord le vote des résolutions n° 1.")
        self.assertNotContains(page, 'name="confirm"')
        services.resolution_close(actor=None, resolution=meeting.resolutions.get())
        page = self.client.post(url)
        self.assertContains(page, 'data-count="1"')
        self.assertContains(page, "votant présent ou à distance, sur 3")
        self.assertEqual(Meeting.objects.get(pk=meeting.pk).status, meeting.status)
        self.client.post(url, {"confirm": "1"})
        self.assertEqual(Meeting.objects.get(pk=meeting.pk).status, MeetingStatus.CLOSED)
        self.assertEqual(Attendance.PRESENT, meeting.roll.get(contact=self.carla).attendance)

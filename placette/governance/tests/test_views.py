"""Every page: who gets in, who is refused; the pages render on real data; PDFs; exports."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placette.contacts.models import ConsentPurpose
from placette.contacts.services import consent_purpose
from placette.governance import services
from placette.governance.models import Decision, Meeting
from placette.governance.tests.helpers import ag_body, make_ag, make_member, make_statutes, start
from placette.lib.models import Job
from placette.lib.testing import pdf_text
from placette.test import BaseTestCase


class ViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_member("Alice", "a")
        cls.arthur = make_member("Arthur", "a")
        cls.bruno = make_member("Bruno", "b")
        cls.carla = make_member("Carla", "c")
        # the persona "member" is a member on the roll; "other_member" is not
        make_member("Marc", "b", contact=cls.member.contact)

    def closed_meeting(self) -> Meeting:
        meeting = make_ag()
        resolution = meeting.resolutions.get()
        services.ballot_cast(
            actor=None, meeting=meeting, voter=self.alice, choices={resolution: "yes"}
        )
        services.proxy_give(actor=None, meeting=meeting, giver=self.bruno, holder=self.carla)
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=meeting)
        meeting = start(meeting)
        services.attendance_set(
            actor=None, meeting=meeting, entry=meeting.roll.get(contact=self.carla), mode="present"
        )
        services.hands_record(
            actor=None,
            resolution=resolution,
            counts={
                "Bénéficiaires individuels": (1, 0, 0),
                "Bénéficiaires professionnels et collectivités": (0, 1, 0),
            },
        )
        services.resolution_close(actor=None, resolution=resolution)
        services.meeting_close(actor=None, meeting=meeting)
        return meeting

    def staff_urls(self, meeting):
        resolution = meeting.resolutions.get()
        decision = Decision.objects.first()
        urls = [
            reverse("governance:meetings"),
            reverse("governance:meeting_create"),
            reverse("governance:meeting", args=[meeting.pk]),
            reverse("governance:meeting_edit", args=[meeting.pk]),
            reverse("governance:roll", args=[meeting.pk]),
            reverse("governance:convocation", args=[meeting.pk]),
            reverse("governance:letters_pdf", args=[meeting.pk]),
            reverse("governance:attendance", args=[meeting.pk]),
            reverse("governance:quorum", args=[meeting.pk]),
            reverse("governance:results", args=[meeting.pk]),
            reverse("governance:minutes", args=[meeting.pk]),
            reverse("governance:minutes_pdf", args=[meeting.pk]),
            reverse("governance:attendance_pdf", args=[meeting.pk]),
            reverse("governance:resolution", args=[resolution.pk]),
            reverse("governance:resolution_live", args=[resolution.pk]),
            reverse("governance:decisions"),
            reverse("governance:bodies"),
            reverse("governance:body", args=[ag_body().pk]),
            reverse("governance:evaluation"),
            reverse("governance:evaluation_export", args=["csv"]),
            reverse("governance:evaluation_export", args=["xlsx"]),
        ]
        if decision:
            urls.append(reverse("governance:decision", args=[decision.pk]))
        return urls

    def test_every_staff_page_is_staff_only_and_renders_for_the_team(self):
        meeting = self.closed_meeting()
        posts = [
            reverse("governance:agenda_add", args=[meeting.pk]),
            reverse("governance:resolution_add", args=[meeting.pk]),
            reverse("governance:document_add", args=[meeting.pk]),
            reverse("governance:roll_freeze", args=[meeting.pk]),
            reverse("governance:reminders", args=[meeting.pk]),
            reverse("governance:letters_posted", args=[meeting.pk]),
            reverse("governance:meeting_close", args=[meeting.pk]),
            reverse("governance:decision_add", args=[meeting.pk]),
            reverse("governance:ballot_record", args=[meeting.resolutions.get().pk]),
            reverse("governance:resolution_close", args=[meeting.resolutions.get().pk]),
        ]
        for url in self.staff_urls(meeting):
            self.assert_staff_only(url)
            self.login(self.staff)
            self.assertEqual(self.client.get(url).status_code, 200, url)
        for url in posts:
            self.assert_staff_only(url, method="post")

    def test_the_pv_and_attendance_sheet_pdfs_carry_the_result(self):
        meeting = self.closed_meeting()
        self.login(self.staff)
        text = pdf_text(
            self.client.get(reverse("governance:minutes_pdf", args=[meeting.pk])).content
        )
        self.assertIn("Procès-verbal", text)
        self.assertIn("Adoptée", text)
        self.assertIn("Bénéficiaires individuels", text)
        sheet = pdf_text(self.job_file(reverse("governance:attendance_pdf", args=[meeting.pk])))
        self.assertIn("Feuille de présence", sheet)
        self.assertIn("Carla", sheet)

    def job_file(self, url: str) -> bytes:
        """Start the background job of `url` as its button does; the file it produced."""
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"confirm": "1"})
        job = Job.objects.latest("pk")
        self.assertRedirects(response, reverse("jobs:detail", args=[job.pk]))
        self.assertEqual(job.status, "done")
        download = self.client.get(reverse("jobs:download", args=[job.pk]))
        job.result.file.delete(save=False)
        return b"".join(download.streaming_content)

    def test_the_letters_and_the_attendance_sheet_are_produced_in_the_background(self):
        meeting = self.closed_meeting()
        self.login(self.staff)
        page = self.client.get(reverse("governance:letters_pdf", args=[meeting.pk]))
        self.assertContains(page, "lettres de convocation seront mises en page en arrière-plan")
        page = self.client.get(reverse("governance:attendance_pdf", args=[meeting.pk]))
        self.assertContains(page, "des 5 votants de la liste")
        self.assertFalse(Job.objects.exists())  # nothing starts on GET
        letters = pdf_text(self.job_file(reverse("governance:letters_pdf", args=[meeting.pk])))
        self.assertIn("Madame, Monsieur", letters)
        self.assertEqual(Job.objects.get().kind, "governance.letters_pdf")

    def test_the_decision_register_keeps_a_constant_number_of_queries(self):
        self.closed_meeting()
        self.login(self.staff)
        url = reverse("governance:decisions")
        with CaptureQueriesContext(connection) as one:
            self.client.get(url)
        for i in range(5):
            d = services.decision_record(
                actor=None, meeting=Meeting.objects.first(), title=f"Décision {i}"
            )
            services.action_add(actor=None, decision=d, title="Suivre")
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url, {"q": "decision"})
        self.assertEqual(len(one), len(many))
        self.assertContains(response, "Décision 4")

    def test_member_pages_refuse_anonymous_users_and_members_not_on_the_roll(self):
        meeting = make_ag()
        url = reverse("governance_portal:meeting", args=[meeting.pk])
        self.assertEqual(self.client.get(url).status_code, 302)
        self.assertEqual(self.client.get(reverse("governance_portal:home")).status_code, 302)
        self.login(self.other_member)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(
            self.client.post(reverse("governance_portal:vote", args=[meeting.pk])).status_code, 403
        )
        self.assertEqual(
            self.client.post(reverse("governance_portal:proxy", args=[meeting.pk])).status_code, 403
        )
        self.login(self.member)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.get(reverse("governance_portal:home")).status_code, 200)
        self.assertEqual(self.client.get(reverse("portal:home")).status_code, 200)

    def test_a_member_votes_and_gives_a_consent_from_the_members_space(self):
        meeting = make_ag()
        resolution = meeting.resolutions.get()
        self.login(self.member)
        response = self.client.post(
            reverse("governance_portal:vote", args=[meeting.pk]),
            {f"r{resolution.pk}": "no"},
            follow=True,
        )
        self.assertContains(response, "Votre vote est enregistré")
        self.assertEqual(resolution.ballots.get().choice, "no")
        purpose = consent_purpose(ConsentPurpose.AG_CONVOCATION)
        response = self.client.post(
            reverse("contacts_portal:consents"),
            {
                "purpose": purpose.code,
                "given": "1",
                "version": purpose.version,
                "next": reverse("governance_portal:home"),
            },
            follow=True,
        )
        self.assertContains(response, "Vous êtes convoqué·e par e-mail")

    def test_a_late_vote_shows_a_clear_message_and_records_nothing(self):
        meeting = make_ag()
        start(meeting)
        resolution = meeting.resolutions.get()
        self.login(self.member)
        response = self.client.post(
            reverse("governance_portal:vote", args=[meeting.pk]),
            {f"r{resolution.pk}": "yes"},
            follow=True,
        )
        self.assertEqual(resolution.ballots.count(), 0)
        self.assertContains(response, "pas ouvert")

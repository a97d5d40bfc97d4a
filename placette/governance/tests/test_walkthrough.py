"""Issue 11 « done when », end to end through the views (cheap, no browser): a member without
an e-mail is convened by letter and returns a paper proxy that staff record; the holder checks
in by QR code, the chair opens the vote, the holder votes from their phone for themselves and
for the giver; the vote is closed and weighted per college; the PV PDF carries the result.

Colleges A 2/5 and B 1/4 vote (C and D are empty: their weight is shared, « redistribute »).
Arthur (A, by proxy to Marc) yes, Alice (A, online) no, Marc (B, live) yes:
A 1/2, B 1 → (2/5 · 1/2 + 1/4 · 1) / (2/5 + 1/4) = (9/20) / (13/20) = 9/13, adopted.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from placette.contacts.models import TimelineEntry
from placette.governance import live, services
from placette.governance.models import Attendance, Convocation, Proxy
from placette.governance.tests.helpers import make_ag, make_member, make_statutes, start
from placette.lib.models import AuditEntry, Job
from placette.lib.testing import PDF, pdf_text
from placette.test import BaseTestCase


class WalkthroughTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.arthur = make_member("Arthur", "a", email="")
        cls.alice = make_member("Alice", "a")
        make_member("Marc", "b", contact=cls.member.contact)
        cls.marc = cls.member.contact

    def job_file(self, url: str) -> bytes:
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {"confirm": "1"})
        job = Job.objects.latest("pk")
        self.assertEqual(job.status, "done")
        download = self.client.get(reverse("jobs:download", args=[job.pk]))
        job.result.file.delete(save=False)
        return b"".join(download.streaming_content)

    def test_a_letter_a_paper_proxy_a_qr_check_in_a_live_vote_and_the_pv(self):
        meeting = make_ag(resolutions=1)
        resolution = meeting.resolutions.get()
        services.ballot_cast(
            actor=None, meeting=meeting, voter=self.alice, choices={resolution: "no"}
        )
        # The convocation: Arthur has no e-mail, he is convened by letter.
        self.login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("governance:convocation", args=[meeting.pk]), {"confirm": "1"})
        meeting.refresh_from_db()
        self.assertIsNotNone(meeting.convened_at)
        self.assertEqual(Convocation.objects.get(contact=self.arthur).channel, "letter")
        letters = pdf_text(self.job_file(reverse("governance:letters_pdf", args=[meeting.pk])))
        self.assertIn("Arthur", letters)
        self.assertIn("Approbation des comptes 1", letters)
        # His paper proxy to Marc comes back by post; staff record it with the scanned form.
        arthur = meeting.roll.get(contact=self.arthur)
        marc = meeting.roll.get(contact=self.marc)
        paper = reverse("governance:paper", args=[meeting.pk])
        response = self.client.post(
            paper,
            {
                "action": "proxy",
                "giver": arthur.pk,
                "holder": marc.pk,
                "to": "member",
                "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "file": SimpleUploadedFile("pouvoir.pdf", PDF),
            },
        )
        self.assertRedirects(response, paper)
        self.assertEqual(Proxy.objects.get(giver=arthur).source, "paper")
        # The meeting day: the desk scans Marc's QR code.
        meeting = start(meeting)
        self.client.post(reverse("governance:live_checkin_code", args=[live.checkin_token(marc)]))
        marc.refresh_from_db()
        self.assertEqual(marc.attendance, Attendance.PRESENT)
        item = f"r:{resolution.pk}"
        self.client.post(
            reverse("governance:live_open", args=[meeting.pk]), {"item": item, "minutes": "3"}
        )
        # Marc votes from his phone, for himself and for Arthur.
        self.login(self.member)
        session = reverse("governance_portal:live_session", args=[meeting.pk])
        self.assertContains(self.client.get(session), "Arthur")
        vote = reverse("governance_portal:live_vote", args=[meeting.pk])
        for entry in (marc, arthur):
            self.client.post(vote, {"item": item, "for": entry.pk, "choice": "yes"})
        # The chair closes the vote; the result is weighted per college.
        self.login(self.staff)
        self.client.post(reverse("governance:live_close", args=[meeting.pk]), {"item": item})
        resolution.refresh_from_db()
        self.assertTrue(resolution.adopted)
        self.assertEqual(resolution.result["yes_share"], "9/13")
        self.assertEqual(resolution.result["counts"]["Bénévoles et salariés"]["yes"], 1)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("governance:meeting_close", args=[meeting.pk]), {"confirm": "1"}
            )
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, "closed")
        pv = pdf_text(self.client.get(reverse("governance:minutes_pdf", args=[meeting.pk])).content)
        self.assertNotIn("PROJET", pv)
        for fragment in ("Procès-verbal", "Adoptée", "9/13", "Bénévoles et salariés", "Signatures"):
            self.assertIn(fragment, pv)
        # No vote choice on any timeline or audit entry.
        texts = " ".join(f"{t} {b}" for t, b in TimelineEntry.objects.values_list("title", "body"))
        self.assertIn("A voté en séance par pouvoir", texts)
        self.assertNotRegex(texts, r"\b(pour|contre|abstention)\b")
        for audit in AuditEntry.objects.filter(action__startswith="governance."):
            self.assertFalse({"choice", "choices"} & set(audit.details), audit.action)

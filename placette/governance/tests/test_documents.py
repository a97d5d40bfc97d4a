"""Meeting documents (issue 8 piece 4, issue 9 "stored XSS through uploads"): stored through
placette.lib.documents, read by the voters once the meeting is convened, never served inline
when they could run a script."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from placette.governance import services
from placette.governance.models import MeetingDocument
from placette.governance.tests.helpers import make_ag, make_member, make_statutes
from placette.lib.models import Document
from placette.lib.testing import HTML, PDF, SVG
from placette.test import BaseTestCase


@override_settings(DEBUG=False)
class MeetingDocumentTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        make_member("Alice", "a")
        # the persona "member" is on the roll; "other_member" and the board member are not
        make_member("Marc", "b", contact=cls.member.contact)

    def setUp(self):
        self.meeting = make_ag()

    def attach(self, name: str, content: bytes, title: str = "Rapport de gestion"):
        self.login(self.staff)
        return self.client.post(
            reverse("governance:document_add", args=[self.meeting.pk]),
            {
                "doc-title": title,
                "doc-file": SimpleUploadedFile(name, content),
                # published from today (the legal date, 15 days before, is later)
                "doc-published_on": timezone.localdate().isoformat(),
            },
            follow=True,
        )

    def download_status(self, user, document: MeetingDocument) -> int:
        self.client.logout()
        if user is not None:
            self.login(user)
        return self.client.get(document.document.get_absolute_url()).status_code

    def convene(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=self.meeting)

    def test_staff_attach_a_pdf_kept_as_a_lib_document_scoped_to_the_meeting(self):
        self.attach("rapport.pdf", PDF)
        document = MeetingDocument.objects.get(meeting=self.meeting)
        self.assertEqual(document.title, "Rapport de gestion")
        self.assertEqual(document.document.scope, "governance.meeting")
        self.assertEqual(document.document.scope_id, self.meeting.pk)
        self.assertEqual(document.document.content_type, "application/pdf")
        self.assertEqual(document.document.uploaded_by, self.staff)
        self.assertEqual(document.document.read(), PDF)

    def test_an_html_or_svg_attachment_is_refused_with_a_french_message_and_nothing_is_kept(self):
        for name, content in (("convocation.html", HTML), ("logo.svg", SVG)):
            response = self.attach(name, content)
            self.assertContains(response, "n’est pas d’un type accepté")
        self.assertFalse(MeetingDocument.objects.exists())
        self.assertFalse(Document.objects.exists())

    def test_who_may_download_a_meeting_document_before_and_after_the_convocation(self):
        self.attach("rapport.pdf", PDF)
        document = MeetingDocument.objects.get()
        # Before the convocation: a draft only the team reads.
        expected = {
            None: 302,
            self.member: 404,
            self.other_member: 404,
            self.board_member: 404,
            self.activity_holder: 404,
            self.staff: 200,
            self.staff_admin: 200,
        }
        for user, status in expected.items():
            self.assertEqual(self.download_status(user, document), status, user)
        # Once convened: the voters on the roll read it, nobody else does.
        self.convene()
        expected[self.member] = 200
        for user, status in expected.items():
            self.assertEqual(self.download_status(user, document), status, user)

    def test_the_member_space_lists_the_documents_once_the_meeting_is_convened(self):
        self.attach("rapport.pdf", PDF)
        document = MeetingDocument.objects.get()
        page = reverse("governance_portal:meeting", args=[self.meeting.pk])
        # the member opens it through their space, which records who opened it
        link = reverse("governance_portal:document", args=[self.meeting.pk, document.pk])
        self.login(self.member)
        self.assertNotContains(self.client.get(page), link)
        self.convene()
        self.login(self.member)
        self.assertContains(self.client.get(page), link)

    def test_the_meeting_page_links_the_guarded_download_and_never_a_media_url(self):
        self.attach("rapport.pdf", PDF)
        response = self.client.get(reverse("governance:meeting", args=[self.meeting.pk]))
        self.assertContains(response, MeetingDocument.objects.get().document.get_absolute_url())
        self.assertNotContains(response, "/media/")

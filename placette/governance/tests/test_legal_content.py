"""Issue 11, the legal content of the convocation, the attendance sheet and the PV, read back
with independent readers (the `email` package for the mail, pypdf for the PDFs)."""

import datetime as dt
import email
import email.policy

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from placette.governance import deadlines, pdfs, services
from placette.governance.models import Convocation, DocumentOpening, Meeting
from placette.governance.tests.helpers import make_ag, make_member, make_statutes, start
from placette.lib.testing import PDF, pdf_text
from placette.test import BaseTestCase, give_consent

RESOLUTION_TEXT = "L’assemblée approuve les comptes de l’exercice clos le 31 décembre."


class LegalContentTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes(
            legal_form="SA",
            seat="12 rue des Tanneurs, 26400 Crest",
            registration="RCS Romans 912 345 678",
        )
        cls.alice = make_member("Alice", "a")
        cls.bruno = make_member("Bruno", "b")
        cls.carla = make_member("Carla", "c")
        # the persona "member" is on the roll
        make_member("Marc", "b", contact=cls.member.contact)
        give_consent(cls.alice)

    def setUp(self):
        self.meeting = make_ag(resolutions=0, freeze=False)
        services.agenda_item_add(actor=None, meeting=self.meeting, title="Comptes 2025")
        services.resolution_add(
            actor=None, meeting=self.meeting, title="Approbation des comptes", text=RESOLUTION_TEXT
        )
        services.roll_freeze(actor=None, meeting=self.meeting)
        self.meeting.refresh_from_db()

    def convene(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_convene(actor=None, meeting=self.meeting)
        self.meeting.refresh_from_db()

    def test_the_convocation_email_carries_the_legal_content(self):
        self.convene()
        (sent,) = mail.outbox
        parsed = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
        text = parsed.get_body(preferencelist=("plain",)).get_content()
        html = parsed.get_body(preferencelist=("html",)).get_content()
        for body in (text, html):
            self.assertIn("société anonyme à capital variable", body)
            self.assertIn("12 rue des Tanneurs, 26400 Crest", body)
            self.assertIn("RCS Romans 912 345 678", body)
            self.assertIn("Comptes 2025", body)
            self.assertIn(RESOLUTION_TEXT.replace("’", "’"), body.replace("&#x27;", "'"))
            self.assertIn("L225-108", body)
        last = deadlines.paper_form_last_day(self.meeting)
        self.assertIn(f"reçu au plus tard le {date_format(last, 'l j F Y')}", text)

    def test_the_letter_carries_the_resolution_text_and_the_paper_form(self):
        self.convene()
        text = " ".join(pdf_text(pdfs.letters_pdf(self.meeting)).split())
        self.assertIn("Texte des résolutions proposées", text)
        self.assertIn("approuve les comptes de l’exercice clos", text)
        self.assertIn("Formulaire de vote par correspondance ou par procuration", text)
        self.assertIn("joint à ce courrier", text)
        self.assertIn("12 rue des Tanneurs", text)
        self.assertIn("à capital variable", text)
        self.assertIn("Questions écrites", text)

    def test_an_email_refused_by_the_relay_turns_into_a_letter(self):
        self.convene()
        convocation = Convocation.objects.get(contact=self.alice)
        from placette.lib.models import OutgoingMessage

        message = OutgoingMessage.objects.get(key__endswith=f":{convocation.pk}")
        message.to = "alice@exemple.fr"
        message.error = "550 Mailbox unavailable"
        convocation.mail_failed(message)
        convocation.refresh_from_db()
        self.assertEqual(convocation.channel, "letter")
        self.assertIsNotNone(convocation.email_refused_at)
        self.assertIn(convocation, list(pdfs.letters(self.meeting)))

    def test_documents_are_published_at_the_legal_date_and_who_opened_them_is_kept(self):
        self.convene()
        legal = deadlines.documents_published_on(self.meeting)
        later = services.meeting_document_add(
            actor=self.staff,
            meeting=self.meeting,
            title="Rapport de gestion",
            file=SimpleUploadedFile("rapport.pdf", PDF),
        )
        self.assertEqual(later.published_on, legal)
        self.assertFalse(services.documents_published(self.meeting).exists())
        now = services.meeting_document_add(
            actor=self.staff,
            meeting=self.meeting,
            title="Comptes annuels",
            file=SimpleUploadedFile("comptes.pdf", PDF),
            published_on=timezone.localdate(),
        )
        self.login(self.member)
        url = reverse("governance_portal:document", args=[self.meeting.pk, now.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(
            self.client.get(
                reverse("governance_portal:document", args=[self.meeting.pk, later.pk])
            ).status_code,
            404,
        )
        opening = DocumentOpening.objects.get()
        self.assertEqual((opening.document, opening.contact), (now, self.member.contact))

    def test_a_document_published_after_the_legal_date_is_refused(self):
        legal = deadlines.documents_published_on(self.meeting)
        with self.assertRaises(services.Refusal) as ctx:
            services.meeting_document_add(
                actor=self.staff,
                meeting=self.meeting,
                title="Rapport",
                file=SimpleUploadedFile("rapport.pdf", PDF),
                published_on=legal + dt.timedelta(days=1),
            )
        self.assertIn("au plus tard le", ctx.exception.message)
        self.assertFalse(self.meeting.documents.exists())

    def test_the_pv_of_a_meeting_not_yet_held_is_a_draft_that_never_says_adopted(self):
        self.convene()
        services.meeting_update(
            actor=None, meeting=self.meeting, data={"chair": self.alice, "secretary": self.bruno}
        )
        self.login(self.staff)
        text = pdf_text(
            self.client.get(reverse("governance:minutes_pdf", args=[self.meeting.pk])).content
        )
        self.assertIn("PROJET", text)
        self.assertIn("Vote non clos", text)
        self.assertNotIn("Adoptée", text)
        self.assertNotIn("adoptée", text.replace("dite adoptée", ""))

    def test_the_pv_names_the_bureau_the_documents_the_quorum_and_each_result(self):
        self.convene()
        services.meeting_document_add(
            actor=self.staff,
            meeting=self.meeting,
            title="Rapport de gestion 2025",
            file=SimpleUploadedFile("rapport.pdf", PDF),
        )
        meeting = start(self.meeting)
        for contact in (self.alice, self.bruno, self.carla):
            services.attendance_set(
                actor=None, meeting=meeting, entry=meeting.roll.get(contact=contact), mode="present"
            )
        meeting.chair, meeting.secretary = self.alice, self.bruno
        meeting.save()
        meeting.scrutineers.set([self.carla, self.member.contact])
        resolution = meeting.resolutions.get()
        for contact, choice in ((self.alice, "yes"), (self.bruno, "yes"), (self.carla, "no")):
            services.ballot_record(
                actor=None,
                resolution=resolution,
                voter=meeting.roll.get(contact=contact),
                choice=choice,
            )
        services.resolution_close(actor=None, resolution=resolution)
        services.meeting_close(actor=None, meeting=meeting)
        self.login(self.staff)
        text = " ".join(
            pdf_text(
                self.client.get(reverse("governance:minutes_pdf", args=[meeting.pk])).content
            ).split()
        )
        self.assertNotIn("PROJET", text)
        self.assertIn("Scrutateurs : Marc MEMBRE, Carla TEST", text)
        self.assertIn("Présidence de séance : Alice TEST", text)
        self.assertIn("Secrétaire : Bruno TEST", text)
        self.assertIn("Rapport de gestion 2025", text)
        self.assertIn("Quorum requis", text)
        self.assertIn("Bénévoles et salariés", text)
        self.assertIn("Adoptée", text)
        self.assertIn("Signatures", text)

    def test_the_attendance_sheet_carries_domiciles_proxies_forms_and_the_bureau(self):
        self.alice.address_line1 = "3 place du Marché"
        self.alice.postcode, self.alice.commune_name = "26220", "Dieulefit"
        self.alice.save()
        services.proxy_give(actor=None, meeting=self.meeting, giver=self.bruno, holder=self.alice)
        self.convene()
        services.postal_form_record(
            actor=self.staff,
            meeting=self.meeting,
            voter=self.meeting.roll.get(contact=self.carla),
            choices={self.meeting.resolutions.get(): "yes"},
            received_on=timezone.localdate(),
        )
        Meeting.objects.filter(pk=self.meeting.pk).update(chair=self.alice)
        self.meeting.refresh_from_db()
        text = " ".join(pdf_text(pdfs.attendance_pdf(self.meeting)).split())
        self.assertIn("3 place du Marché, 26220 Dieulefit", text)
        self.assertIn("pouvoir à Alice TEST", text)
        self.assertIn("formulaire papier", text)
        self.assertIn("Certification par le bureau", text)

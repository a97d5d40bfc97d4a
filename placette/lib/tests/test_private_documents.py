"""Issue 9 blocker 3, proved: no private file is readable without the right role, with DEBUG on
and off. Every kind of stored document (a member's own PDF, the register's CSV and PDF, a
meeting's published and draft documents, a scanned paper form, a place's document, a background
job's file, a study mission's file) is asked for by every persona, through the one download view
and through the bare `/media/` and private-storage paths, with the URLconf rebuilt under each
DEBUG value (a `static()` route added in DEBUG would be caught)."""

import importlib
import sys
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import clear_url_caches
from django.utils import timezone

from placette.accounts.models import Role, User
from placette.contacts.services import affiliation_add
from placette.governance import services as governance
from placette.governance.tests.helpers import make_ag, make_member, make_statutes
from placette.lib import documents
from placette.lib.documents import JOB_SCOPE, document_store
from placette.lib.jobs import JobResult, job_start
from placette.lib.models import Document
from placette.lib.testing import PDF
from placette.membership.documents import REGISTER_SCOPE
from placette.places.services import place_document_add
from placette.places.tests.helpers import make_activity, make_place, make_tenant
from placette.test import BaseTestCase

CSV = "Numéro;Nom\n1;Alice MARTIN\n".encode()
HERE = "placette.lib.tests.test_private_documents"

# Scopes this test covers; a reader registered for a new scope must be added here.
COVERED_SCOPES = {"", REGISTER_SCOPE, "governance.meeting", "governance.form", "places.place"}
COVERED_SCOPES |= {JOB_SCOPE, "studies.mission"}


def export_job(job) -> JobResult:
    return JobResult(filename="contacts.csv", content=CSV, content_type="text/csv")


def _urlconf_reloaded() -> None:
    """Rebuild the URLconf under the current settings (DEBUG included)."""
    clear_url_caches()
    importlib.reload(sys.modules[settings.ROOT_URLCONF])
    clear_url_caches()


class PrivateDocumentMatrixTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.colleague = User.objects.create_user("collegue@test.fr", "x", role=Role.STAFF)
        make_statutes()
        make_member("Marc", "b", contact=cls.member.contact)  # on the roll

    def setUp(self):
        def store(name: str, content: bytes, kind: str, **fields) -> Document:
            return document_store(content=content, name=name, content_type=kind, **fields)

        meeting = make_ag()
        with self.captureOnCommitCallbacks(execute=True):
            governance.meeting_convene(actor=None, meeting=meeting)
        published = governance.meeting_document_add(
            actor=self.staff,
            meeting=meeting,
            title="Rapport de gestion",
            file=SimpleUploadedFile("rapport.pdf", PDF),
            published_on=timezone.localdate(),
        )
        draft = make_ag()  # not convened: its documents are drafts of the team
        draft_doc = governance.meeting_document_add(
            actor=self.staff, meeting=draft, title="Projet", file=SimpleUploadedFile("p.pdf", PDF)
        )
        place = make_place()
        tenant = make_tenant()
        affiliation_add(
            actor=None, person=self.activity_holder.contact, organisation=tenant, role="gérante"
        )
        make_activity(place, tenant=tenant)
        place_doc = place_document_add(
            actor=self.staff,
            place=place,
            kind="deed",
            title="Acte",
            file=SimpleUploadedFile("acte.pdf", PDF),
        )
        with self.captureOnCommitCallbacks(execute=True):
            job = job_start(
                kind="test.export",
                label="Export",
                actor=self.staff,
                func_path=f"{HERE}.export_job",
                kwargs={},
            )
        job.refresh_from_db()

        anyone_on_team = {self.staff, self.colleague, self.staff_admin}
        # document → the personas who read it (everyone else: 404, anonymous: sign-in page)
        self.expected = {
            "certificat du sociétaire": (
                store("certificat.pdf", PDF, "application/pdf", owner=self.member.contact),
                anyone_on_team | {self.member},
            ),
            "registre CSV": (
                store("registre.csv", CSV, "text/csv", scope=REGISTER_SCOPE),
                anyone_on_team,
            ),
            "registre PDF": (
                store("registre.pdf", PDF, "application/pdf", scope=REGISTER_SCOPE),
                anyone_on_team,
            ),
            "document publié d’AG": (published.document, anyone_on_team | {self.member}),
            "document d’AG non convoquée": (draft_doc.document, anyone_on_team),
            "formulaire papier scanné": (
                store("vote.pdf", PDF, "application/pdf", scope="governance.form"),
                anyone_on_team,
            ),
            "document du lieu": (place_doc.document, anyone_on_team | {self.activity_holder}),
            "fichier d’un travail": (job.result, {self.staff, self.staff_admin}),
            "livrable d’étude": (
                store("etude.pdf", PDF, "application/pdf", scope="studies.mission"),
                anyone_on_team,
            ),
        }
        self.personas = [
            self.member,
            self.other_member,
            self.board_member,
            self.activity_holder,
            self.staff,
            self.colleague,
            self.staff_admin,
        ]

    def tearDown(self):
        for document in Document.objects.all():
            document.file.delete(save=False)
        _urlconf_reloaded()

    def test_every_registered_scope_is_covered_by_this_matrix(self):
        registered = set(documents._READERS) | set(documents._TEAM_READERS)
        self.assertLessEqual(registered, COVERED_SCOPES)
        self.assertEqual({d.scope for d, _r in self.expected.values()}, COVERED_SCOPES)

    def check_matrix(self) -> None:
        for label, (document, readers) in self.expected.items():
            url = document.get_absolute_url()
            self.client.logout()
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, f"{label}: anonyme")
            for persona in self.personas:
                self.login(persona)
                response = self.client.get(url)
                status = 200 if persona in readers else 404
                self.assertEqual(response.status_code, status, f"{label}: {persona}")
                if status == 200:
                    self.assertEqual(b"".join(response.streaming_content), document.read())
                    self.assertEqual(response["Cache-Control"], "private, no-store")

    def check_no_bare_path(self) -> None:
        media = Path(settings.MEDIA_ROOT).resolve()
        for label, (document, _readers) in self.expected.items():
            path = Path(document.file.path).resolve()
            self.assertFalse(path.is_relative_to(media), f"{label} stored under MEDIA_ROOT")
            name = document.file.name
            for persona in (None, self.member, self.staff_admin):
                self.client.logout()
                if persona is not None:
                    self.login(persona)
                for bare in (f"/media/{name}", f"/private/{name}", f"/{name}"):
                    self.assertEqual(self.client.get(bare).status_code, 404, f"{label} {bare}")

    def test_no_private_file_is_readable_without_the_right_role_with_debug_off(self):
        with override_settings(DEBUG=False):
            _urlconf_reloaded()
            self.check_matrix()
            self.check_no_bare_path()

    def test_no_private_file_is_readable_without_the_right_role_with_debug_on(self):
        with override_settings(DEBUG=True):
            _urlconf_reloaded()
            self.check_matrix()
            self.check_no_bare_path()

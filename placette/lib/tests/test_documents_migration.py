"""The data migrations that move the files stored before placette.lib.documents (raw files in
MEDIA_ROOT) onto lib Documents in the private storage: every file arrives, byte for byte, with
its scope; the old copy under MEDIA_ROOT is removed; a file already missing keeps its record."""

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone

from placette.lib.testing import PDF, PNG, SVG

BEFORE = [
    ("lib", "0004_document"),
    ("governance", "0005_meeting_sas_quorum"),
    ("places", "0004_criteria_scoring_cleanup"),
]
AFTER = [
    ("governance", "0008_meeting_document_file_removed"),
    ("places", "0007_place_document_file_removed"),
]


class FilesMoveOntoDocumentsTests(TransactionTestCase):
    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    def tearDown(self):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    def old_file(self, path: str, content: bytes) -> str:
        if default_storage.exists(path):
            default_storage.delete(path)
        return default_storage.save(path, ContentFile(content))

    def test_meeting_and_place_files_move_into_the_private_storage_without_loss(self):
        old = self.migrate(BEFORE)
        body = old.get_model("governance", "Body").objects.create(name="AG", kind="AG")
        meeting = old.get_model("governance", "Meeting").objects.create(
            body=body,
            kind="AGO",
            title="AG 2024",
            starts_at=timezone.now(),
            cutoff_date=dt.date(2024, 5, 1),
        )
        MeetingDocument = old.get_model("governance", "MeetingDocument")
        report = MeetingDocument.objects.create(
            meeting=meeting,
            title="Rapport",
            file=self.old_file(f"governance/{meeting.pk}/rapport.pdf", PDF),
        )
        hostile = MeetingDocument.objects.create(
            meeting=meeting,
            title="Logo",
            file=self.old_file(f"governance/{meeting.pk}/logo.svg", SVG),
        )
        lost = MeetingDocument.objects.create(
            meeting=meeting, title="Perdu", file=f"governance/{meeting.pk}/perdu.pdf"
        )
        place = old.get_model("places", "Place").objects.create(
            name="Le Café",
            kind="cafe",
            commune_code="26289",
            commune_name="Saillans",
            department_code="26",
            region_code="84",
        )
        photo = old.get_model("places", "PlaceDocument").objects.create(
            place=place, kind="photo", title="Façade", file=self.old_file("lieux/2024/f.png", PNG)
        )
        old_paths = [report.file.name, hostile.file.name, photo.file.name]

        new = self.migrate(AFTER)
        private = storages["private"]
        MeetingDocument = new.get_model("governance", "MeetingDocument")
        moved = MeetingDocument.objects.select_related("document").get(pk=report.pk).document
        self.assertEqual(moved.scope, "governance.meeting")
        self.assertEqual(moved.scope_id, meeting.pk)
        self.assertEqual(moved.name, "rapport.pdf")
        self.assertEqual(moved.content_type, "application/pdf")
        self.assertEqual(moved.sha256, hashlib.sha256(PDF).hexdigest())
        with private.open(moved.file.name, "rb") as handle:
            self.assertEqual(handle.read(), PDF)
        # A script-carrying file attached before the checks is kept, but only as an attachment.
        svg = MeetingDocument.objects.select_related("document").get(pk=hostile.pk).document
        self.assertEqual(svg.content_type, "application/octet-stream")
        with private.open(svg.file.name, "rb") as handle:
            self.assertEqual(handle.read(), SVG)
        missing = MeetingDocument.objects.select_related("document").get(pk=lost.pk).document
        self.assertEqual((missing.name, missing.size), ("perdu.pdf", 0))
        image = (
            new.get_model("places", "PlaceDocument")
            .objects.select_related("document")
            .get(pk=photo.pk)
            .document
        )
        self.assertEqual((image.scope, image.scope_id), ("places.place", place.pk))
        self.assertEqual(image.content_type, "image/png")
        with private.open(image.file.name, "rb") as handle:
            self.assertEqual(handle.read(), PNG)
        # Nothing private is left under MEDIA_ROOT.
        for path in old_paths:
            self.assertFalse(default_storage.exists(path), path)

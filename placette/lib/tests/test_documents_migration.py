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
    ("lib", "0006_job_result_document"),
    ("governance", "0005_meeting_sas_quorum"),
    ("places", "0004_criteria_scoring_cleanup"),
    ("membership", "0011_round_sqlite_balances"),
]
AFTER = [
    ("governance", "0008_meeting_document_file_removed"),
    ("places", "0007_place_document_file_removed"),
    ("membership", "0014_documents_old_fields_removed"),
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

    def test_meeting_place_and_membership_files_move_into_the_private_storage_without_loss(self):
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
        contact = old.get_model("contacts", "Contact").objects.create(
            kind="person", first_name="Léa", last_name="Martin", display_name="Léa Martin"
        )
        certificate = old.get_model("membership", "SubscriptionDocument").objects.create(
            kind="certificate",
            contact=contact,
            filename="certificat-parts-SOUS-AAAA-BBBB.pdf",
            content=PDF,
            sha256=hashlib.sha256(PDF).hexdigest(),
        )
        register_csv = b"numero;titulaire\n1;Lea MARTIN\n"
        snapshot = old.get_model("membership", "RegisterSnapshot").objects.create(
            on=dt.date(2025, 12, 31),
            members=1,
            holders=1,
            shares=3,
            capital=300,
            called=300,
            paid=300,
            sha256=hashlib.sha256(PDF).hexdigest(),
            file=self.old_file("membership/registre/2025/registre-2025-12-31.pdf", PDF),
            csv_file=self.old_file(
                "membership/registre/2025/registre-2025-12-31.csv", register_csv
            ),
        )
        old_paths = [
            report.file.name,
            hostile.file.name,
            photo.file.name,
            snapshot.file.name,
            snapshot.csv_file.name,
        ]

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
        pdf = (
            new.get_model("membership", "SubscriptionDocument")
            .objects.select_related("document")
            .get(pk=certificate.pk)
            .document
        )
        self.assertEqual((pdf.owner_id, pdf.name), (contact.pk, certificate.filename))
        self.assertEqual((pdf.content_type, pdf.sha256), ("application/pdf", certificate.sha256))
        with private.open(pdf.file.name, "rb") as handle:
            self.assertEqual(handle.read(), PDF)
        frozen = (
            new.get_model("membership", "RegisterSnapshot")
            .objects.select_related("pdf", "csv")
            .get(pk=snapshot.pk)
        )
        self.assertEqual(frozen.pdf.scope, "membership.register")
        self.assertEqual(frozen.csv.name, "registre-2025-12-31.csv")
        self.assertEqual(frozen.csv.content_type, "text/csv")
        with private.open(frozen.csv.file.name, "rb") as handle:
            self.assertEqual(handle.read(), register_csv)
        # Nothing private is left under MEDIA_ROOT.
        for path in old_paths:
            self.assertFalse(default_storage.exists(path), path)

"""Membership files (issue 9 blocker 3): the frozen register is read by the team only, through
the guarded download, never at a `/media/` address — in development and in production."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.test import override_settings

from placette.lib.models import Document
from placette.membership.models_requests import DocumentKind, SubscriptionDocument
from placette.membership.services import register_snapshot_create, shares_subscribe
from placette.membership.tests.helpers import category, make_statutes
from placette.test import BaseTestCase, make_contact


class RegisterFilesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_contact(first_name="Alice", last_name="Martin")
        shares_subscribe(
            actor=None,
            contact=cls.alice,
            shares=3,
            category=category("soutiens"),
            on=dt.date(2024, 2, 1),
            paid=Decimal(300),
        )

    def setUp(self):
        self.snapshot = register_snapshot_create(actor=self.staff, on=dt.date(2024, 12, 31))

    def status(self, user, document: Document) -> int:
        self.client.logout()
        if user is not None:
            self.login(user)
        return self.client.get(document.get_absolute_url()).status_code

    def test_the_frozen_register_files_are_lib_documents_outside_media_root(self):
        for document in (self.snapshot.pdf, self.snapshot.csv):
            self.assertEqual(document.scope, "membership.register")
            self.assertEqual(document.uploaded_by, self.staff)
            path = document.file.path
            self.assertFalse(path.startswith(str(settings.MEDIA_ROOT)), path)
        self.assertIn(b"Alice", self.snapshot.csv.read())
        self.assertEqual(self.snapshot.pdf.sha256, self.snapshot.sha256)

    @override_settings(DEBUG=False)
    def test_only_the_team_downloads_the_register_with_debug_off(self):
        for document in (self.snapshot.pdf, self.snapshot.csv):
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
                self.assertEqual(self.status(user, document), status, (document, user))
        self.login(self.staff)
        csv = self.client.get(self.snapshot.csv.get_absolute_url())
        self.assertTrue(csv["Content-Disposition"].startswith("attachment"))
        self.assertEqual(csv["X-Content-Type-Options"], "nosniff")

    def test_no_media_address_reaches_the_register_in_debug_or_production(self):
        # The address that leaked the whole register under `make run` (issue 9, blocker 3),
        # and the file's real path relative to any served folder.
        addresses = [
            "/media/membership/registre/2024/registre-2024-12-31.csv",
            f"/media/{self.snapshot.csv.file.name}",
            f"/private/{self.snapshot.csv.file.name}",
        ]
        for debug in (True, False):
            with override_settings(DEBUG=debug):
                for user in (None, self.member, self.staff_admin):
                    self.client.logout()
                    if user is not None:
                        self.login(user)
                    for address in addresses:
                        response = self.client.get(address)
                        self.assertEqual(response.status_code, 404, (debug, user, address))

    def test_the_snapshots_page_links_the_guarded_downloads(self):
        from django.urls import reverse

        self.login(self.staff)
        page = self.client.get(reverse("membership:snapshots"))
        self.assertContains(page, self.snapshot.pdf.get_absolute_url())
        self.assertContains(page, self.snapshot.csv.get_absolute_url())
        self.assertNotContains(page, "/media/")


class SubscriberPdfTests(BaseTestCase):
    def test_a_replaced_pdf_leaves_no_old_file_behind(self):
        contact = self.member.contact
        document = SubscriptionDocument(
            kind=DocumentKind.TAX_STATEMENT, contact=contact, year=2024, filename="etat-2024.pdf"
        )
        document.set_content(b"%PDF-1.4 first")
        document.save()
        first = document.document
        storage, path = first.file.storage, first.file.name or ""
        with self.captureOnCommitCallbacks(execute=True):
            document.set_content(b"%PDF-1.4 second")
            document.save()
        self.assertEqual(document.content, b"%PDF-1.4 second")
        self.assertEqual(document.document.owner, contact)
        self.assertFalse(Document.objects.filter(pk=first.pk).exists())
        self.assertFalse(storage.exists(path))

"""Place photos and documents (issue 8 piece 4, issue 9 blocker 3): stored through
placette.lib.documents, read by the team and by the holder of an activity open in the place."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from placette.contacts.services import affiliation_add
from placette.lib.testing import HTML, PDF, PNG, SVG
from placette.places.models import PlaceDocument
from placette.places.tests.helpers import make_activity, make_place, make_tenant
from placette.test import BaseTestCase


@override_settings(DEBUG=False)
class PlaceDocumentTests(BaseTestCase):
    def setUp(self):
        self.place = make_place()
        tenant = make_tenant()
        affiliation_add(
            actor=None, person=self.activity_holder.contact, organisation=tenant, role="gérante"
        )
        self.activity = make_activity(self.place, tenant=tenant)

    def upload(self, name: str, content: bytes, kind: str = "photo"):
        self.login(self.staff)
        return self.client.post(
            reverse("places:document", args=[self.place.pk]),
            {
                "doc-kind": kind,
                "doc-title": "Façade",
                "doc-file": SimpleUploadedFile(name, content),
            },
            follow=True,
        )

    def status(self, user, document: PlaceDocument) -> int:
        self.client.logout()
        if user is not None:
            self.login(user)
        return self.client.get(document.document.get_absolute_url()).status_code

    def test_who_may_download_a_place_document(self):
        self.upload("bail.pdf", PDF, kind="deed")
        document = self.place.documents.get()
        self.assertEqual(document.document.scope, "places.place")
        expected = {
            None: 302,
            self.activity_holder: 200,
            self.member: 404,
            self.other_member: 404,
            self.board_member: 404,
            self.staff: 200,
            self.staff_admin: 200,
        }
        for user, status in expected.items():
            self.assertEqual(self.status(user, document), status, user)

    def test_the_holder_of_a_closed_activity_or_of_another_place_reads_nothing(self):
        self.upload("bail.pdf", PDF, kind="deed")
        document = self.place.documents.get()
        self.activity.closed_on = dt.date(2023, 12, 31)
        self.activity.save()
        self.assertEqual(self.status(self.activity_holder, document), 404)
        elsewhere = make_place(name="Ailleurs")
        self.login(self.staff)
        self.client.post(
            reverse("places:document", args=[elsewhere.pk]),
            {"doc-kind": "plan", "doc-title": "Plan", "doc-file": SimpleUploadedFile("p.pdf", PDF)},
        )
        self.assertEqual(self.status(self.activity_holder, elsewhere.documents.get()), 404)

    def test_a_photo_is_shown_inline_and_listed_in_the_holder_space(self):
        self.upload("facade.png", PNG)
        document = self.place.documents.get()
        self.login(self.activity_holder)
        response = self.client.get(document.document.get_absolute_url())
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertTrue(response["Content-Disposition"].startswith("inline"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        home = self.client.get(reverse("portal:home"))
        self.assertContains(home, document.document.get_absolute_url())

    def test_an_html_or_svg_photo_is_refused_and_nothing_is_kept(self):
        for name, content in (("facade.svg", SVG), ("facade.html", HTML), ("facade.png", HTML)):
            response = self.upload(name, content)
            self.assertContains(response, "Document non déposé")
        self.assertFalse(PlaceDocument.objects.exists())

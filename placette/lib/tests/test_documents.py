"""The one way to store and read a file: checks on upload, who may download, how it is served."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from placette.lib.documents import (
    DocumentFileField,
    document_delete,
    document_readable_by,
    document_store,
    upload_check,
)
from placette.lib.models import Document
from placette.lib.testing import HTML, JPEG, PDF, PNG, SVG
from placette.test import BaseTestCase

WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
CSV = "nom;montant\nÉlise;12,50\n".encode()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("statuts.pdf", PDF, "application/pdf"),
        ("facade.png", PNG, "image/png"),
        ("facade.JPG", JPEG, "image/jpeg"),
        ("facade.webp", WEBP, "image/webp"),
        (
            "rapport.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("budget.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("compte-rendu.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("ancien.doc", OLE, "application/msword"),
        ("liste.csv", CSV, "text/csv"),
        ("notes.txt", "Réunion du 3 mars".encode("cp1252"), "text/plain"),
    ],
)
def test_an_accepted_upload_is_typed_by_its_content(name, content, expected):
    assert upload_check(upload(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("convocation.html", HTML),
        ("logo.svg", SVG),
        ("convocation.txt", HTML),  # markup under a text name is still markup
        ("programme.exe", b"MZ\x90\x00" + b"\x00" * 64),
        ("archive.zip", _zip({"a.txt": b"a"})),
    ],
)
def test_html_svg_and_unknown_files_are_refused_with_a_french_message(name, content):
    with pytest.raises(ValidationError) as refused:
        upload_check(upload(name, content))
    assert "n’est pas d’un type accepté" in refused.value.messages[0]
    assert name in refused.value.messages[0]


def test_a_file_whose_content_contradicts_its_extension_is_refused():
    with pytest.raises(ValidationError) as refused:
        upload_check(upload("photo.pdf", PNG))
    assert "ne correspond pas à son extension" in refused.value.messages[0]
    assert ".png" in refused.value.messages[0]


@override_settings(DOCUMENT_MAX_BYTES=20_000)
def test_a_file_above_the_size_setting_is_refused_saying_the_limit():
    with pytest.raises(ValidationError) as refused:
        upload_check(upload("gros.pdf", PDF + b"0" * (25_000 - len(PDF))))
    message = refused.value.messages[0]
    assert message == "« gros.pdf » pèse 25\u00a0ko : la limite est de 20\u00a0ko par fichier."


def test_sizes_are_written_in_french_units():
    from placette.lib.documents import size_text

    assert size_text(20_000_000) == "20\u00a0Mo"
    assert size_text(1_500_000) == "1,5\u00a0Mo"
    assert size_text(350) == "350\u00a0octets"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="est vide"):
        upload_check(upload("vide.pdf", b""))


def test_the_form_field_puts_the_refusal_on_the_field():
    from django import forms

    class Form(forms.Form):
        file = DocumentFileField(label="Fichier")

    form = Form(data={}, files=MultiValueDict({"file": [upload("page.html", HTML)]}))
    assert not form.is_valid()
    assert "n’est pas d’un type accepté" in form.errors["file"][0]
    assert 'accept=".pdf,' in str(form["file"])


@override_settings(DEBUG=False)
class DownloadTests(BaseTestCase):
    """DEBUG off throughout: downloads must work in production, where nothing serves /media/."""

    def setUp(self) -> None:
        self.own = document_store(
            content=PDF,
            name="certificat-parts.pdf",
            content_type="application/pdf",
            owner=self.member.contact,
            actor=self.staff,
        )
        self.staff_only = document_store(
            content=CSV, name="registre.csv", content_type="text/csv", actor=self.staff
        )

    def url(self, document: Document) -> str:
        return reverse("documents:download", args=[document.pk])

    def test_a_stored_document_keeps_its_name_type_size_digest_and_author(self):
        import hashlib

        self.assertEqual(self.own.name, "certificat-parts.pdf")
        self.assertEqual(self.own.size, len(PDF))
        self.assertEqual(self.own.sha256, hashlib.sha256(PDF).hexdigest())
        self.assertEqual(self.own.uploaded_by, self.staff)
        self.assertEqual(self.own.read(), PDF)
        self.assertRegex(self.own.file.name or "", r"^documents/\d{4}/\d{2}/\w{24}/")

    def test_the_member_it_belongs_to_downloads_it_and_other_members_get_404(self):
        self.login(self.member)
        response = self.client.get(self.url(self.own))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.getvalue(), PDF)
        for persona in (self.other_member, self.board_member, self.activity_holder):
            self.login(persona)
            self.assertEqual(self.client.get(self.url(self.own)).status_code, 404, persona)

    def test_anonymous_visitors_are_sent_to_the_sign_in_page(self):
        response = self.client.get(self.url(self.own))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("account_login")))

    def test_staff_read_every_document_and_nobody_else_reads_an_unscoped_one(self):
        for persona in (self.staff, self.staff_admin):
            self.login(persona)
            self.assertEqual(self.client.get(self.url(self.staff_only)).status_code, 200)
        for persona in (self.member, self.other_member, self.board_member, self.activity_holder):
            self.login(persona)
            self.assertEqual(self.client.get(self.url(self.staff_only)).status_code, 404)

    def test_a_deactivated_account_reads_nothing(self):
        self.member.is_active = False
        self.member.save()
        self.assertFalse(document_readable_by(self.member, self.own))

    def test_a_pdf_is_shown_inline_and_a_csv_is_an_attachment_never_sniffed(self):
        self.login(self.staff)
        pdf = self.client.get(self.url(self.own))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf["Content-Disposition"].startswith("inline"))
        self.assertEqual(pdf["X-Content-Type-Options"], "nosniff")
        self.assertNotIn("script-src", pdf["Content-Security-Policy"])
        self.assertIn("default-src 'none'", pdf["Content-Security-Policy"])
        csv = self.client.get(self.url(self.staff_only))
        self.assertTrue(csv["Content-Disposition"].startswith("attachment"))
        self.assertIn('filename="registre.csv"', csv["Content-Disposition"])
        self.assertEqual(csv["X-Content-Type-Options"], "nosniff")
        self.assertIn("sandbox", csv["Content-Security-Policy"])

    def test_a_markup_file_stored_before_the_checks_is_served_as_an_attachment(self):
        # Files moved from before this module (data migrations) keep an unchecked type.
        old = document_store(content=SVG, name="logo.svg", content_type="application/octet-stream")
        self.login(self.staff)
        response = self.client.get(self.url(old))
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertEqual(response["Content-Type"], "application/octet-stream")

    def test_the_media_folder_has_no_url(self):
        self.login(self.staff_admin)
        response = self.client.get(f"/media/{self.staff_only.file.name}")
        self.assertEqual(response.status_code, 404)

    def test_an_upload_stored_without_a_type_is_checked(self):
        with self.assertRaises(ValidationError):
            document_store(content=upload("x.html", HTML), name="x.html")
        stored = document_store(
            content=upload("Façade côté rue.png", PNG), name="Façade côté rue.png"
        )
        self.assertEqual(stored.content_type, "image/png")
        self.assertEqual(stored.name, "Façade côté rue.png")
        self.login(self.staff)
        response = self.client.get(self.url(stored))
        self.assertTrue(response["Content-Disposition"].startswith("inline"))

    def test_a_deleted_document_loses_its_file_once_committed(self):
        storage, path = self.staff_only.file.storage, self.staff_only.file.name or ""
        with self.captureOnCommitCallbacks(execute=True):
            document_delete(self.staff_only)
        self.assertFalse(storage.exists(path))
        self.assertFalse(Document.objects.filter(pk=self.staff_only.pk).exists())

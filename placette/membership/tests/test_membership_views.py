"""Staff pages of the membership area: permissions, constant query counts, bookings through
the web with clear French messages."""

import datetime as dt
import io
import uuid
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from placette.lib.models import Job
from placette.lib.testing import pdf_text
from placette.membership.models import Member, Movement, RegisterSnapshot, Statutes
from placette.membership.services import refund_request, shares_subscribe
from placette.membership.subscriptions import public_categories
from placette.membership.tests.helpers import category, make_statutes
from placette.test import BaseTestCase, make_contact

D = dt.date


class MembershipViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_statutes()
        cls.alice = make_contact(first_name="Alice", last_name="Martin", email="alice@ex.fr")
        cls.first = shares_subscribe(
            actor=None,
            contact=cls.alice,
            shares=10,
            category=category("soutiens"),
            on=D(2020, 5, 1),
        )

    def test_every_membership_page_refuses_anonymous_visitors_and_members(self):
        request = refund_request(actor=None, contact=self.alice, shares=1, on=D(2024, 1, 1))
        for url in [
            reverse("membership:home"),
            reverse("membership:movements"),
            reverse("membership:register_export", args=["csv"]),
            reverse("membership:register_export", args=["pdf"]),
            reverse("membership:members"),
            reverse("membership:holder", args=[self.alice.pk]),
            reverse("membership:holder_pdf", args=[self.alice.pk]),
            reverse("membership:movement", args=[self.first.number]),
            reverse("membership:refunds"),
            reverse("membership:statutes"),
            reverse("membership:statutes_edit"),
            reverse("membership:fec"),
            reverse("membership:import"),
            reverse("membership:snapshots"),
            reverse("membership:instruments"),
            reverse("membership:instrument_statement", args=[self.alice.pk, 2024]),
        ]:
            self.assert_staff_only(url)
        for name, args in [
            ("subscribe", [self.alice.pk]),
            ("pay", [self.alice.pk]),
            ("transfer", [self.alice.pk]),
            ("refund_request", [self.alice.pk]),
            ("refund_decide", [request.number]),
            ("refund_pay", []),
            ("category_create", []),
            ("college_create", []),
        ]:
            self.assert_staff_only(reverse(f"membership:{name}", args=args), method="post")

    def test_statutes_settings_and_import_are_for_staff_admins_only(self):
        self.login(self.staff)
        self.assertEqual(self.client.get(reverse("membership:statutes_edit")).status_code, 403)
        self.assertEqual(self.client.get(reverse("membership:import")).status_code, 403)
        self.assertEqual(self.client.get(reverse("membership:statutes")).status_code, 200)
        self.login(self.staff_admin)
        self.assertEqual(self.client.get(reverse("membership:statutes_edit")).status_code, 200)

    def test_the_register_page_costs_the_same_number_of_queries_whatever_the_number_of_rows(self):
        self.login(self.staff)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse("membership:movements"))
            self.assertEqual(response.status_code, 200)
            return len(queries)

        few = count()
        for i in range(60):
            contact = make_contact(last_name=f"Nombreux{i}")
            shares_subscribe(actor=None, contact=contact, shares=1, category=category("soutiens"))
        self.assertEqual(count(), few)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("membership:members"))
        members_few = len(queries)
        for i in range(10):
            contact = make_contact(last_name=f"Encore{i}")
            shares_subscribe(actor=None, contact=contact, shares=1, category=category("soutiens"))
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("membership:members"))
        self.assertEqual(len(queries), members_few)

    def test_the_dashboard_shows_capital_members_and_a_chart(self):
        self.login(self.staff)
        response = self.client.get(reverse("membership:home"))
        self.assertContains(response, "1\u202f000,00\u00a0€")
        self.assertContains(response, "<svg")

    def test_staff_book_a_payment_through_the_holder_page(self):
        bob = make_contact(first_name="Bob", last_name="Roux")
        shares_subscribe(
            actor=None,
            contact=bob,
            shares=4,
            category=category("soutiens"),
            paid=Decimal(100),
            on=dt.date(2024, 5, 1),
        )
        self.login(self.staff)
        url = reverse("membership:pay", args=[bob.pk])
        data = {"key": uuid.uuid4().hex, "on": "2024-05-02", "amount": "300", "reference": "VIR"}
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "Libération enregistrée")
        self.client.post(url, data)  # the same form submitted twice
        self.assertEqual(Movement.objects.filter(holder=bob, kind="payment").count(), 1)

    def test_zero_shares_or_a_refund_above_the_holding_get_a_french_message_and_book_nothing(self):
        self.login(self.staff)
        before = Movement.objects.count()
        response = self.client.post(
            reverse("membership:subscribe", args=[self.alice.pk]),
            {"key": uuid.uuid4().hex, "on": "2024-01-01", "shares": "0"},
            follow=True,
        )
        self.assertContains(response, "Le nombre de parts doit être au moins 1")
        response = self.client.post(
            reverse("membership:refund_request", args=[self.alice.pk]),
            {"key": uuid.uuid4().hex, "on": "2024-01-01", "shares": "50"},
            follow=True,
        )
        self.assertContains(response, "dépasse la détention")
        self.assertEqual(Movement.objects.count(), before)

    def test_a_transfer_to_an_unknown_contact_number_is_refused(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("membership:transfer", args=[self.alice.pk]),
            {
                "key": uuid.uuid4().hex,
                "on": "2024-01-01",
                "kind": "transfer",
                "receiver": "999999",
                "shares": "1",
            },
            follow=True,
        )
        self.assertContains(response, "personne inconnue")
        self.assertEqual(Movement.objects.count(), 1)

    def test_a_staff_admin_records_a_new_statutes_version_and_bad_weights_are_refused(self):
        self.login(self.staff_admin)
        page = self.client.get(reverse("membership:statutes_edit"))
        form = page.context["form"]
        data = {k: ("" if v is None else v) for k, v in form.initial.items()}
        data.update(
            {
                "effective_from": "2025-01-01",
                "reason": "AGE du 12/12/2024",
                "legal_form": "SAS",
                "membership_start": "subscription",
                "empty_college_policy": "redistribute",
                "colleges_enabled": "on",
                "refund_after_ago": "on",
                "notice_days_first_call": "21",
                "proxy_cap": "3",
                "chair_casting_vote": "",
                "sas_quorum_as": "none",
            }
        )
        self.assertEqual(form.initial["notice_days_second_call"], 10)
        rules = page.context["rule_set"].initial
        weights = page.context["weight_set"].initial
        data["rules-TOTAL_FORMS"], data["rules-INITIAL_FORMS"] = len(rules), len(rules)
        data["weights-TOTAL_FORMS"], data["weights-INITIAL_FORMS"] = len(weights), len(weights)
        for i, r in enumerate(rules):
            data[f"rules-{i}-category"] = r["category"].pk
            data[f"rules-{i}-included"] = "on"
            data[f"rules-{i}-min_shares"] = r["min_shares"]
            data[f"rules-{i}-college"] = r["college"].pk
            if r["category"].code == "soutiens":
                data[f"rules-{i}-open_to_public"] = "on"
        for i, w in enumerate(weights):
            data[f"weights-{i}-college"] = w["college"].pk
            data[f"weights-{i}-weight_percent"] = "60" if i == 0 else w["weight_percent"]
        response = self.client.post(reverse("membership:statutes_edit"), data)
        self.assertContains(response, "pèse 60 %")
        self.assertEqual(Statutes.objects.count(), 1)
        data["weights-0-weight_percent"] = "20"
        response = self.client.post(reverse("membership:statutes_edit"), data)
        self.assertRedirects(response, reverse("membership:statutes"))
        self.assertEqual(Statutes.objects.count(), 2)
        self.assertEqual(Statutes.objects.in_force(D(2025, 2, 1)).reason, "AGE du 12/12/2024")
        new = Statutes.objects.in_force(D(2025, 2, 1))
        self.assertEqual(
            (new.notice_days_first_call, new.notice_days_second_call, new.proxy_cap),
            (21, 10, 3),
        )
        self.assertFalse(new.chair_casting_vote)
        self.assertEqual(new.sas_quorum_as, "none")
        self.assertEqual(
            [c.code for c in public_categories(new)], ["soutiens"]
        )  # the statutes page decides which categories are offered online
        page = self.client.get(reverse("membership:statutes"))
        self.assertContains(page, "au plus 3 par mandataire")

    def test_the_register_exports_at_a_date_as_csv_xlsx_and_a_pdf_to_initial(self):
        self.login(self.staff)
        response = self.client.get(
            reverse("membership:register_export", args=["csv"]), {"date": "2020-12-31"}
        )
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        self.assertIn("Alice MARTIN", content)
        response = self.client.get(
            reverse("membership:register_export", args=["csv"]), {"date": "2019-12-31"}
        )
        self.assertNotIn("MARTIN", b"".join(response.streaming_content).decode("utf-8-sig"))
        response = self.client.get(reverse("membership:register_export", args=["xlsx"]))
        self.assertEqual(response.status_code, 200)

    def test_freezing_the_register_asks_first_then_archives_it_in_the_background(self):
        self.login(self.staff_admin)
        url = reverse("membership:snapshots")
        page = self.client.post(url, {"date": "2024-12-31"})
        self.assertContains(page, "Arrêter le registre au 31/12/2024")
        self.assertContains(page, 'data-count="1"')
        self.assertFalse(RegisterSnapshot.objects.exists())
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"date": "2024-12-31", "confirm": "1"})
        job = Job.objects.get(kind="membership.register_snapshot")
        self.assertRedirects(response, job.get_absolute_url())
        self.assertEqual(job.status, "done", job.message)
        snapshot = RegisterSnapshot.objects.get()
        self.assertEqual((snapshot.on, snapshot.last_movement_number), (D(2024, 12, 31), 1))
        again = self.client.post(url, {"date": "2024-12-31"}, follow=True)
        self.assertContains(again, "Le registre est déjà arrêté au 31/12/2024.")
        snapshot.pdf.file.delete(save=False)
        snapshot.csv.file.delete(save=False)

    def test_a_large_register_is_exported_by_a_background_job_with_the_same_file(self):
        self.login(self.staff)
        url = reverse("membership:register_export", args=["csv"]) + "?date=2024-12-31"
        direct = b"".join(self.client.get(url).streaming_content)
        for fmt in ("csv", "xlsx"):
            url = reverse("membership:register_export", args=[fmt]) + "?date=2024-12-31"
            with override_settings(LIST_EXPORT_INLINE_ROWS=0):
                page = self.client.get(url)
                self.assertContains(page, 'data-count="1"')
                self.assertContains(page, "Produire le fichier")
                with self.captureOnCommitCallbacks(execute=True):
                    response = self.client.post(url, {"confirm": "1"})
            job = Job.objects.get(kind="membership.register_export", kwargs__fmt=fmt)
            self.assertRedirects(response, job.get_absolute_url())
            download = self.client.get(reverse("jobs:download", args=[job.pk]))
            content = b"".join(download.streaming_content)
            if fmt == "csv":
                self.assertEqual(content, direct)
            else:
                sheet = load_workbook(io.BytesIO(content)).active
                # the identity lines, an empty line, the column names, then the movements
                self.assertEqual(sheet.cell(2, 2).value, "Placette SCIC")
                self.assertEqual(sheet.cell(14, 4).value, "titulaire")
                self.assertEqual(sheet.cell(15, 4).value, "Alice MARTIN")
            job.result.file.delete(save=False)

    def test_the_register_pdf_is_produced_in_the_background_with_a_progress_page(self):
        self.login(self.staff)
        url = reverse("membership:register_export", args=["pdf"]) + "?date=2024-12-31"
        page = self.client.get(url)  # a bookmark or a link: nothing starts on GET
        self.assertContains(page, "en arrière-plan (environ 3 pages)")
        self.assertFalse(Job.objects.exists())
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"confirm": "1"})
        job = Job.objects.get()
        self.assertRedirects(response, reverse("jobs:detail", args=[job.pk]))
        self.assertEqual(
            (job.status, job.started_by, job.kind), ("done", self.staff, "membership.register_pdf")
        )
        self.assertEqual(job.done, job.total)
        progress = self.client.get(response["Location"])
        self.assertContains(progress, "Registre des mouvements de titres au 31/12/2024 (PDF)")
        self.assertContains(progress, "Télécharger registre-2024-12-31.pdf")
        download = self.client.get(reverse("jobs:download", args=[job.pk]))
        text = pdf_text(b"".join(download.streaming_content))
        self.assertIn("Registre des mouvements de titres", text)
        self.assertIn("Arrêté au 31/12/2024", text)
        self.assertIn("Paraphe", text)
        self.assertIn("Alice MARTIN", text)
        job.result.file.delete(save=False)

    def test_an_import_with_one_bad_row_imports_nothing_and_reports_the_row(self):
        bob = make_contact(first_name="Bob", last_name="Roux", email="bob@ex.fr")
        self.login(self.staff_admin)
        csv_text = (
            "numero;date;nature;titulaire;parts;montant;categorie;contrepartie\n"
            "1;01/02/2019;souscription;bob@ex.fr;5;;soutiens;\n"
            "2;01/03/2019;souscription;inconnu@ex.fr;5;;soutiens;\n"
        )
        upload = SimpleUploadedFile("registre.csv", csv_text.encode())
        response = self.client.post(reverse("membership:import"), {"file": upload, "commit": "1"})
        self.assertContains(response, "Titulaire inconnu")
        self.assertContains(response, "rien n’a été importé")
        self.assertFalse(Movement.objects.filter(holder=bob).exists())
        good = csv_text.splitlines()[:2]
        upload = SimpleUploadedFile("registre.csv", ("\n".join(good) + "\n").encode())
        response = self.client.post(reverse("membership:import"), {"file": upload, "commit": "1"})
        self.assertRedirects(response, reverse("membership:movements"))
        self.assertEqual(Member.objects.get(contact=bob).category.code, "soutiens")

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from placette.studies import services
from placette.studies.models import Invoice, Mission, Quote, QuoteLine, StudyRequest, TimeEntry
from placette.studies.tests.helpers import accepted_mission, ago, commune, roles, template
from placette.test import BaseTestCase


class WebFlowTests(BaseTestCase):
    def setUp(self):
        self.officer, self.director = roles()
        self.template = template(self.officer, self.director)
        self.client_org = commune()
        self.login(self.staff)

    def test_staff_take_a_request_to_a_paid_invoice_through_the_pages(self):
        response = self.client.post(
            reverse("studies:request_create"),
            {
                "contact": self.client_org.pk,
                "title": "Programmation d’une friche",
                "source": "tender",
                "received_on": ago(30).isoformat(),
                "territory": "Haute-Loire",
            },
        )
        study = StudyRequest.objects.get()
        self.assertRedirects(response, study.get_absolute_url())
        self.client.post(
            reverse("studies:quote_create", args=[study.pk]),
            {"template": self.template.pk, "title": "", "created_on": ago(29).isoformat()},
        )
        quote = Quote.objects.get()
        response = self.client.post(
            reverse("studies:quote_line_add", args=[quote.pk]),
            {"kind": "days", "role": self.officer.pk, "quantity": "-2", "phase": ""},
            follow=True,
        )
        self.assertContains(response, "Le nombre de jours ne peut pas être négatif.")
        self.client.post(
            reverse("studies:quote_line_add", args=[quote.pk]),
            {"kind": "expense", "label": "Déplacements", "quantity": "1", "unit_price": "120,50"},
        )
        self.assertEqual(Quote.objects.get().total_net, Decimal("5795.50"))
        pdf = self.client.get(reverse("studies:quote_pdf", args=[quote.pk]))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.client.post(
            reverse("studies:quote_send", args=[quote.pk]), {"sent_on": ago(28).isoformat()}
        )
        response = self.client.post(
            reverse("studies:quote_line_add", args=[quote.pk]),
            {"kind": "expense", "label": "Encore", "quantity": "1", "unit_price": "10"},
            follow=True,
        )
        self.assertContains(response, "nouvelle version")
        self.assertEqual(QuoteLine.objects.filter(label="Encore").count(), 0)
        response = self.client.post(
            reverse("studies:quote_accept", args=[quote.pk]),
            {
                "accepted_on": ago(25).isoformat(),
                "ends_on": (ago(0) + dt.timedelta(days=60)).isoformat(),
            },
        )
        mission = Mission.objects.get()
        self.assertRedirects(response, mission.get_absolute_url())
        self.client.post(
            reverse("studies:time_add", args=[mission.pk]),
            {"staff": self.staff.pk, "on": ago(20).isoformat(), "half_days": "2", "phase": ""},
        )
        self.assertEqual(TimeEntry.objects.count(), 1)
        response = self.client.post(
            reverse("studies:invoice_create", args=[mission.pk]),
            {
                "issued_on": ago(10).isoformat(),
                "label": "",
                "line_label": "Tout",
                "quantity": "1",
                "amount": "9000",
            },
        )
        self.assertContains(response, "dépasse ce qui reste à facturer")
        self.assertFalse(Invoice.objects.exists())
        response = self.client.post(
            reverse("studies:invoice_create", args=[mission.pk]),
            {
                "issued_on": ago(10).isoformat(),
                "label": "",
                "line_label": "Acompte",
                "quantity": "1",
                "amount": "1000",
            },
        )
        invoice = Invoice.objects.get()
        self.assertRedirects(response, invoice.get_absolute_url())
        self.client.post(
            reverse("studies:payment_add", args=[invoice.pk]),
            {"received_on": ago(5).isoformat(), "amount": "1200,00"},
        )
        invoice.refresh_from_db()
        self.assertTrue(invoice.is_paid)
        pdf = self.client.get(reverse("studies:invoice_pdf", args=[invoice.pk]))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        board = self.client.get(reverse("studies:dashboard"), {"year": ago(10).year})
        self.assertContains(board, "1\u202f000,00\xa0€")
        for name, args in [
            ("studies:requests", []),
            ("studies:quotes", []),
            ("studies:missions", []),
            ("studies:invoices", []),
            ("studies:templates", []),
            ("studies:template", [self.template.pk]),
            ("studies:request", [study.pk]),
            ("studies:quote", [quote.pk]),
            ("studies:mission", [mission.pk]),
            ("studies:invoice", [invoice.pk]),
            ("studies:mission_edit", [mission.pk]),
            ("studies:quote_accept", [quote.pk]),
            ("studies:credit_note_create", [invoice.pk]),
        ]:
            self.assertEqual(self.client.get(reverse(name, args=args)).status_code, 200, name)

    def test_closing_a_mission_asks_for_confirmation_first(self):
        mission = accepted_mission()
        url = reverse("studies:mission_close", args=[mission.pk])
        response = self.client.post(url, {"closed_on": ago(1).isoformat()})
        self.assertContains(response, "Clôturer la mission")
        self.assertFalse(Mission.objects.get().is_closed)
        self.client.post(url, {"closed_on": ago(1).isoformat(), "confirm": "1"})
        self.assertTrue(Mission.objects.get().is_closed)

    def test_every_studies_page_is_for_the_team_only(self):
        mission = accepted_mission()
        for url in [
            reverse("studies:requests"),
            reverse("studies:mission", args=[mission.pk]),
            reverse("studies:dashboard"),
        ]:
            self.assert_staff_only(url)
        self.login(self.staff)
        self.assertEqual(self.client.get(reverse("studies:settings")).status_code, 403)
        self.login(self.staff_admin)
        self.assertEqual(self.client.get(reverse("studies:settings")).status_code, 200)


class ListQueryTests(BaseTestCase):
    def setUp(self):
        self.login(self.staff)
        self.mission = accepted_mission()

    def test_the_list_pages_cost_the_same_with_5_and_60_rows(self):
        request = self.mission.request

        def add_requests(n):
            for i in range(n):
                services.request_create(
                    actor=None, contact=request.contact, received_on=ago(3), data={"title": f"R{i}"}
                )

        self.assert_constant_queries(reverse("studies:requests"), add_requests)

        def add_quotes(n):
            for _ in range(n):
                services.quote_create(actor=None, request=request_open(), created_on=ago(2))

        opened = services.request_create(
            actor=None, contact=request.contact, received_on=ago(3), data={"title": "Q"}
        )

        def request_open():
            return opened

        self.assert_constant_queries(reverse("studies:quotes"), add_quotes)

        def add_invoices(n):
            for _ in range(n):
                services.invoice_issue(
                    actor=None,
                    mission=self.mission,
                    issued_on=ago(1),
                    lines=[{"label": "x", "quantity": Decimal(1), "unit_price": Decimal("10.00")}],
                )

        self.assert_constant_queries(reverse("studies:invoices"), add_invoices)
        self.assert_constant_queries(
            reverse("studies:invoices"), add_invoices, data={"state": "overdue"}
        )

    def test_the_missions_list_costs_the_same_with_5_and_60_missions(self):
        def add_missions(n):
            for _ in range(n):
                Mission.objects.create(
                    quote=self._quote(),
                    request=self.mission.request,
                    client=self.mission.client,
                    year=2026,
                    seq=Mission.objects.count() + 100,
                    title="M",
                    starts_on=ago(5),
                    ends_on=ago(1),
                    sold_net=Decimal(100),
                    sold_days=Decimal(1),
                )

        self.assert_constant_queries(reverse("studies:missions"), add_missions)

    def _quote(self):
        q = self.mission.quote
        return Quote.objects.create(
            request=q.request,
            client=q.client,
            year=q.year,
            seq=Quote.objects.count() + 100,
            title="x",
            created_on=q.created_on,
            valid_until=q.valid_until,
            vat_rate=q.vat_rate,
            status="accepted",
        )

import datetime as dt
from decimal import Decimal

from django.test import TestCase

from placette.lib.refusals import Refusal
from placette.studies import services
from placette.studies.models import (
    Mission,
    Quote,
    QuoteLine,
    QuoteStatus,
    RequestStatus,
    StudyRequest,
)
from placette.studies.tests.helpers import ago, roles, study_request, template


def independent_total(quote: Quote) -> tuple[Decimal, Decimal, Decimal]:
    """Recomputed from the lines, cent by cent, without the code that wrote the totals."""
    cents = 0
    for quantity, price, option, taken in QuoteLine.objects.filter(quote=quote).values_list(
        "quantity", "unit_price", "is_option", "option_taken"
    ):
        if option and not taken:
            continue
        exact = Decimal(quantity) * Decimal(price) * 100
        cents += int(exact) + (1 if exact - int(exact) >= Decimal("0.5") else 0)
    vat_exact = Decimal(cents) * quote.vat_rate / 100
    vat = int(vat_exact) + (1 if vat_exact - int(vat_exact) >= Decimal("0.5") else 0)
    return Decimal(cents) / 100, Decimal(vat) / 100, Decimal(cents + vat) / 100


class QuoteTests(TestCase):
    def setUp(self):
        self.officer, self.director = roles()
        self.template = template(self.officer, self.director)
        self.request = study_request()

    def quote(self):
        return services.quote_create(
            actor=None, request=self.request, template=self.template, created_on=ago(110)
        )

    def test_a_quote_from_a_template_copies_its_phases_days_and_rates(self):
        quote = self.quote()
        self.assertEqual([p.name for p in quote.phases.all()], ["Diagnostic", "Concertation"])
        # 4 × 650 + 1 × 800 + 3.5 × 650 (a role at zero days is left out)
        self.assertEqual(quote.total_net, Decimal("5675.00"))
        self.assertEqual(quote.total_days, Decimal("8.5"))
        self.assertEqual(
            (quote.total_net, quote.total_vat, quote.total_gross), independent_total(quote)
        )
        self.assertEqual(quote.number, f"D-{ago(110).year}-001")
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, RequestStatus.QUALIFIED)

    def test_totals_add_expenses_and_leave_options_out_until_chosen(self):
        quote = self.quote()
        services.quote_line_add(
            actor=None,
            quote=quote,
            kind="expense",
            label="Déplacements",
            quantity=Decimal(3),
            unit_price=Decimal("123.45"),
        )
        option = services.quote_line_add(
            actor=None,
            quote=quote,
            kind="days",
            role=self.officer,
            quantity=Decimal("2.5"),
            is_option=True,
            label="Atelier supplémentaire",
        )
        quote.refresh_from_db()
        self.assertEqual(quote.total_net, Decimal("6045.35"))
        self.assertEqual(quote.total_vat, Decimal("1209.07"))
        self.assertEqual(
            (quote.total_net, quote.total_vat, quote.total_gross), independent_total(quote)
        )
        services.quote_send(actor=None, quote=quote, sent_on=ago(100))
        mission = services.quote_accept(
            actor=None, quote=quote, accepted_on=ago(90), options=[option.pk]
        )
        quote.refresh_from_db()
        self.assertEqual(quote.total_net, Decimal("7670.35"))
        self.assertEqual(
            (quote.total_net, quote.total_vat, quote.total_gross), independent_total(quote)
        )
        self.assertEqual(mission.sold_net, Decimal("7670.35"))
        self.assertEqual(mission.sold_days, Decimal("11.0"))

    def test_negative_days_or_rates_are_refused_and_nothing_is_saved(self):
        quote = self.quote()
        before = (QuoteLine.objects.count(), Quote.objects.get(pk=quote.pk).total_net)
        with self.assertRaises(Refusal) as caught:
            services.quote_line_add(
                actor=None, quote=quote, kind="days", role=self.officer, quantity=Decimal("-2")
            )
        self.assertEqual(caught.exception.field, "quantity")
        self.assertIn("négatif", caught.exception.message)
        with self.assertRaises(Refusal) as caught:
            services.quote_line_add(
                actor=None,
                quote=quote,
                kind="days",
                role=self.officer,
                quantity=Decimal("2"),
                unit_price=Decimal("-650"),
            )
        self.assertEqual(caught.exception.field, "unit_price")
        self.assertIn("négatif", caught.exception.message)
        with self.assertRaises(Refusal):
            services.quote_line_add(
                actor=None, quote=quote, kind="days", role=self.officer, quantity=Decimal("1.3")
            )
        with self.assertRaises(Refusal):
            services.role_create(actor=None, name="Stagiaire", daily_rate=Decimal("-1"))
        with self.assertRaises(Refusal):
            services.template_phase_add(
                actor=None, template=self.template, name="X", days={self.officer: Decimal("-1")}
            )
        self.assertEqual(
            (QuoteLine.objects.count(), Quote.objects.get(pk=quote.pk).total_net), before
        )

    def test_editing_a_sent_quote_is_refused_and_a_new_version_is_made_instead(self):
        quote = self.quote()
        services.quote_send(actor=None, quote=quote, sent_on=ago(100))
        lines = QuoteLine.objects.count()
        with self.assertRaises(Refusal) as caught:
            services.quote_line_add(
                actor=None, quote=quote, kind="days", role=self.officer, quantity=Decimal(1)
            )
        self.assertEqual(caught.exception.code, "quote_sent")
        self.assertIn("nouvelle version", caught.exception.message)
        with self.assertRaises(Refusal):
            services.quote_update(actor=None, quote=quote, data={"title": "Autre"})
        with self.assertRaises(Refusal):
            services.quote_line_remove(actor=None, line=quote.lines.first())
        self.assertEqual(QuoteLine.objects.count(), lines)
        self.assertEqual(Quote.objects.get(pk=quote.pk).title, quote.title)

        fresh = services.quote_revise(actor=None, quote=quote)
        self.assertEqual((fresh.year, fresh.seq, fresh.version), (quote.year, quote.seq, 2))
        self.assertTrue(fresh.number.endswith("v2"))
        self.assertEqual(fresh.total_net, quote.total_net)
        self.assertEqual(Quote.objects.get(pk=quote.pk).status, QuoteStatus.SUPERSEDED)
        services.quote_update(actor=None, quote=fresh, data={"title": "Étude revue"})
        self.assertEqual(Quote.objects.get(pk=fresh.pk).title, "Étude revue")
        # the sent version keeps its lines as sent
        self.assertEqual(QuoteLine.objects.filter(quote=quote).count(), lines)

    def test_accepting_opens_the_mission_and_wins_the_request(self):
        quote = self.quote()
        services.quote_send(actor=None, quote=quote, sent_on=ago(100))
        self.assertEqual(StudyRequest.objects.get().status, RequestStatus.QUOTE_SENT)
        mission = services.quote_accept(actor=None, quote=quote, accepted_on=ago(90))
        self.assertEqual(StudyRequest.objects.get().status, RequestStatus.WON)
        self.assertEqual(mission.starts_on, ago(90))
        self.assertEqual([p.name for p in mission.phases.all()], ["Diagnostic", "Concertation"])
        self.assertEqual([p.sold_days for p in mission.phases.all()], [Decimal(5), Decimal("3.5")])
        self.assertEqual(mission.deliverables.count(), 3)
        self.assertEqual([i.percent for i in mission.schedule.all()], [Decimal(30), Decimal(70)])
        with self.assertRaises(Refusal):
            services.quote_accept(actor=None, quote=quote, accepted_on=ago(80))
        self.assertEqual(Mission.objects.count(), 1)

    def test_an_expired_quote_cannot_be_accepted(self):
        quote = self.quote()
        services.quote_update(actor=None, quote=quote, data={"valid_until": ago(95)})
        services.quote_send(actor=None, quote=quote, sent_on=ago(100))
        quote.refresh_from_db()
        self.assertEqual(quote.status_on(), QuoteStatus.EXPIRED)
        with self.assertRaises(Refusal) as caught:
            services.quote_accept(actor=None, quote=quote, accepted_on=ago(90))
        self.assertIn("expiré", caught.exception.message)
        self.assertFalse(Mission.objects.exists())

    def test_a_refused_quote_loses_the_request_with_its_reason(self):
        quote = self.quote()
        services.quote_send(actor=None, quote=quote, sent_on=ago(100))
        services.quote_refuse(actor=None, quote=quote, refused_on=ago(95), reason="Budget")
        request = StudyRequest.objects.get()
        self.assertEqual((request.status, request.status_reason), (RequestStatus.LOST, "Budget"))

    def test_dropping_a_request_needs_a_reason(self):
        with self.assertRaises(Refusal) as caught:
            services.request_status_set(actor=None, request=self.request, status="dropped")
        self.assertEqual(caught.exception.field, "reason")
        self.assertEqual(StudyRequest.objects.get().status, RequestStatus.NEW)

    def test_quote_numbers_follow_each_other_within_a_year(self):
        first, second = self.quote(), self.quote()
        self.assertEqual((first.seq, second.seq), (1, 2))
        self.assertEqual(first.year, (dt.date.today() - dt.timedelta(days=110)).year)

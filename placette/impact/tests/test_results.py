from decimal import Decimal
from fractions import Fraction

from django.urls import reverse

from placette.impact import services
from placette.impact.models import Invitation
from placette.impact.results import year_results
from placette.impact.tests.helpers import campaign_with_activity
from placette.lib.testing import pdf_text
from placette.places.tests.helpers import make_operation
from placette.test import BaseTestCase

UCLA = "i15-isolement-ressenti-echelle-ucla-a-3-ques"
MET = "i13-grace-a-ce-lieu-jai-rencontre-de-nouvell"
STORY = "i23-temoignage-un-moment-ou-ce-lieu-a-change"


class ResultsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.campaign, cls.place, cls.activity = campaign_with_activity()
        make_operation(cls.place)
        services.campaign_launch(campaign=cls.campaign, actor=None)
        invitation = Invitation.objects.get()
        services.response_save(
            invitation=invitation,
            data={
                "i12-evenements-collectifs-ouverts-a-tous": "14",
                "i05-emplois-sur-le-lieu": "2,5",
            },
            submit=True,
        )
        link = cls.campaign.links.get()
        for met, ucla, story, publish in (
            ("5", ["3", "2", "3"], "Le café m’a sorti de chez moi.", True),
            ("4", ["1", "1", "1"], "Mon voisin, je l’ai connu ici.", False),
            ("2", ["2", "2", "1"], "", False),
        ):
            services.inhabitant_submit(
                link=link,
                data={MET: met, UCLA: ucla, STORY: story, f"{STORY}:publish": publish},
            )
        cls.year = cls.campaign.framework.year

    def result(self, data, code):
        return next(r for d in data.dimensions for r in d.results if r.indicator.code == code)

    def test_the_year_aggregates_scales_instruments_numbers_and_never_averages_testimonies(self):
        data = year_results(self.year)
        met = self.result(data, MET)
        self.assertEqual((met.n, met.mean, met.share), (3, Decimal("3.67"), Fraction(2, 3)))
        ucla = self.result(data, UCLA)  # scores 8, 3, 5: one of three at 6 or more
        self.assertEqual((ucla.n, ucla.mean, ucla.share), (3, Decimal("5.33"), Fraction(1, 3)))
        self.assertEqual(self.result(data, "i12-evenements-collectifs-ouverts-a-tous").total, 14)
        story = self.result(data, STORY)
        self.assertEqual((story.n, story.quotes), (2, ["Le café m’a sorti de chez moi."]))
        self.assertIsNone(story.mean)
        surface = self.result(data, "i01-surface-renovee-mise-a-disposition-dacti")
        self.assertEqual(surface.computed, Decimal("220"))
        self.assertEqual((data.expected, data.submitted, data.inhabitants), (1, 1, 3))

    def test_next_year_shows_this_year_beside_its_figures(self):
        following = services.framework_copy(
            source=self.campaign.framework, year=self.year + 1, actor=None
        )
        data = year_results(following.year)
        self.assertEqual(self.result(data, MET).previous, Decimal("3.67"))
        self.assertIsNone(self.result(data, MET).mean)

    def test_the_report_pdf_carries_the_same_figures_as_the_page(self):
        self.login(self.staff)
        page = self.client.get(reverse("impact:results", args=[self.year]))
        self.assertContains(page, "moyenne 3,67")
        self.assertContains(page, "« Le café m’a sorti de chez moi. »")
        self.assertNotContains(page, "Mon voisin")
        self.assertContains(page, "1 questionnaires d’activités reçus sur 1 attendus (100\u00a0%)")
        latest = self.client.get(reverse("impact:results_latest"))
        self.assertContains(latest, "moyenne 3,67")
        pdf = self.client.get(reverse("impact:report_pdf", args=[self.year]))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        text = pdf_text(pdf.content)
        for figure in ("3,67", "5,33", "220", "Le café m’a sorti de chez moi.", "contribution"):
            self.assertIn(figure, text)
        self.assertNotIn("Mon voisin", text)

    def test_the_results_pages_are_for_the_team_only(self):
        for url in (
            reverse("impact:results_latest"),
            reverse("impact:results", args=[self.year]),
            reverse("impact:report_pdf", args=[self.year]),
        ):
            self.assert_staff_only(url)
        self.login(self.staff)
        self.assertEqual(self.client.get(reverse("impact:results", args=[1990])).status_code, 404)

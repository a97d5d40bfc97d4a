"""The staff pages of communication: who gets in, constant query counts, the editor's flow."""

import itertools

from django.utils import timezone

from placette.contacts.models import ConsentPurpose
from placette.lib.models import SavedView
from placette.mailing.models import (
    Campaign,
    CampaignStatus,
    Delivery,
    Segment,
    Suppression,
    SuppressionReason,
)
from placette.mailing.tests.helpers import NEWSLETTER, campaign, segment, subscriber
from placette.mailing.todos import todos
from placette.test import BaseTestCase

_counter = itertools.count(1000)


class MailingViewTests(BaseTestCase):
    def setUp(self) -> None:
        self.segment = segment()
        self.campaign = campaign(self.segment)

    def test_every_staff_page_is_for_the_team_only(self):
        pk = self.campaign.pk
        for url in (
            "/gestion/communication/",
            "/gestion/communication/campagnes/nouvelle/",
            f"/gestion/communication/campagnes/{pk}/modifier/",
            f"/gestion/communication/campagnes/{pk}/apercu/",
            "/gestion/communication/audience/",
            "/gestion/communication/segments/",
            f"/gestion/communication/segments/{self.segment.pk}/",
            "/gestion/communication/opposition/",
            "/gestion/communication/imports/",
            "/gestion/communication/delivrabilite/",
        ):
            self.assert_staff_only(url)
        for url in (
            f"/gestion/communication/campagnes/{pk}/envoyer/",
            f"/gestion/communication/campagnes/{pk}/essai/",
            f"/gestion/communication/campagnes/{pk}/blocs/ajouter/",
        ):
            self.assert_staff_only(url, method="post")

    def test_the_campaign_list_costs_the_same_queries_with_many_campaigns(self):
        self.login(self.staff)

        def add(n):
            for _ in range(n):
                campaign(self.segment, subject=f"Lettre {next(_counter)}")

        self.assert_constant_queries("/gestion/communication/", add)

    def test_the_audience_list_costs_the_same_queries_with_many_contacts(self):
        self.login(self.staff)
        self.assert_constant_queries(
            f"/gestion/communication/audience/?consent={NEWSLETTER}",
            lambda n: [subscriber(next(_counter)) for _ in range(n)],
        )

    def test_the_suppression_list_costs_the_same_queries_with_many_addresses(self):
        self.login(self.staff)
        self.assert_constant_queries(
            "/gestion/communication/opposition/",
            lambda n: Suppression.objects.bulk_create(
                [
                    Suppression(
                        email=f"s{k}@exemple.fr",
                        email_normalized=f"s{k}@exemple.fr",
                        reason=SuppressionReason.MANUAL,
                    )
                    for k in [next(_counter) for _ in range(n)]
                ]
            ),
        )

    def test_a_segment_shows_its_live_count_and_preview_in_constant_queries(self):
        self.login(self.staff)
        url = f"/gestion/communication/segments/{self.segment.pk}/"
        self.assert_constant_queries(url, lambda n: [subscriber(next(_counter)) for _ in range(n)])
        response = self.client.get(url)
        self.assertContains(response, "destinataires")

    def test_a_saved_contacts_view_becomes_a_segment(self):
        subscriber(1, department_postcode="07000", commune="07186")
        subscriber(2)
        view = SavedView.objects.create(
            owner=self.staff, list_key="contacts", name="Ardèche", query="department=07"
        )
        self.login(self.staff)
        purpose = ConsentPurpose.objects.get(code=NEWSLETTER)
        response = self.client.post(
            "/gestion/communication/segments/nouveau/",
            {"saved_view": view.pk, "name": "Ardèche", "purpose": purpose.pk, "description": ""},
        )
        seg = Segment.objects.get(name="Ardèche")
        self.assertRedirects(response, seg.get_absolute_url())
        self.assertEqual(seg.query, "department=07")
        page = self.client.get(seg.get_absolute_url())
        self.assertEqual(page.context["counts"].recipients, 1)

    def test_the_editor_adds_a_block_saves_it_and_previews_it(self):
        self.login(self.staff)
        pk = self.campaign.pk
        self.client.post(f"/gestion/communication/campagnes/{pk}/blocs/ajouter/", {"kind": "text"})
        self.campaign.refresh_from_db()
        index = len(self.campaign.blocks) - 1
        response = self.client.post(
            f"/gestion/communication/campagnes/{pk}/blocs/{index}/",
            {f"b{index}-markdown": "Un **nouveau** paragraphe."},
            HTTP_HX_REQUEST="true",
        )
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response["HX-Trigger"], "preview-refresh")
        preview = self.client.get(f"/gestion/communication/campagnes/{pk}/apercu/")
        self.assertContains(preview, "nouveau")
        self.assertContains(preview, "Téléphone")

    def test_sending_asks_for_confirmation_naming_how_many_first(self):
        subscriber(1)
        subscriber(2)
        self.login(self.staff)
        url = f"/gestion/communication/campagnes/{self.campaign.pk}/envoyer/"
        response = self.client.post(url)
        self.assertContains(response, "Envoyer à 2 destinataires")
        self.assertFalse(Delivery.objects.exists())
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.status, CampaignStatus.DRAFT)

    def test_sending_to_an_empty_segment_is_blocked_on_the_confirmation(self):
        self.login(self.staff)
        url = f"/gestion/communication/campagnes/{self.campaign.pk}/envoyer/"
        response = self.client.post(url, {"confirm": "1"})
        self.assertContains(response, "ne compte aucun destinataire")
        self.assertFalse(Delivery.objects.exists())

    def test_a_sent_campaign_page_shows_its_figures_and_is_not_editable(self):
        Campaign.objects.filter(pk=self.campaign.pk).update(
            status=CampaignStatus.SENT, sent_at=timezone.now()
        )
        self.login(self.staff)
        response = self.client.get(f"/gestion/communication/campagnes/{self.campaign.pk}/modifier/")
        self.assertRedirects(response, f"/gestion/communication/campagnes/{self.campaign.pk}/")
        page = self.client.get(f"/gestion/communication/campagnes/{self.campaign.pk}/")
        self.assertContains(page, "Désinscriptions")
        self.assertContains(page, "Aucun pixel de suivi")

    def test_the_archive_shows_sent_issues_without_anyone_s_name(self):
        subscriber(1, first_name="Léa")
        Campaign.objects.filter(pk=self.campaign.pk).update(
            status=CampaignStatus.SENT, sent_at=timezone.now()
        )
        listing = self.client.get("/lettres/")
        self.assertContains(listing, "La Panache n° 12")
        issue = self.client.get(f"/lettres/{self.campaign.pk}/")
        self.assertContains(issue, "Bonjour ,")
        self.assertNotContains(issue, "*|")

    def test_the_todos_cost_a_fixed_number_of_queries(self):
        with self.assertNumQueries(4):
            items = todos()
        self.assertEqual([t.count for t in items], [0, 0, 0, 0])

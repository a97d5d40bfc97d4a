import datetime as dt

from django.urls import reverse
from django.utils import timezone

from placette.impact import services
from placette.impact.models import Answer, Campaign, Invitation, Response
from placette.impact.tests.helpers import campaign_with_activity
from placette.lib.models import Job, OutgoingMessage
from placette.lib.refusals import Refusal
from placette.places.tests.helpers import make_place
from placette.test import BaseTestCase


def answers(**extra):
    """Activity answers by indicator code (the starter's codes)."""
    data = {"i05-emplois-sur-le-lieu": "2,5", "i12-evenements-collectifs-ouverts-a-tous": "14"}
    return data | extra


class CampaignTests(BaseTestCase):
    def setUp(self):
        self.campaign, self.place, self.activity = campaign_with_activity()

    def launch(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.campaign_launch(campaign=self.campaign, actor=self.staff)
        return Invitation.objects.get()

    def test_staff_create_and_launch_a_campaign_then_the_activity_answers_through_its_link(self):
        self.login(self.staff)
        today = timezone.localdate()
        response = self.client.post(
            reverse("impact:campaigns"),
            {
                "framework": self.campaign.framework.pk,
                "title": "",
                "opens_on": today.isoformat(),
                "deadline": (today - dt.timedelta(days=1)).isoformat(),
                "places": [self.place.pk],
                "inhabitants": "on",
                "reminder_days": 7,
            },
        )
        self.assertContains(response, "La date limite précède l’ouverture de la campagne.")
        self.assertEqual(Campaign.objects.count(), 1)
        url = reverse("impact:campaign_launch", args=[self.campaign.pk])
        response = self.client.post(url)
        self.assertContains(response, "Inviter 1 activité")
        self.assertContains(response, "Le Café de Saillans — Café La Fontaine")
        self.assertEqual(Invitation.objects.count(), 0)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"confirm": "1"}, follow=True)
        self.assertContains(response, "1 activité invitée.")
        invitation = Invitation.objects.get()
        mail = OutgoingMessage.objects.get(kind="impact.invitation")
        self.assertEqual(mail.to, "cafe@fontaine.fr")
        self.assertIn(invitation.get_absolute_url(), mail.body_text)
        self.assertContains(
            self.client.post(url), "Toutes les activités ouvertes sont déjà invitées."
        )

        self.client.logout()  # the activity has no account: the link is the key
        link = invitation.get_absolute_url()
        page = self.client.get(link)
        self.assertContains(page, "Café La Fontaine — Le Café de Saillans")
        self.assertNotContains(page, "Surface rénovée")  # computed, never asked
        self.client.post(link, answers(**{"i08-heures-douverture-au-public": "42"}) | {"save": "1"})
        self.assertEqual(Answer.objects.count(), 3)
        page = self.client.get(link)
        self.assertContains(page, 'value="42"')
        self.assertContains(page, 'value="2.5"')
        response = self.client.post(link, answers() | {"submit": "1"}, follow=True)
        self.assertContains(response, "Merci : votre questionnaire est envoyé.")
        self.assertEqual(Answer.objects.count(), 2)
        response = self.client.post(link, answers() | {"submit": "1"}, follow=True)
        self.assertContains(response, "a déjà été envoyé le")
        self.assertContains(response, "il ne peut plus être modifié")
        self.login(self.staff)
        board = self.client.get(self.campaign.get_absolute_url())
        self.assertContains(board, "100\u00a0%")
        self.assertContains(board, "envoyé le")

    def test_an_answer_outside_its_scale_is_refused_and_nothing_is_saved(self):
        invitation = self.launch()
        response = self.client.post(
            invitation.get_absolute_url(),
            answers(**{"i22-part-de-loffre-gratuite-ou-a-prix-solida": "140"}) | {"save": "1"},
        )
        self.assertContains(response, "un pourcentage va de 0 à 100")
        self.assertContains(response, 'value="140"')  # the typed answers stay on the page
        self.assertEqual(Response.objects.count(), 0)

    def test_a_forged_link_shows_a_french_page_and_reveals_nothing(self):
        self.launch()
        for url in ("/questionnaire/pas-un-vrai-jeton/", "/questionnaire/habitants/faux/"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 404)
            self.assertContains(
                response, "lien de questionnaire n’est pas valable", status_code=404
            )
            self.assertEqual(self.client.post(url, answers()).status_code, 404)
        self.assertEqual(Response.objects.count(), 0)

    def test_answers_after_the_deadline_or_on_a_closed_campaign_are_refused(self):
        invitation = self.launch()
        Campaign.objects.filter(pk=self.campaign.pk).update(
            deadline=timezone.localdate() - dt.timedelta(days=1),
            opens_on=timezone.localdate() - dt.timedelta(days=20),
        )
        response = self.client.post(invitation.get_absolute_url(), answers() | {"submit": "1"})
        self.assertContains(response, "est passée : les réponses ne sont plus reçues")
        Campaign.objects.filter(pk=self.campaign.pk).update(
            deadline=timezone.localdate() + dt.timedelta(days=1)
        )
        services.campaign_close(campaign=self.campaign, actor=self.staff)
        with self.assertRaisesMessage(Refusal, "Cette campagne est close"):
            services.response_save(invitation=invitation, data=answers(), submit=True)
        link = self.campaign.links.get()
        with self.assertRaisesMessage(Refusal, "Cette campagne est close"):
            services.inhabitant_submit(
                link=link, data={"i14-on-sy-sent-bien-accueilli-cest-convivial": "4"}
            )
        self.assertEqual(Response.objects.count(), 0)

    def test_reminders_go_as_a_job_to_those_who_have_not_answered_only(self):
        invitation = self.launch()
        other = make_place(name="L’Épicerie de Die")
        from placette.places.tests.helpers import make_activity, make_tenant

        make_activity(other, tenant=make_tenant("Épicerie", "epicerie@die.fr"), name="Épicerie")
        self.campaign.places.add(other)
        with self.captureOnCommitCallbacks(execute=True):
            services.campaign_launch(campaign=self.campaign, actor=self.staff)
        answered = Invitation.objects.exclude(pk=invitation.pk).get()
        services.response_save(invitation=answered, data=answers(), submit=True)
        week_ago = timezone.now() - dt.timedelta(days=8)
        Invitation.objects.update(invited_at=week_ago)
        self.login(self.staff)
        url = reverse("impact:campaign_remind", args=[self.campaign.pk])
        self.assertContains(self.client.post(url), "Relancer 1 activité")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"confirm": "1"})
        job = Job.objects.get()
        self.assertRedirects(response, job.get_absolute_url(), fetch_redirect_response=False)
        self.assertContains(self.client.get(job.get_absolute_url()), "1 relance envoyée.")
        reminder = OutgoingMessage.objects.get(kind="impact.reminder")
        self.assertEqual(reminder.to, "cafe@fontaine.fr")
        invitation.refresh_from_db()
        self.assertEqual(invitation.reminders, 1)
        self.assertContains(self.client.post(url), "Aucune activité à relancer aujourd’hui.")

    def test_an_inhabitant_answers_once_per_browser_and_the_team_types_in_paper_forms(self):
        link = self.campaign.links.get()
        ucla = "i15-isolement-ressenti-echelle-ucla-a-3-ques"
        data = {
            "i13-grace-a-ce-lieu-jai-rencontre-de-nouvell": "5",
            f"{ucla}-0": "1",
            f"{ucla}-1": "2",
            f"{ucla}-2": "",
            "i23-temoignage-un-moment-ou-ce-lieu-a-change": "On s’y retrouve.",
        }
        page = self.client.get(link.get_absolute_url())
        self.assertContains(page, "À quelle fréquence vous sentez-vous isolé·e des autres ?")
        response = self.client.post(link.get_absolute_url(), data)
        self.assertContains(response, "répondez à chacune des 3 questions")
        self.assertEqual(Response.objects.count(), 0)
        data[f"{ucla}-2"] = "3"
        data["i23-temoignage-un-moment-ou-ce-lieu-a-change:publish"] = "1"
        response = self.client.post(link.get_absolute_url(), data, follow=True)
        self.assertContains(response, "Merci pour vos réponses !")
        score = Answer.objects.get(indicator__code=ucla)
        self.assertEqual((score.value, score.text), (6, "1,2,3"))
        self.assertTrue(Answer.objects.get(indicator__kind="text").publish)
        again = self.client.post(link.get_absolute_url(), data)
        self.assertContains(again, "Vous avez déjà répondu depuis cet appareil.")
        self.assertEqual(Response.objects.count(), 1)
        self.login(self.staff)
        paper = reverse("impact:paper_entry", args=[link.pk])
        self.client.post(paper, {"i16-ce-lieu-ameliore-ma-qualite-de-vie-au-vi": "4"})
        self.client.post(paper, {"i16-ce-lieu-ameliore-ma-qualite-de-vie-au-vi": "3"})
        self.assertEqual(Response.objects.filter(source="paper").count(), 2)
        board = self.client.get(self.campaign.get_absolute_url())
        self.assertContains(board, "3 (2)")


class CampaignPagesTests(BaseTestCase):
    def test_every_campaign_page_is_for_the_team_and_the_questionnaires_for_anyone(self):
        campaign, _place, _activity = campaign_with_activity()
        for name in ("impact:campaigns", "impact:campaign"):
            args = [] if name == "impact:campaigns" else [campaign.pk]
            self.assert_staff_only(reverse(name, args=args))
        for name in ("impact:campaign_launch", "impact:campaign_remind", "impact:campaign_close"):
            self.assert_staff_only(reverse(name, args=[campaign.pk]), "post", {"confirm": "1"})
        link = campaign.links.get()
        self.assert_staff_only(reverse("impact:paper_entry", args=[link.pk]))
        self.assert_staff_only(
            reverse("impact:paper_entry", args=[link.pk]),
            "post",
            {"i16-ce-lieu-ameliore-ma-qualite-de-vie-au-vi": "4"},
        )
        self.assertEqual(Invitation.objects.count(), 0)
        self.assertIsNone(Campaign.objects.get().closed_at)
        self.assertEqual(Response.objects.count(), 0)
        for persona in (None, self.member, self.activity_holder):
            self.client.logout()
            if persona:
                self.login(persona)
            self.assertEqual(self.client.get(link.get_absolute_url()).status_code, 200)

    def test_the_list_of_campaigns_costs_the_same_queries_with_many_campaigns(self):
        campaign, place, _activity = campaign_with_activity()
        self.login(self.staff)

        def add(n):
            for k in range(n):
                services.campaign_create(
                    framework=campaign.framework,
                    title=f"C{k}",
                    opens_on=campaign.opens_on,
                    deadline=campaign.deadline,
                    places=[place],
                    actor=None,
                )

        self.assert_constant_queries(reverse("impact:campaigns"), add)

    def test_the_follow_up_board_costs_the_same_queries_with_many_places(self):
        campaign, _place, _activity = campaign_with_activity()
        self.login(self.staff)
        names = iter(range(1000))

        def add(n):
            for _ in range(n):
                campaign.places.add(make_place(name=f"Lieu {next(names)}"))

        self.assert_constant_queries(campaign.get_absolute_url(), add, few=2, many=12)

"""French error pages in the site's layout, saying what to do next."""

from django.template import loader
from django.test import Client, override_settings
from django.urls import reverse

from placette.test import BaseTestCase


@override_settings(DEBUG=False)
class ErrorPagesTests(BaseTestCase):
    def assert_in_layout(self, response) -> None:
        self.assertContains(response, '<html lang="fr">', status_code=response.status_code)
        self.assertContains(response, "Aller au contenu", status_code=response.status_code)

    def test_a_member_following_a_staff_link_sees_the_french_403_page_with_their_space(self):
        self.login(self.member)
        response = self.client.get(reverse("backoffice:dashboard"))
        self.assertEqual(response.status_code, 403)
        self.assertTemplateUsed(response, "403.html")
        self.assert_in_layout(response)
        self.assertContains(response, "Vous n’avez pas accès à cette page", status_code=403)
        self.assertContains(response, "réservée à l’équipe de la coopérative", status_code=403)
        self.assertContains(response, reverse("portal:home"), status_code=403)
        self.assertContains(response, "Changer de compte", status_code=403)
        self.assertNotContains(response, "Forbidden", status_code=403)

    def test_a_board_member_on_a_staff_page_sees_the_french_403_page(self):
        self.login(self.board_member)
        response = self.client.get(reverse("backoffice:dashboard"))
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Aller à mon espace", status_code=403)

    def test_a_staff_user_on_an_admin_page_is_sent_back_to_the_dashboard(self):
        self.login(self.staff)
        response = self.client.get(reverse("accounts:list"))
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "réservée aux administrateurs", status_code=403)
        self.assertContains(response, reverse("backoffice:dashboard"), status_code=403)

    def test_an_unknown_address_shows_the_french_404_page(self):
        self.login(self.member)
        response = self.client.get("/gestion/nulle-part/")
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "404.html")
        self.assert_in_layout(response)
        self.assertContains(response, "Cette page est introuvable", status_code=404)
        self.assertContains(response, "Retour à l’accueil", status_code=404)
        self.assertNotContains(response, "Not Found", status_code=404)

    def test_a_missing_record_shows_the_french_404_page_not_the_english_query_message(self):
        self.login(self.staff)
        response = self.client.get(reverse("governance:meeting", args=[999999]))
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Cette page est introuvable", status_code=404)
        self.assertNotContains(response, "matches the given query", status_code=404)

    @override_settings(ROOT_URLCONF="placette.lib.tests.urls_failing")
    def test_a_server_error_shows_the_french_500_page(self):
        self.client.raise_request_exception = False
        with self.assertLogs("django.request", level="ERROR"):
            response = self.client.get("/panne/")
        self.assertEqual(response.status_code, 500)
        self.assert_in_layout(response)
        self.assertContains(response, "Une erreur est survenue de notre côté", status_code=500)
        self.assertNotContains(response, "Server Error", status_code=500)

    def test_the_500_page_renders_without_any_request_or_context(self):
        html = loader.get_template("500.html").render()
        self.assertIn("Une erreur est survenue de notre côté", html)
        self.assertIn("Placette", html)

    def test_a_form_sent_without_a_valid_csrf_token_shows_the_french_page(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.staff, backend="django.contrib.auth.backends.ModelBackend")
        response = client.post(reverse("governance:meeting_create"), {"title": "AG"})
        self.assertEqual(response.status_code, 403)
        self.assertTemplateUsed(response, "403_csrf.html")
        self.assertContains(response, "Ce formulaire n’a pas pu être envoyé", status_code=403)
        self.assertContains(response, "Rien n’a été enregistré", status_code=403)
        self.assertNotContains(response, "CSRF verification failed", status_code=403)

"""The confirmation helper: nothing happens without confirm=1, the POSTed fields come back,
a blocked action has no button, a mass email is previewed and sent to oneself on request."""

from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from placette.lib.confirm import Confirmation, MailPreview, confirm
from placette.test import BaseTestCase


class ConfirmTests(BaseTestCase):
    def request(self, method: str = "post", data: dict | None = None):
        request = getattr(RequestFactory(), method)("/gestion/essai/?date=2024-12-31", data or {})
        request.user = self.staff
        request._messages = CookieStorage(request)
        return request

    def confirmation(self, **extra) -> Confirmation:
        return Confirmation(
            title="Convoquer l’AG",
            what="Chaque votant reçoit sa convocation.",
            count=1234,
            count_label="votants convoqués",
            button="Convoquer 1234 votants",
            cancel_url="/gestion/",
            **extra,
        )

    def test_a_get_or_a_post_without_confirm_shows_the_page_with_the_count_and_does_nothing(self):
        for request in (self.request("get"), self.request(data={"ids": ["3", "4"]})):
            response = confirm(request, self.confirmation())
            self.assertIsNotNone(response)
            html = response.content.decode()
            self.assertIn('data-count="1234"', html)
            self.assertIn("1\u202f234</span> votants convoqués", html)
            self.assertIn("Cette action ne peut pas être annulée.", html)
            self.assertIn('action="/gestion/essai/?date=2024-12-31"', html)
            self.assertIn('<input type="hidden" name="confirm" value="1">', html)
        self.assertIn('<input type="hidden" name="ids" value="3">', html)
        self.assertIn('<input type="hidden" name="ids" value="4">', html)

    def test_a_post_with_confirm_goes_ahead_unless_the_action_is_blocked(self):
        self.assertIsNone(confirm(self.request(data={"confirm": "1"}), self.confirmation()))
        blocked = confirm(
            self.request(data={"confirm": "1"}), self.confirmation(blocked="Déjà convoquée.")
        )
        self.assertIsNotNone(blocked)
        self.assertIn("Déjà convoquée.", blocked.content.decode())
        self.assertNotIn('name="confirm"', blocked.content.decode())

    def test_a_mass_email_is_previewed_and_sent_to_oneself_on_request(self):
        sent = []
        confirmation = self.confirmation(
            preview=lambda: MailPreview(
                recipient="Alice <alice@exemple.fr>", subject="Convocation : AG", text="Bonjour"
            ),
            test_send=sent.append,
        )
        page = confirm(self.request(), confirmation)
        html = page.content.decode()
        self.assertIn("Tel que le recevra Alice &lt;alice@exemple.fr&gt;.", html)
        self.assertIn("Convocation : AG", html)
        self.assertIn("M’envoyer un essai (equipe@test.fr)", html)
        self.assertEqual(sent, [])
        request = self.request(data={"test_send": "1"})
        page = confirm(request, confirmation)
        self.assertIsNotNone(page)  # a test send is not the confirmation
        self.assertEqual(sent, ["equipe@test.fr"])
        self.assertIn("E-mail d’essai envoyé à equipe@test.fr", str(list(get_messages(request))))

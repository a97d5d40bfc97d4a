"""The language of pages: French unless the person chose English (never the browser's)."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from placette.accounts.models import User
from placette.test import BaseTestCase

CATALOGUE = Path(settings.BASE_DIR) / "placette" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


class LanguageTests(BaseTestCase):
    def test_a_browser_set_to_english_still_gets_the_french_site(self):
        page = self.client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(page, '<html lang="fr">')
        self.assertContains(page, "Aller au contenu")
        self.assertEqual(page["Content-Language"], "fr")

    def test_a_visitor_who_chooses_english_keeps_it_in_a_cookie_and_goes_back_to_the_page(self):
        response = self.client.post(
            reverse("language_set"), {"language": "en", "next": "/comptes/login/"}
        )
        self.assertRedirects(response, "/comptes/login/", fetch_redirect_response=False)
        page = self.client.get("/comptes/login/")
        self.assertContains(page, '<html lang="en">')
        self.assertContains(page, "Skip to content")
        self.assertNotContains(page, "Aller au contenu")

    def test_a_signed_in_persons_choice_is_kept_on_the_account_for_every_device(self):
        self.login(self.member)
        self.client.post(reverse("language_set"), {"language": "en", "next": "/espace/"})
        self.member.refresh_from_db()
        self.assertEqual(self.member.language, "en")
        self.client.cookies.clear()  # another device: no cookie, the account decides
        self.login(self.member)
        page = self.client.get("/espace/")
        self.assertContains(page, "My space")
        self.assertContains(page, "Sign out")

    def test_an_unknown_language_is_refused_in_french_and_changes_nothing(self):
        self.login(self.member)
        response = self.client.post(reverse("language_set"), {"language": "xx"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Langue inconnue", response.content.decode())
        self.assertIn("Choisissez parmi : Français, English.", response.content.decode())
        self.assertEqual(User.objects.get(pk=self.member.pk).language, "")
        self.assertNotIn(settings.LANGUAGE_COOKIE_NAME, response.cookies)

    def test_the_switch_never_sends_to_another_site(self):
        response = self.client.post(
            reverse("language_set"), {"language": "en", "next": "https://ailleurs.example/"}
        )
        self.assertEqual(response["Location"], "/")

    def test_the_compiled_english_catalogue_carries_every_translation_of_the_po_file(self):
        # An independent reader of the .po (single-line entries), against gettext's .mo.
        entries = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', CATALOGUE.read_text(), re.M)
        self.assertGreater(len(entries), 5)
        with translation.override("en"):
            for msgid, msgstr in entries:
                self.assertEqual(translation.gettext(unescape(msgid)), unescape(msgstr), msgid)

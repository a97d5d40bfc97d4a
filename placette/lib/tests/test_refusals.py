"""The one refusal type and the one way a view shows it."""

import subprocess
import sys

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory, SimpleTestCase

from placette.lib.refusals import Refusal
from placette.lib.views import refusal_show


class _Form(forms.Form):
    iban = forms.CharField(required=False)
    shares = forms.IntegerField(required=False)


def _bound_form() -> _Form:
    form = _Form({"iban": "FR00", "shares": "3"})
    assert form.is_valid()
    return form


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


class RefusalTests(SimpleTestCase):
    def test_a_refusal_holds_its_french_sentences_its_field_and_its_code(self):
        refusal = Refusal(
            ["Le BIC est invalide.", "L’IBAN aussi."], field="iban", code="bank_account"
        )
        self.assertEqual(refusal.messages, ["Le BIC est invalide.", "L’IBAN aussi."])
        self.assertEqual(str(refusal), "Le BIC est invalide. L’IBAN aussi.")
        self.assertEqual(refusal.message, str(refusal))
        self.assertEqual((refusal.field, refusal.code), ("iban", "bank_account"))

    def test_a_single_sentence_is_one_message_and_the_field_is_optional(self):
        refusal = Refusal("Indiquez le motif.")
        self.assertEqual(refusal.messages, ["Indiquez le motif."])
        self.assertIsNone(refusal.field)

    def test_a_lazy_translation_stays_one_sentence_and_a_generator_gives_several(self):
        from django.utils.translation import gettext_lazy

        self.assertEqual(
            Refusal(gettext_lazy("Indiquez le motif.")).messages, ["Indiquez le motif."]
        )
        self.assertEqual(Refusal(m for m in ("Un.", "Deux.")).messages, ["Un.", "Deux."])

    def test_a_refusal_is_not_a_value_error_so_no_parsing_guard_swallows_it(self):
        self.assertNotIsInstance(Refusal("x"), ValueError)

    def test_a_refusal_naming_a_field_becomes_an_error_of_that_field(self):
        form = _bound_form()
        refusal_show(_request(), Refusal("L’IBAN saisi n’est pas valide.", field="iban"), form)
        self.assertEqual(form.errors["iban"], ["L’IBAN saisi n’est pas valide."])
        self.assertEqual(form.non_field_errors(), [])

    def test_a_refusal_naming_a_field_the_form_lacks_goes_to_the_top_of_the_form(self):
        form = _bound_form()
        refusal_show(_request(), Refusal("Choisissez une catégorie.", field="category"), form)
        self.assertEqual(form.non_field_errors(), ["Choisissez une catégorie."])

    def test_a_refusal_without_a_form_becomes_one_error_message_per_sentence(self):
        request = _request()
        refusal_show(request, Refusal(["Le quorum n’est pas atteint.", "Rien n’a changé."]))
        shown = [(m.level_tag, str(m)) for m in get_messages(request)]
        self.assertEqual(
            shown, [("error", "Le quorum n’est pas atteint."), ("error", "Rien n’a changé.")]
        )

    def test_the_pure_modules_and_the_refusal_import_without_django(self):
        code = (
            "import sys\n"
            "import placette.lib.refusals, placette.membership.ledger\n"
            "import placette.governance.tally, placette.places.indexation\n"
            "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django'\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        self.assertEqual(result.returncode, 0, result.stderr)

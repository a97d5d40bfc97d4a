"""Issue 9, "stored XSS through uploads": the site sends a Content Security Policy (Django's
built-in middleware) that runs only our own script files and the inline scripts carrying the
request's nonce — and every page still works in Chromium under it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from placette.membership.tests.helpers import make_statutes
from placette.test import BaseTestCase

TEMPLATES = Path(settings.BASE_DIR) / "placette"


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


class PolicyHeaderTests(BaseTestCase):
    def test_every_page_carries_a_policy_without_inline_scripts_or_eval(self):
        self.login(self.staff)
        policy = _policy(self.client.get(reverse("backoffice:dashboard")))
        self.assertEqual(policy["default-src"], ["'self'"])
        self.assertEqual(policy["object-src"], ["'none'"])
        self.assertEqual(policy["frame-ancestors"], ["'none'"])
        script = policy["script-src"]
        self.assertIn("'self'", script)
        self.assertNotIn("'unsafe-inline'", script)
        self.assertNotIn("'unsafe-eval'", script)
        self.assertTrue(any(re.fullmatch(r"'nonce-[\w+/=-]+'", s) for s in script), script)

    def test_the_inline_script_of_a_page_carries_the_nonce_of_its_response(self):
        make_statutes()
        response = self.client.get(reverse("membership_public:subscribe"))
        nonce = next(s for s in _policy(response)["script-src"] if s.startswith("'nonce-"))
        self.assertContains(response, f'<script nonce="{nonce[7:-1]}">')
        # A new request, a new nonce.
        again = self.client.get(reverse("membership_public:subscribe"))
        self.assertNotEqual(_policy(again)["script-src"], _policy(response)["script-src"])

    def test_the_map_tiles_host_is_the_only_other_image_source(self):
        self.login(self.staff)
        policy = _policy(self.client.get(reverse("places:list")))
        self.assertEqual(policy["img-src"], ["'self'", "data:", "https://tile.openstreetmap.org"])


def test_no_template_has_an_inline_script_without_nonce_or_an_inline_event_handler():
    problems = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        text = template.read_text("utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'nonce="{{ csp_nonce }}"' not in tag:
                problems.append(f"{template}: {tag}")
        for handler in re.findall(r"<[^>]*\son[a-z]+\s*=", text):
            problems.append(f"{template}: {handler}")
        if "javascript:" in text:
            problems.append(f"{template}: javascript: URL")
    assert problems == []


# -- in Chromium --------------------------------------------------------------------------------

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_map_htmx_and_the_subscription_form_work_under_the_policy(page, live_server):
    from placette.accounts.models import User
    from placette.contacts.services import contact_create
    from placette.places.tests.helpers import make_place

    make_statutes()
    make_place()
    User.objects.create_user(
        "equipe@test.fr", "mot-de-passe-solide", role="staff", display_name="Eric Equipe"
    )
    contact_create(
        actor=None, data={"kind": "person", "first_name": "Adèle", "last_name": "Chapuis"}
    )
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security" in m.text else None)

    def violations():
        return page.evaluate("window.__csp") + console

    # The public subscription form: its inline script (with the nonce) computes the amount.
    page.goto("/souscrire/")
    page.fill("[name=shares]", "3")
    page.locator("#amount").get_by_text(re.compile("300,00")).wait_for()
    assert violations() == []

    page.goto("/")
    page.get_by_label("Adresse e-mail").fill("equipe@test.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    assert violations() == []

    # htmx: the top bar's suggestions and a list filtered as one types.
    page.fill("#top-search", "chapuis")
    page.locator("#top-search-suggestions").get_by_text(re.compile("Chapuis", re.I)).wait_for()
    page.goto("/gestion/contacts/")
    page.fill("#id_q", "chapuis")
    page.locator("#contact-results").get_by_text("1 contact").wait_for()
    assert violations() == []

    # Leaflet draws the map (tiles may be offline: that is not a policy matter).
    page.goto("/gestion/lieux/")
    page.wait_for_selector("#places-map[data-ready='1']")
    assert page.locator("#places-map .leaflet-interactive").count() == 1
    assert violations() == []

    # Bootstrap's script: the navbar collapses and opens on a small screen.
    page.set_viewport_size({"width": 600, "height": 800})
    page.locator(".navbar-toggler").click()
    page.locator("#nav.show").wait_for()
    assert violations() == []

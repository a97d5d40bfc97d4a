"""The key pages have no axe-core violation, checked in Chromium with the axe-core bundled by
axe-playwright-python (no CDN, nothing downloaded at run time)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.urls import reverse

from placette.accounts.models import User
from placette.governance.tests.helpers import make_ag, make_member, make_statutes
from placette.lib.testing import browser_session_switch

AXE = Axe()


def _violations(page):
    """Axe's violations on the current page, one line per rule with its impact and nodes."""
    results = AXE.run(page)
    return [
        f"{page.url} [{v['impact']}] {v['id']}: "
        + " | ".join(node["target"][0] for node in v["nodes"][:5])
        for v in results.response["violations"]
    ]


def _sign_in_as(page, user, live_server):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    browser_session_switch(
        page,
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}],
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_key_pages_have_no_accessibility_violation(page, live_server):
    make_statutes(legal_form="SA")
    alice = make_member("Alice", "a")
    member = User.objects.create_user("alice@exemple.fr", None, role="member", contact=alice)
    User.objects.create_user(
        "equipe@test.fr", "mot-de-passe-solide", role="staff", display_name="Eric Equipe"
    )
    meeting = make_ag()
    found = []

    page.goto("/comptes/login/")
    found += _violations(page)
    page.get_by_label("Adresse e-mail").fill("equipe@test.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    found += _violations(page)
    for url in [
        reverse("contacts:list"),
        reverse("contacts:detail", args=[alice.pk]),
        reverse("membership:members"),
        reverse("governance:meeting", args=[meeting.pk]),
        reverse("places:list"),
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        found += _violations(page)

    _sign_in_as(page, member, live_server)
    page.goto("/espace/")
    found += _violations(page)

    browser_session_switch(page, [])
    page.goto("/souscrire/")
    found += _violations(page)

    assert found == [], "\n".join(found)

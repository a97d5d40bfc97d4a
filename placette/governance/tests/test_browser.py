"""DONE WHEN: in Chromium, staff convenes an AG, a member votes online and another gives a
proxy, staff records attendance and a show of hands; the result, the PV PDF and the decision
register match example 11 of docs/governance.md (23/36, adopted)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from placette.accounts.models import User
from placette.governance.models import Meeting
from placette.governance.tests.helpers import ag_body, make_member, make_statutes, start
from placette.lib.testing import browser_session_switch, pdf_text


def _session_cookie(user, live_server):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_ag_from_convocation_to_the_decision_register_matches_example_11(page, live_server):
    make_statutes(legal_form="SA")
    members = {
        name: make_member(name, college)
        for name, college in [
            ("Alice", "a"),
            ("Arthur", "a"),
            ("Bruno", "b"),
            ("Berthe", "b"),
            ("Carla", "c"),
            ("Cyril", "c"),
            ("Denis", "d"),
            ("Diane", "d"),
        ]
    }
    alice = User.objects.create_user(
        "alice@exemple.fr", None, role="member", contact=members["Alice"]
    )
    bruno = User.objects.create_user(
        "bruno@exemple.fr", None, role="member", contact=members["Bruno"]
    )
    User.objects.create_user(
        "equipe@test.fr", "mot-de-passe-solide", role="staff", display_name="Eric Equipe"
    )
    ag_body()

    # Staff signs in with a password and creates the AG.
    page.goto("/comptes/login/")
    page.get_by_label("Adresse e-mail").fill("equipe@test.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    staff_cookies = page.context.cookies()
    page.get_by_role("link", name="Gouvernance").first.click()
    page.get_by_role("link", name="Nouvelle réunion").click()
    now = timezone.localtime()
    page.get_by_label("Instance").select_option(label="Assemblée générale")
    page.get_by_label("Type").select_option("AGO")
    page.get_by_label("Intitulé").fill("AG 2025")
    page.get_by_label("Date et heure").fill(f"{now + dt.timedelta(days=30):%Y-%m-%dT%H:%M}")
    page.get_by_label("Liste des votants arrêtée au").fill(f"{now:%Y-%m-%d}")
    page.get_by_label("Ouverture du vote à distance").fill(
        f"{now - dt.timedelta(hours=1):%Y-%m-%dT%H:%M}"
    )
    page.get_by_label("Lieu", exact=True).fill("Salle des fêtes de Dieulefit")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", name="AG 2025").wait_for()
    page.locator("#id_agenda-title").fill("Comptes de l’exercice 2024")
    page.get_by_role("button", name="Ajouter le point").click()
    page.locator("#id_res-title").fill("Approbation des comptes 2024")
    page.get_by_role("button", name="Ajouter la résolution").click()
    page.get_by_text("Résolution ajoutée.").wait_for()
    page.get_by_role("button", name="Arrêter la liste des votants").click()
    page.get_by_role("button", name="Arrêter la liste de 8 votants").click()
    page.get_by_text("8 votant(s)").first.wait_for()
    meeting = Meeting.objects.get()
    page.get_by_role("link", name="Convocation", exact=True).click()
    page.get_by_role("button", name="Convoquer").click()
    assert page.locator("[data-count]").inner_text() == "8"  # the confirmation says how many
    page.get_by_role("button", name="Convoquer 8 votants").click()
    page.get_by_text("Réunion convoquée").wait_for()

    # Alice votes online; Bruno gives his proxy to Carla.
    browser_session_switch(page, [_session_cookie(alice, live_server)])
    page.goto(f"/espace/gouvernance/reunions/{meeting.pk}/")
    page.get_by_role("group", name="Résolution n° 1 — Approbation des comptes 2024").get_by_label(
        "pour"
    ).check()
    page.get_by_role("button", name="Enregistrer mon vote").click()
    page.get_by_text("Votre vote est enregistré").wait_for()

    browser_session_switch(page, [_session_cookie(bruno, live_server)])
    page.goto(f"/espace/gouvernance/reunions/{meeting.pk}/")
    # the proxy holder is found by a search, not picked from the whole roll
    page.get_by_label("Chercher un associé (nom ou n° de sociétaire)").fill("carla")
    page.get_by_role("button", name="Chercher", exact=True).click()
    page.get_by_label("Carla TEST", exact=False).check()
    page.get_by_role("button", name="Donner pouvoir").click()
    page.get_by_text("Votre pouvoir est enregistré").wait_for()

    # The meeting day: staff records attendance, then the show of hands.
    start(meeting)
    browser_session_switch(page, staff_cookies)
    page.goto(f"/gestion/gouvernance/reunions/{meeting.pk}/seance/")
    page.wait_for_load_state("networkidle")  # htmx is loaded before the first click
    for name in ("Arthur TEST", "Carla TEST", "Cyril TEST"):
        page.get_by_role("button", name=f"{name} présent·e").click()
        page.locator("tr", has_text=name).get_by_text("présent·e", exact=True).wait_for(
            timeout=45000
        )
    page.reload()
    assert page.get_by_test_id("quorum-count").inner_text() == "5"
    assert "Quorum atteint" in page.locator("#quorum").inner_text()

    page.get_by_role("link", name="Résolution n° 1").click()
    page.get_by_label("Bénévoles et salariés : contre").fill("1")
    page.get_by_label("Bénéficiaires individuels : pour").fill("1")
    page.get_by_label("Bénéficiaires professionnels et collectivités : pour").fill("1")
    page.get_by_label("Bénéficiaires professionnels et collectivités : contre").fill("1")
    page.get_by_role("button", name="Enregistrer le décompte").click()
    page.get_by_text("Décompte à main levée enregistré.").wait_for()
    assert "23/36" in page.get_by_test_id("outcome").first.inner_text()
    page.get_by_role("button", name="Clore le vote").click()
    page.get_by_text("Le résultat sera figé").wait_for()  # the confirmation first
    page.get_by_role("button", name="Clore le vote").click()
    page.get_by_text("résolution n° 1 adoptée").wait_for()
    outcome = page.get_by_test_id("outcome").first.inner_text()
    assert "adoptée" in outcome and "23/36" in outcome

    page.goto(f"/gestion/gouvernance/reunions/{meeting.pk}/")
    page.get_by_role("button", name="Clore la réunion").click()
    page.get_by_text("votants présents ou à distance, sur 8").wait_for()
    page.get_by_role("button", name="Clore la réunion").click()
    page.get_by_text("Réunion close").wait_for()
    pdf = page.request.get(f"/gestion/gouvernance/reunions/{meeting.pk}/pv.pdf")
    text = pdf_text(pdf.body())
    assert "Procès-verbal" in text and "23/36" in text and "Adoptée" in text
    assert "Bénévoles et salariés" in text

    page.get_by_role("link", name="Gouvernance").first.click()
    page.get_by_role("link", name="Registre des décisions").click()
    row = page.locator("tr", has_text="Approbation des comptes 2024")
    assert "Adoptée — 23/36" in row.inner_text()

import pytest

from placette.accounts.models import User
from placette.contacts.services import contact_create, timeline_append


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_staff_user_signs_in_searches_a_contact_and_reads_its_timeline(page, live_server):
    User.objects.create_user(
        "equipe@test.fr", "mot-de-passe-solide", role="staff", display_name="Eric Equipe"
    )
    contact = contact_create(
        actor=None,
        data={
            "kind": "person",
            "first_name": "Adèle",
            "last_name": "Chapuis",
            "email": "adele@exemple.fr",
            "postcode": "26150",
            "commune_code": "26113",
        },
    )
    contact_create(
        actor=None, data={"kind": "person", "first_name": "Autre", "last_name": "Personne"}
    )
    timeline_append(contact=contact, kind="call", title="Appel au sujet de la souscription")

    page.goto("/")
    page.get_by_label("Adresse e-mail").fill("equipe@test.fr")
    page.get_by_label("Mot de passe").fill("mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Tableau de bord").wait_for()

    page.get_by_role("link", name="Contacts").first.click()
    page.get_by_label("Rechercher", exact=True).fill("chapuis die")
    # htmx replaces the results as the user types.
    page.locator("#contact-results").get_by_text("1 contact").wait_for()
    assert page.locator("#contact-results").get_by_text("Autre PERSONNE").count() == 0
    page.get_by_role("link", name="Adèle CHAPUIS").click()

    page.get_by_role("heading", name="Adèle CHAPUIS").wait_for()
    timeline = page.locator("#timeline")
    assert "Appel au sujet de la souscription" in timeline.inner_text()
    assert "Fiche créée" in timeline.inner_text()
    assert "Drôme" in page.content()
    page.screenshot(path=str(live_server.url and "/tmp/placette-contact.png"), full_page=True)

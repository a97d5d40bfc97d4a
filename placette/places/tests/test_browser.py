"""Done when: staff adds a place in Chromium, records its acquisition, works and financing,
installs an activity with a lease, and the dashboard figures and the map change accordingly."""

import re

import pytest

from placette.accounts.models import Role, User
from placette.places.models import Lease, Place
from placette.test import make_contact


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_adds_a_place_finances_it_installs_an_activity_and_sees_the_figures_change(page):
    User.objects.create_user("gestion@test.fr", "un-mot-de-passe-solide", role=Role.STAFF)
    tenant = make_contact(
        kind="organisation",
        organisation_name="Association Le Bief",
        org_kind="association",
        email="bief@exemple.fr",
    )
    page.goto("/comptes/login/")
    page.fill("input[name=login]", "gestion@test.fr")
    page.fill("input[name=password]", "un-mot-de-passe-solide")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/gestion/"))

    page.goto("/gestion/")
    dashboard = page.locator("main").inner_text()
    assert "0 / 50" in dashboard

    page.goto("/gestion/lieux/")
    assert page.locator("#places-count").inner_text().startswith("0 lieu")
    page.click("text=Nouveau lieu")
    page.fill("#id_name", "Café de Saillans")
    page.select_option("#id_kind", "cafe")
    page.fill("#id_address_line1", "2 place de la Mairie")
    page.fill("#id_postcode", "26340")
    page.fill("#id_commune", "Saillans")
    page.fill("#id_latitude", "44,6982")
    page.fill("#id_longitude", "5,1937")
    page.select_option("#id_status", "acquisition")
    page.fill("#id_decided_by", "Conseil d’administration")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_selector("h1:has-text('Café de Saillans')")
    place = Place.objects.get(name="Café de Saillans")
    assert (place.commune_code, place.department_code) == ("26289", "26")

    page.click("text=Acquisition, travaux, surfaces")
    page.fill("#id_acquired_on", "2023-03-15")
    page.fill("#id_price", "100000")
    page.fill("#id_notary_fees", "8000")
    page.fill("#id_works_budget", "60000")
    page.fill("#id_works_cost", "62000")
    page.fill("#id_works_started_on", "2023-05-01")
    page.fill("#id_works_ended_on", "2023-11-30")
    page.fill("#id_land_area", "300")
    page.fill("#id_built_area", "210")
    page.fill("#id_renovated_area", "190")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_selector("text=Acquisition, travaux et surfaces enregistrés.")

    # A first source leaves the plan unbalanced: saved, and shown with a warning.
    page.select_option("#id_fin-source", "capital")
    page.fill("#id_fin-amount", "100000")
    page.fill("#id_fin-secured_on", "2023-02-01")
    page.click("#financing button:has-text('Ajouter')")
    page.wait_for_selector("#financing-warning")
    assert "il manque 70" in page.locator("#financing-warning").inner_text()
    page.select_option("#id_fin-source", "bdt")
    page.fill("#id_fin-amount", "70000")
    page.fill("#id_fin-secured_on", "2023-02-20")
    page.click("#financing button:has-text('Ajouter')")
    page.wait_for_selector("text=Le plan de financement équilibre le coût de l’opération.")

    page.click("text=Installer une activité")
    page.select_option("#id_tenant", str(tenant.pk))
    page.fill("#id_name", "Café du Bief")
    page.select_option("#id_kind", "cafe")
    page.fill("#id_opened_on", "2024-01-01")
    page.fill("#id_jobs_fte", "2,5")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_selector("h1:has-text('Nouveau bail')")
    page.select_option("#id_kind", "commercial")
    page.fill("#id_starts_on", "2024-01-01")
    page.fill("#id_ends_on", "2032-12-31")
    page.fill("#id_initial_rent", "900")
    page.fill("#id_charges", "50")
    page.fill("#id_deposit", "1800")
    page.select_option("#id_index_kind", "ILC")
    page.fill("#id_index_year", "2023")
    page.select_option("#id_index_quarter", "3")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_selector("#schedule")
    assert Lease.objects.get().schedule.exists()

    page.goto("/gestion/")
    dashboard = page.locator("main").inner_text()
    assert "1 / 50" in dashboard
    assert "210 m²" in dashboard
    assert "10\u202f800,00\u00a0€" in dashboard  # 900 € × 12

    page.goto("/gestion/lieux/chiffres/")
    assert page.locator("#fig-operations").inner_text() == "1"
    assert page.locator("#fig-activities").inner_text() == "1"

    page.goto("/gestion/lieux/")
    assert page.locator("#places-count").inner_text().startswith("1 lieu")
    assert "Café de Saillans" in page.locator("#places-table").inner_text()
    assert "1 lieu avec coordonnées" in page.locator("#places-map-status").inner_text()
    # The map is drawn from the bundled Leaflet (no CDN); tiles may fail offline.
    page.wait_for_selector("#places-map[data-ready='1']")
    assert page.locator("#places-map .leaflet-interactive").count() == 1

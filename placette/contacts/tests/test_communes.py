from placette.contacts import communes


def test_it_resolves_a_commune_from_its_postcode_and_name_ignoring_accents_and_case():
    assert communes.commune_resolve("07200", "AUBENAS").code == "07019"
    assert communes.commune_resolve("26150", "solaure-en-diois").code == "26001"


def test_it_returns_nothing_for_an_unknown_or_ambiguous_commune():
    assert communes.commune_resolve("26150", "Atlantide") is None
    assert communes.commune_resolve("", "Saint-Martin") is None  # dozens of them


def test_a_commune_knows_its_department_region_and_intercommunality():
    die = communes.commune_get("26113")
    assert (die.name, die.department_name, die.region_name) == (
        "Die",
        "Drôme",
        "Auvergne-Rhône-Alpes",
    )
    assert die.epci_name


def test_the_official_list_covers_all_of_france():
    assert len(communes.communes()) > 34000
    assert len(communes.departments()) >= 101  # with the overseas collectivities
    assert communes.departments()["2A"] == "Corse-du-Sud"

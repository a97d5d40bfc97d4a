"""Demo contacts: invented people and organisations in real communes of the 11 départements."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from placette.contacts import communes
from placette.contacts.models import (
    Affiliation,
    ConsentPurpose,
    ConsentRecord,
    ConsentSource,
    Contact,
    ContactKind,
    OrganisationKind,
    Tag,
    TimelineEntry,
    TimelineKind,
)

DEPARTMENTS = ["26", "07", "38", "69", "42", "43", "63", "03", "15", "05", "04"]
FIRST_NAMES = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Jade",
    "Louise",
    "Alice",
    "Lina",
    "Rose",
    "Anna",
    "Mila",
    "Julia",
    "Zoé",
    "Agathe",
    "Juliette",
    "Émilie",
    "Claire",
    "Hélène",
    "Sophie",
    "Isabelle",
    "Nathalie",
    "Sylvie",
    "Martine",
    "Catherine",
    "Monique",
    "Françoise",
    "Lucas",
    "Hugo",
    "Louis",
    "Gabriel",
    "Arthur",
    "Jules",
    "Adam",
    "Raphaël",
    "Paul",
    "Nathan",
    "Léo",
    "Tom",
    "Théo",
    "Noé",
    "Victor",
    "Antoine",
    "Pierre",
    "Jean",
    "Michel",
    "Philippe",
    "Alain",
    "Bernard",
    "Gérard",
    "Patrick",
    "Thierry",
    "Olivier",
    "Yves",
    "Rémi",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clement",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gerard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gautier",
    "Roger",
    "Roche",
    "Roy",
    "Noel",
    "Meyer",
    "Lucas",
    "Meunier",
    "Jean",
    "Perez",
    "Marchand",
    "Dufour",
    "Blanchard",
    "Marie",
    "Barbier",
    "Brun",
    "Dumas",
    "Brunet",
    "Schmitt",
    "Leroux",
    "Colin",
    "Fernandez",
    "Pierre",
    "Renard",
    "Arnaud",
    "Rolland",
    "Caron",
    "Aubert",
    "Giraud",
    "Leclerc",
    "Vidal",
    "Bourgeois",
    "Renaud",
    "Lemoine",
    "Picard",
    "Gaillard",
    "Philippe",
    "Leclercq",
    "Lacroix",
    "Fabre",
    "Dupuis",
    "Olivier",
    "Rodriguez",
    "Da",
    "Silva",
    "Hubert",
    "Louis",
    "Charles",
    "Guillot",
    "Riviere",
    "Le",
    "Gall",
    "Guillaume",
    "Adam",
    "Rey",
    "Moulin",
    "Gonzalez",
    "Berger",
    "Lecomte",
    "Menard",
    "Fleury",
    "Deschamps",
    "Carpentier",
    "Julien",
    "Benoit",
    "Paris",
    "Maillard",
    "Marchal",
    "Aubry",
    "Vasseur",
    "Le",
    "Roux",
    "Renault",
    "Jacquet",
    "Collet",
    "Prevost",
    "Poirier",
    "Charpentier",
    "Royer",
    "Huet",
    "Baron",
    "Dupuy",
    "Pons",
    "Paul",
    "Laine",
    "Carre",
    "Breton",
    "Remy",
    "Schneider",
    "Perrot",
    "Guyot",
    "Barre",
    "Marty",
    "Cousin",
    "Chabert",
    "Reynaud",
    "Jourdan",
    "Faure",
    "Sauvan",
    "Peyron",
    "Bouvier",
    "Chapuis",
]
TENANTS = [
    ("Café associatif", "association"),
    ("Épicerie coopérative", "ess"),
    ("Multi-commerce", "ess"),
    ("Boulangerie", "company"),
    ("Tiers-lieu", "association"),
    ("Atelier partagé", "association"),
    ("Librairie-café", "ess"),
    ("Recyclerie", "association"),
]
TENANT_NAMES = (
    "La Fontaine|Le Lavoir|Les Tilleuls|La Halle|Le Fournil|La Gare|Le Relais|La Placette|"
    "L’Escale|Le Comptoir|La Source|Les Communs|Le Bief|La Filature|L’Atelier|Le Belvédère"
)
FUNDERS = [
    ("Banque des Territoires", OrganisationKind.PUBLIC_FUNDER),
    ("Crédit Coopératif", OrganisationKind.BANK),
    ("La Nef", OrganisationKind.BANK),
    ("Caisse d’Épargne Loire Drôme Ardèche", OrganisationKind.BANK),
    ("Fondation de France", OrganisationKind.FOUNDATION),
    ("Fondation Caritas", OrganisationKind.FOUNDATION),
    ("France Active Auvergne-Rhône-Alpes", OrganisationKind.PUBLIC_FUNDER),
    ("Région Auvergne-Rhône-Alpes", OrganisationKind.REGION),
    ("ADEME Auvergne-Rhône-Alpes", OrganisationKind.PUBLIC_FUNDER),
]
TAGS = [
    "épargnant",
    "bénévole",
    "élu",
    "partenaire",
    "presse",
    "newsletter",
    "prospect",
    "porteur de projet",
]
WAYS = ["rue", "chemin", "place", "avenue"]
STREETS = ["de la Mairie", "des Écoles", "du Lavoir", "de l’Église", "Jean Jaurès", "du Moulin"]
DEMO_MARK = "demo-contacts"
PEOPLE = 1100


def _communes_by_department() -> dict[str, list[communes.Commune]]:
    found: dict[str, list[communes.Commune]] = {d: [] for d in DEPARTMENTS}
    for commune in communes.communes().values():
        if commune.department in found:
            found[commune.department].append(commune)
    return {d: sorted(cs, key=lambda c: c.code) for d, cs in found.items()}


def _new(kind: str, commune: communes.Commune, **fields) -> Contact:
    contact = Contact(
        kind=kind,
        commune_code=commune.code,
        postcode=commune.postcodes[0] if commune.postcodes else "",
        **fields,
    )
    contact.refresh_derived(organisation_names=[])
    return contact


def seed(rng, out) -> None:
    if Tag.objects.filter(name=DEMO_MARK).exists():
        out.write("Contacts de démonstration : déjà présents.")
        return
    by_dep = _communes_by_department()
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in [*TAGS, DEMO_MARK]}
    organisations: list[Contact] = []
    big_communes = []
    for dep in DEPARTMENTS:
        pool = by_dep[dep]
        weights = [max(c.population, 50) for c in pool]
        chosen = {c.code: c for c in rng.choices(pool, weights=weights, k=8)}.values()
        big_communes.extend(chosen)
        organisations.append(
            _new(
                ContactKind.ORGANISATION,
                pool[0],
                org_kind=OrganisationKind.DEPARTEMENT,
                organisation_name=f"Département {communes.departments()[dep]}",
            )
        )
    for commune in big_communes:
        organisations.append(
            _new(
                ContactKind.ORGANISATION,
                commune,
                org_kind=OrganisationKind.COMMUNE,
                organisation_name=f"Commune de {commune.name}",
                siren=commune.siren,
                email=f"mairie@{_slug(commune.name)}.fr",
            )
        )
    epci_seen = set()
    for commune in big_communes:
        if commune.epci and commune.epci not in epci_seen and len(epci_seen) < 20:
            epci_seen.add(commune.epci)
            organisations.append(
                _new(
                    ContactKind.ORGANISATION,
                    commune,
                    org_kind=OrganisationKind.EPCI,
                    organisation_name=communes.epcis()[commune.epci][0],
                    siren=commune.epci,
                )
            )
    for index in range(40):
        prefix, kind = TENANTS[index % len(TENANTS)]
        commune = rng.choice(big_communes)
        name = f"{prefix} {rng.choice(TENANT_NAMES.split('|'))} ({commune.name})"
        organisations.append(
            _new(
                ContactKind.ORGANISATION,
                commune,
                org_kind=kind,
                organisation_name=name,
                email=f"contact{index}@{_slug(prefix)}-demo.fr",
            )
        )
    head_office = communes.commune_get("26113")
    for name, kind in FUNDERS:
        organisations.append(
            _new(ContactKind.ORGANISATION, head_office, org_kind=kind, organisation_name=name)
        )
    Contact.objects.bulk_create(organisations)
    organisations = list(Contact.objects.filter(kind=ContactKind.ORGANISATION).order_by("id"))

    people: list[Contact] = []
    emails: set[str] = set()
    for index in range(PEOPLE):
        dep = rng.choices(DEPARTMENTS, weights=[30, 12, 10, 12, 6, 6, 10, 4, 3, 4, 3])[0]
        commune = rng.choice(by_dep[dep]) if rng.random() < 0.5 else rng.choice(big_communes)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{_slug(first)}.{_slug(last)}{index}@exemple.fr"
        emails.add(email)
        people.append(
            _new(
                ContactKind.PERSON,
                commune,
                first_name=first,
                last_name=last,
                email=email,
                phone="06 " + " ".join(str(rng.randint(10, 99)) for _ in range(4)),
                address_line1=f"{rng.randint(1, 40)} {rng.choice(WAYS)} {rng.choice(STREETS)}",
            )
        )
    # Two deliberate duplicates, so the duplicate finder has something to show.
    twin = people[3]
    people.append(
        _new(
            ContactKind.PERSON,
            communes.commune_get(twin.commune_code),
            first_name=twin.first_name,
            last_name=twin.last_name,
            email=twin.email.upper(),
        )
    )
    Contact.objects.bulk_create(people)
    people = list(
        Contact.objects.filter(
            kind=ContactKind.PERSON, email_normalized__in=emails | {twin.email_normalized}
        ).order_by("id")
    )

    affiliations = []
    roles = [
        "maire",
        "adjoint·e",
        "chargé·e de mission",
        "gérant·e",
        "président·e",
        "trésorier·e",
        "directeur·rice",
    ]
    for person in rng.sample(people, 160):
        affiliations.append(
            Affiliation(
                person=person, organisation=rng.choice(organisations), role=rng.choice(roles)
            )
        )
    Affiliation.objects.bulk_create(affiliations, ignore_conflicts=True)
    names = {}
    for a in Affiliation.objects.select_related("organisation"):
        names.setdefault(a.person_id, []).append(a.organisation.display_name)
    for person in people:
        if person.pk in names:
            person.refresh_derived(organisation_names=names[person.pk])
    Contact.objects.bulk_update([p for p in people if p.pk in names], ["search_text"])

    through = Contact.tags.through
    links = [through(contact_id=c.pk, tag_id=tags[DEMO_MARK].pk) for c in organisations[:1]]
    for person in people:
        for name in rng.sample(TAGS, rng.choice([0, 1, 1, 2])):
            links.append(through(contact_id=person.pk, tag_id=tags[name].pk))
    through.objects.bulk_create(links, ignore_conflicts=True)

    start = dt.datetime(2018, 3, 1, 10, tzinfo=dt.UTC)
    span = (timezone.now() - start).days
    entries = []
    subjects = [
        "Appel : questions sur la souscription",
        "Rencontre au café associatif",
        "E-mail : demande d’information sur les lieux",
        "Rendez-vous à la mairie",
        "Note : intéressé·e par le bénévolat",
    ]
    kinds = [
        TimelineKind.CALL,
        TimelineKind.MEETING,
        TimelineKind.EMAIL,
        TimelineKind.MEETING,
        TimelineKind.NOTE,
    ]
    for contact in [*organisations, *people]:
        created = start + dt.timedelta(days=rng.randint(0, span - 30))
        entries.append(
            TimelineEntry(
                contact=contact,
                at=created,
                kind=TimelineKind.IMPORTED,
                title="Fiche reprise de l’ancien fichier (Airtable)",
            )
        )
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            i = rng.randrange(len(subjects))
            entries.append(
                TimelineEntry(
                    contact=contact,
                    kind=kinds[i],
                    title=subjects[i],
                    at=created + dt.timedelta(days=rng.randint(1, 30)),
                )
            )
    TimelineEntry.objects.bulk_create(entries, batch_size=2000)
    consents = _consents(rng, people)
    out.write(
        f"Contacts de démonstration : {Contact.objects.count()} fiches, "
        f"{consents} consentements repris de l’ancien outil d’envoi."
    )


def _consents(rng, people: list[Contact]) -> int:
    """Newsletter, news and event consents as an import from the former mailing tool would
    bring them (some later withdrawn by one-click unsubscribe), written in bulk like the rest of
    the demo: one record and one timeline line per act, as `consent_set` would."""
    purposes = {p.code: p for p in ConsentPurpose.objects.filter(active=True)}
    shares = {"investor-newsletter": 0.4, "coop-news": 0.25, "events": 0.2}
    start = dt.datetime(2021, 1, 15, 9, tzinfo=dt.UTC)
    span = (timezone.now() - start).days
    records, lines = [], []
    for person in people:
        for code, share in shares.items():
            purpose = purposes.get(code)
            if purpose is None or rng.random() >= share:
                continue
            acts = [(True, start + dt.timedelta(days=rng.randint(0, span - 60)))]
            if rng.random() < 0.12:
                acts.append((False, acts[0][1] + dt.timedelta(days=rng.randint(1, 50))))
            for given, at in acts:
                records.append(
                    ConsentRecord(
                        contact=person,
                        purpose=purpose,
                        given=given,
                        at=at,
                        recorded_at=at,
                        source=ConsentSource.IMPORT if given else ConsentSource.UNSUBSCRIBE,
                        source_detail="reprise des inscrits de l’ancien outil d’envoi"
                        if given
                        else "lien de désinscription d’une lettre",
                        version=purpose.version,
                        text=purpose.text_for(given),
                        email=person.email,
                    )
                )
                lines.append(
                    TimelineEntry(
                        contact=person,
                        at=at,
                        kind=TimelineKind.CONSENT,
                        title=("Accord donné : " if given else "Accord retiré : ")
                        + str(purpose.label),
                        link=reverse("contacts:consents", args=[person.pk]),
                    )
                )
    ConsentRecord.objects.bulk_create(records, batch_size=2000)
    TimelineEntry.objects.bulk_create(lines, batch_size=2000)
    return len(records)


def _slug(text: str) -> str:
    from placette.lib.text import normalize

    return normalize(text).replace(" ", "-").replace("’", "").replace("'", "")

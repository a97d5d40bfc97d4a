"""Contacts at 100,000: search, one list page, duplicate detection, a full CSV export."""

import random

from django.db import connection
from django.test import Client

from placette.accounts.models import Role, User
from placette.contacts.models import Contact, ContactKind
from placette.contacts.services import duplicates_find
from placette.lib.text import normalize

AREA = "Contacts (100 000 fiches)"
N = 100_000


def build() -> None:
    rng = random.Random(1)
    from placette.contacts.communes import communes

    codes = [c for c in communes().values() if c.department in {"26", "07", "38", "69"}]
    batch = []
    for i in range(N):
        commune = rng.choice(codes)
        c = Contact(
            kind=ContactKind.PERSON,
            first_name=f"Prénom{i % 500}",
            last_name=f"Nom{rng.randrange(20_000)}",
            email=f"p{i}@exemple.fr",
            commune_code=commune.code,
            postcode=commune.postcodes[0],
        )
        c.refresh_derived(organisation_names=[])
        batch.append(c)
        if len(batch) == 5000:
            Contact.objects.bulk_create(batch)
            batch = []
    Contact.objects.bulk_create(batch)


def run(report) -> None:
    if Contact.objects.count() < N:
        build()
    user = User.objects.filter(email="bench@placette.local").first() or User.objects.create_user(
        "bench@placette.local", "x", role=Role.STAFF
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    word = normalize("Nom1234")

    def raw_search():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM contacts_contact WHERE search_text LIKE %s", [f"%{word}%"]
            )
            cursor.execute(
                "SELECT id, display_name FROM contacts_contact WHERE search_text LIKE %s "
                "ORDER BY name_key, id LIMIT 50",
                [f"%{word}%"],
            )
            cursor.fetchall()

    report.timed(
        "recherche « Nom1234 » (compte + 1re page, ORM)",
        lambda: (
            list(Contact.objects.search("Nom1234")[:50])
            and Contact.objects.search("Nom1234").count()
        ),
        raw_search,
    )
    report.timed(
        "page de liste /gestion/contacts/?q=Nom1234 (HTTP complet)",
        lambda: client.get("/gestion/contacts/", {"q": "Nom1234"}),
        raw_search,
    )

    def raw_page():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM contacts_contact")
            cursor.execute(
                "SELECT id, display_name FROM contacts_contact ORDER BY name_key, id "
                "LIMIT 50 OFFSET 50000"
            )
            cursor.fetchall()

    report.timed(
        "page 1 000 de la liste complète (HTTP complet)",
        lambda: client.get("/gestion/contacts/", {"page": 1000}),
        raw_page,
    )

    def raw_dupes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT email_normalized FROM contacts_contact WHERE email_normalized <> '' "
                "GROUP BY email_normalized HAVING COUNT(*) > 1 LIMIT 100"
            )
            cursor.execute(
                "SELECT name_key, commune_code FROM contacts_contact WHERE commune_code <> '' "
                "GROUP BY name_key, commune_code HAVING COUNT(*) > 1 LIMIT 100"
            )
            cursor.fetchall()

    report.timed("détection des doublons", duplicates_find, raw_dupes)

    def export():
        response = client.get("/gestion/contacts/export.csv")
        for _ in response.streaming_content:
            pass

    def raw_export():
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM contacts_contact ORDER BY name_key, id")
            while cursor.fetchmany(2000):
                pass

    report.timed("export CSV des 100 000 fiches (HTTP complet)", export, raw_export, repeat=1)

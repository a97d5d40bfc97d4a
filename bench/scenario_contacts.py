"""Contacts at 100,000: search, one list page, duplicate detection, a full CSV export."""

import random

from django import forms
from django.db import connection
from django.test import Client

from placette.accounts.models import Role, User
from placette.contacts.lists import ContactFilter
from placette.contacts.models import Contact, ContactKind
from placette.contacts.services import duplicates_find
from placette.lib import listing
from placette.lib.models import Job
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

    # The list pages by keyset: page 1 000 (rows 49 951–50 000) is read after the last row of
    # page 999, as « Suivante » does; OFFSET, the former way, is timed beside for reference.
    ordered = Contact.objects.order_by("name_key", "id")
    after = listing.keyset_token_at(ordered, 49_949)
    mark = ordered.values_list("name_key", "id")[49_949]

    def raw_page(keyset=None):
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM contacts_contact")
            if keyset is None:
                cursor.execute(
                    "SELECT id, display_name FROM contacts_contact ORDER BY name_key, id LIMIT 51"
                )
            else:
                cursor.execute(
                    "SELECT id, display_name FROM contacts_contact "
                    "WHERE name_key >= %s AND (name_key > %s OR id > %s) "
                    "ORDER BY name_key, id LIMIT 51",
                    [keyset[0], keyset[0], keyset[1]],
                )
            cursor.fetchall()

    def raw_offset_page():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM contacts_contact")
            cursor.execute(
                "SELECT id, display_name FROM contacts_contact ORDER BY name_key, id "
                "LIMIT 50 OFFSET 49950"
            )
            cursor.fetchall()

    report.timed(
        "page 1 de la liste complète (HTTP complet, médiane de 7)",
        lambda: client.get("/gestion/contacts/"),
        raw_page,
        repeat=7,
        median=True,
    )
    report.timed(
        "page 1 000 de la liste complète, par curseur (HTTP complet, médiane de 7)",
        lambda: client.get("/gestion/contacts/", {"after": after}),
        lambda: raw_page(mark),
        repeat=7,
        median=True,
    )
    report.timed(
        "page 1 000 par OFFSET, l’ancienne pagination (SQL brut seul, médiane de 7)",
        raw_offset_page,
        repeat=7,
        median=True,
    )

    departments = ContactFilter(queryset=Contact.objects.none()).form["department"]

    def django_select():
        forms.Select(choices=departments.field.choices).render("department", "26")

    report.timed(
        "menu des 110 départements : FastSelect (× 100, médiane de 7)",
        lambda: [departments.field.widget.render("department", "26") for _ in range(100)],
        repeat=7,
        median=True,
    )
    report.timed(
        "menu des 110 départements : Select de Django (× 100, médiane de 7)",
        lambda: [django_select() for _ in range(100)],
        repeat=7,
        median=True,
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
        # Above LIST_EXPORT_INLINE_ROWS the export is a background job; the bench's tasks
        # backend runs it at once, inside this request.
        response = client.get("/gestion/contacts/export.csv")
        assert response.status_code == 302, response.status_code
        job = Job.objects.latest("pk")
        assert job.status == "done", job.message
        job.result.file.delete(save=False)

    def raw_export():
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM contacts_contact ORDER BY name_key, id")
            while cursor.fetchmany(2000):
                pass

    report.timed(
        "export CSV des 100 000 fiches, colonnes affichées (tâche de fond complète)",
        export,
        raw_export,
        repeat=1,
    )

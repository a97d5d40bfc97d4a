from placette.accounts.models import Role, User
from placette.contacts.models import Contact, ContactKind
from placette.contacts.services import contact_create

DEMO_PASSWORD = "placette-demo"
# (email, role label, (first name, last name, role, board?), signs in with a password?)
DEMO_USERS = [
    (
        "admin@placette.demo",
        "Équipe (administration)",
        ("Claire", "Fabre", Role.STAFF_ADMIN, False),
        True,
    ),
    (
        "equipe@placette.demo",
        "Équipe (vie coopérative)",
        ("Julien", "Morel", Role.STAFF, False),
        True,
    ),
    ("ca@placette.demo", "Membre du conseil", ("Odile", "Chabert", Role.MEMBER, True), True),
    ("societaire@placette.demo", "Sociétaire", ("Marius", "Reynaud", Role.MEMBER, False), False),
    # Created with its tenant and lease by placette/places/demo.py; listed here to be printed.
    (
        "activite@placette.demo",
        "Activité installée",
        ("Lucie", "Garnier", Role.ACTIVITY, False),
        False,
    ),
]


def seed_users(out) -> None:
    for email, _, (first, last, role, board), uses_password in DEMO_USERS:
        if User.objects.filter(email=email).exists():
            continue
        contact = Contact.objects.filter(email_normalized=email).first() or contact_create(
            actor=None,
            data={
                "kind": ContactKind.PERSON,
                "first_name": first,
                "last_name": last,
                "email": email,
                "postcode": "26150",
                "commune_code": "26113",
            },
            source="démo",
        )
        User.objects.create_user(
            email,
            DEMO_PASSWORD if uses_password else None,
            role=role,
            is_board_member=board,
            display_name=f"{first} {last}",
            contact=contact,
        )
    out.write(f"Comptes : {User.objects.count()}")

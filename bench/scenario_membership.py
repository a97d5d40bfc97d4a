"""Membership at 100,000 members and 1,000,000 movements: holdings and capital at a date, the
electoral roll, the register page and the register export, each beside the raw SQL.

Bench data is generated with bulk_create, which inserts rows without calling Movement.save():
inserting is what an append-only ledger allows, so the guard (save/delete in Django, UPDATE and
DELETE triggers in the database) is not bypassed, only the services' per-booking checks are.
Never do this outside a benchmark.
"""

import contextlib
import datetime as dt
import random
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client

from placette.accounts.models import Role, User
from placette.contacts.models import Contact, ContactKind
from placette.lib.refusals import Refusal
from placette.membership import projections, register, services
from placette.membership.models import Category, Member, Movement, Sequence, Statutes

AREA = "Sociétariat (100 000 sociétaires, 1 000 000 de mouvements)"
MEMBERS = 100_000
MOVEMENTS = 1_000_000
ON = dt.date(2024, 12, 31)


def _statutes() -> None:
    if Statutes.objects.exists():
        return
    from placette.membership.tests.helpers import make_statutes

    make_statutes()


def build() -> None:
    rng = random.Random(3)
    _statutes()
    have = Contact.objects.count()
    batch = []
    for i in range(have, MEMBERS):
        c = Contact(kind=ContactKind.PERSON, first_name=f"Prénom{i % 500}", last_name=f"Nom{i}")
        c.refresh_derived(organisation_names=[])
        batch.append(c)
        if len(batch) == 10_000:
            Contact.objects.bulk_create(batch)
            batch = []
    Contact.objects.bulk_create(batch)
    ids = list(Contact.objects.order_by("id").values_list("id", flat=True)[:MEMBERS])
    categories = list(Category.objects.all())
    start = dt.date(2018, 1, 1)
    members = []
    firsts = {}
    for number, contact_id in enumerate(ids, start=1):
        day = start + dt.timedelta(days=rng.randrange(2500))
        firsts[contact_id] = day
        members.append(
            Member(
                contact_id=contact_id,
                number=number,
                admitted_on=day,
                category=rng.choice(categories),
            )
        )
    Member.objects.bulk_create(members, batch_size=10_000)
    value = Decimal(100)
    rows = []
    number = 0

    def flush() -> None:
        Movement.objects.bulk_create(rows, batch_size=10_000)
        rows.clear()

    for contact_id in ids:  # one subscription each
        number += 1
        shares = rng.randint(1, 20)
        amount = value * shares
        rows.append(
            Movement(
                number=number,
                date=firsts[contact_id],
                kind="subscription",
                holder_id=contact_id,
                shares=shares,
                capital=amount,
                called=amount,
                paid=amount,
                quantity=shares,
                amount=amount,
                share_value=value,
            )
        )
        if len(rows) == 50_000:
            flush()
    while number < MOVEMENTS:  # then more subscriptions
        number += 1
        contact_id = ids[rng.randrange(MEMBERS)]
        day = firsts[contact_id] + dt.timedelta(days=rng.randrange(1, 800))
        shares = rng.randint(1, 5)
        amount = value * shares
        rows.append(
            Movement(
                number=number,
                date=day,
                kind="subscription",
                holder_id=contact_id,
                shares=shares,
                capital=amount,
                called=amount,
                paid=amount,
                quantity=shares,
                amount=amount,
                share_value=value,
            )
        )
        if len(rows) == 50_000:
            flush()
    flush()
    projections.balances_rebuild()  # bulk_create bypasses Movement.save and its balance
    Sequence.objects.update_or_create(name="movement", defaults={"last": number})
    Sequence.objects.update_or_create(name="member", defaults={"last": MEMBERS})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def run(report) -> None:
    if Movement.objects.count() < MOVEMENTS:
        build()
    report.fact("mouvements", f"{Movement.objects.count():,}".replace(",", " "))
    user = User.objects.filter(email="bench@placette.local").first() or User.objects.create_user(
        "bench@placette.local", "x", role=Role.STAFF
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    on = ON.isoformat()

    def raw(sql, params=()):
        def work():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                while cursor.fetchmany(5000):
                    pass

        return work

    report.timed(
        "détentions de tous les titulaires au 31/12/2024",
        lambda: list(projections.holdings_on(ON)),
        raw(
            "SELECT holder_id, SUM(shares), SUM(capital), SUM(called), SUM(paid) "
            "FROM membership_movement WHERE date <= %s GROUP BY holder_id",
            [on],
        ),
    )
    one = Member.objects.order_by("number").values_list("contact_id", flat=True)[5000]
    report.timed(
        "détention d’un titulaire au 31/12/2024",
        lambda: projections.holding_of(one, ON),
        raw(
            "SELECT SUM(shares), SUM(paid) FROM membership_movement "
            "WHERE holder_id = %s AND date <= %s",
            [one, on],
        ),
    )
    report.timed(
        "capital au 31/12/2024 (souscrit, libéré, titulaires)",
        lambda: projections.capital_on(ON),
        raw(
            "SELECT SUM(shares), SUM(capital), SUM(paid) FROM membership_movement WHERE date <= %s",
            [on],
        ),
    )
    report.timed(
        "liste électorale au 31/12/2024 (100 000 lignes)",
        lambda: projections.electoral_roll(ON),
        raw(
            "SELECT m.contact_id, m.number, (SELECT SUM(shares) FROM membership_movement v "
            "WHERE v.holder_id = m.contact_id AND v.date <= %s) FROM membership_member m "
            "WHERE m.admitted_on <= %s AND (m.left_on IS NULL OR m.left_on > %s) "
            "ORDER BY m.number",
            [on, on, on],
        ),
        repeat=1,
    )
    report.timed(
        "page du registre /gestion/societariat/registre/ (HTTP complet)",
        lambda: client.get("/gestion/societariat/registre/"),
        raw("SELECT COUNT(*) FROM membership_movement WHERE date <= %s", [on]),
    )
    report.timed(
        "page 10 000 du registre (HTTP complet)",
        lambda: client.get("/gestion/societariat/registre/", {"page": 10_000}),
        raw("SELECT * FROM membership_movement ORDER BY number DESC LIMIT 50 OFFSET 499950"),
    )

    def export():
        response = client.get("/gestion/societariat/registre/export.csv", {"date": on})
        for _ in response.streaming_content:
            pass

    report.timed(
        "export CSV du registre au 31/12/2024 (HTTP complet)",
        export,
        raw(
            "SELECT v.*, c.display_name FROM membership_movement v JOIN contacts_contact c "
            "ON c.id = v.holder_id WHERE v.date <= %s ORDER BY v.number",
            [on],
        ),
        repeat=1,
    )
    report.timed(
        "plus haut capital atteint (plancher)",
        projections.highest_capital,
        raw("SELECT date, SUM(capital) FROM membership_movement GROUP BY date"),
    )
    report.timed(
        "tableau de bord /gestion/societariat/ (HTTP complet)",
        lambda: client.get("/gestion/societariat/"),
        raw("SELECT date, SUM(capital), SUM(paid) FROM membership_movement GROUP BY date"),
    )
    early = Member.objects.order_by("admitted_on", "number").first()
    back = early.admitted_on + dt.timedelta(days=30)

    def backdated():
        # a refund request dated years back, checked at that date and every later date
        # (rolled back: the bench ledger stays as built)
        with transaction.atomic():
            with contextlib.suppress(Refusal):
                services.refund_request(actor=None, contact=early.contact_id, shares=1, on=back)
            transaction.set_rollback(True)

    report.timed(
        "demande de remboursement antidatée, contrôlée à toutes les dates suivantes",
        backdated,
        raw(
            "SELECT * FROM membership_movement WHERE holder_id = %s AND date > %s "
            "ORDER BY date, number",
            [early.contact_id, back.isoformat()],
        ),
    )
    soutiens = Category.objects.get(code="soutiens")
    counter = iter(range(1_000_000))

    def subscribe():
        contact = Contact(
            kind=ContactKind.PERSON, first_name="Nouvelle", last_name=f"Sociétaire{next(counter)}"
        )
        contact.refresh_derived(organisation_names=[])
        contact.save()
        services.shares_subscribe(actor=None, contact=contact, shares=2, category=soutiens)

    report.timed("souscription d’un nouveau sociétaire (service complet)", subscribe, repeat=5)
    assert register.HEADER

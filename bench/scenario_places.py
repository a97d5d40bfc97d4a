"""Places at scale: 10,000 places, 100,000 rent schedule lines — headline figures at a date and
the arrears list, each beside the raw SQL of the same work."""

import datetime as dt
import random
from decimal import Decimal

from django.db import connection
from django.test import Client

from placette.accounts.models import Role, User
from placette.contacts.models import Contact, ContactKind
from placette.lib import listing
from placette.places.figures import headline_figures
from placette.places.models import (
    Activity,
    FinancingLine,
    Lease,
    Operation,
    Place,
    RentLine,
    RentPayment,
)

AREA = "Lieux (10 000 lieux, 100 000 échéances)"
PLACES = 10_000
LINES = 100_000
AT = dt.date(2026, 6, 30)
PAST = dt.date(2024, 12, 31)


def build() -> None:
    rng = random.Random(5)
    from placette.contacts.communes import communes

    pool = [c for c in communes().values() if c.department in {"26", "07", "38", "43", "63"}]
    tenants = [
        Contact(
            kind=ContactKind.ORGANISATION,
            organisation_name=f"Locataire {i}",
            org_kind="association",
            email=f"loc{i}@exemple.fr",
        )
        for i in range(2_000)
    ]
    for tenant in tenants:
        tenant.refresh_derived(organisation_names=[])
    Contact.objects.bulk_create(tenants, batch_size=2000)
    tenants = list(Contact.objects.filter(organisation_name__startswith="Locataire "))
    places = []
    for i in range(PLACES):
        commune = rng.choice(pool)
        place = Place(
            name=f"Lieu {i}",
            kind=rng.choice(["cafe", "epicerie", "tiers_lieu"]),
            status="open",
            commune_code=commune.code,
            postcode=commune.postcodes[0],
            latitude=Decimal("45.0") + Decimal(rng.randint(0, 9999)) / 10000,
            longitude=Decimal("4.0") + Decimal(rng.randint(0, 9999)) / 10000,
        )
        place.refresh_derived()
        places.append(place)
    Place.objects.bulk_create(places, batch_size=2000)
    places = list(Place.objects.order_by("id"))
    operations, financing, activities = [], [], []
    for place in places:
        acquired = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randint(0, 2900))
        area = Decimal(rng.randint(80, 900))
        operations.append(
            Operation(
                place=place,
                acquired_on=acquired,
                price=area * 500,
                notary_fees=area * 37,
                works_budget=area * 800,
                works_cost=area * 820,
                works_started_on=acquired + dt.timedelta(days=90),
                works_ended_on=acquired + dt.timedelta(days=400),
                land_area=area * 2,
                built_area=area,
                renovated_area=area,
            )
        )
    Operation.objects.bulk_create(operations, batch_size=2000)
    for operation in Operation.objects.all().iterator(chunk_size=2000):
        for source in ("capital", "bdt", "bank_loan"):
            financing.append(
                FinancingLine(
                    operation=operation,
                    source=source,
                    amount=Decimal(rng.randint(10_000, 200_000)),
                    secured_on=operation.acquired_on,
                )
            )
        activities.append(
            Activity(
                place_id=operation.place_id,
                tenant=rng.choice(tenants),
                name=f"Activité {operation.place_id}",
                kind="cafe",
                opened_on=operation.works_ended_on + dt.timedelta(days=30),
                jobs_fte=Decimal(rng.choice(["1", "2", "2.5", "4"])),
            )
        )
    FinancingLine.objects.bulk_create(financing, batch_size=5000)
    Activity.objects.bulk_create(activities, batch_size=2000)
    leases = [
        Lease(
            activity=a,
            kind="commercial",
            starts_on=a.opened_on,
            ends_on=a.opened_on + dt.timedelta(days=3285),
            initial_rent=Decimal("800"),
            current_rent=Decimal("800"),
            charges=Decimal("50"),
            index_kind="ILC",
            index_year=a.opened_on.year - 1,
            index_quarter=1,
        )
        for a in Activity.objects.all().iterator(chunk_size=2000)
    ]
    Lease.objects.bulk_create(leases, batch_size=2000)
    # 10 monthly lines per lease: 100,000 lines, about 3 % unpaid; each paid line has its dated
    # payment (a few percent paid two months late, so arrears at a past date differ).
    lines = []
    for lease in Lease.objects.all().iterator(chunk_size=2000):
        for month in range(10):
            year, index = divmod(lease.starts_on.month - 1 + month, 12)
            due = dt.date(lease.starts_on.year + year, index + 1, 1)
            paid = Decimal("850") if rng.random() > 0.03 else Decimal(0)
            lines.append(
                RentLine(
                    lease=lease,
                    due_on=due,
                    period_start=due,
                    period_end=due,
                    rent=Decimal("800"),
                    charges=Decimal("50"),
                    amount=Decimal("850"),
                    paid_amount=paid,
                )
            )
        if len(lines) >= 10_000:
            _lines_with_payments(lines, rng)
            lines = []
    _lines_with_payments(lines, rng)


def _lines_with_payments(lines: list[RentLine], rng: random.Random) -> None:
    # Lines not yet due are not paid yet, and no payment is dated in the future (as the
    # service enforces).
    today = dt.date.today()
    for line in lines:
        if line.due_on > today:
            line.paid_amount = Decimal(0)
    RentLine.objects.bulk_create(lines, batch_size=5000)
    payments = [
        RentPayment(
            line_id=line.pk,
            amount=line.paid_amount,
            paid_on=min(
                line.due_on
                + dt.timedelta(days=rng.choice([2, 5, 9]) if rng.random() > 0.04 else 62),
                today,
            ),
            method="transfer",
        )
        for line in lines
        if line.paid_amount
    ]
    RentPayment.objects.bulk_create(payments, batch_size=5000)


RAW_FIGURES = [
    (
        "SELECT COUNT(o.id), COUNT(DISTINCT p.department_code), SUM(o.built_area), "
        "SUM(CASE WHEN o.works_ended_on <= %s THEN o.renovated_area ELSE 0 END), SUM(o.price) "
        "FROM places_operation o JOIN places_place p ON p.id = o.place_id "
        "WHERE o.acquired_on <= %s",
        2,
    ),
    (
        "SELECT source, SUM(amount) FROM places_financingline WHERE secured_on <= %s "
        "GROUP BY source",
        1,
    ),
    (
        "SELECT COUNT(*), SUM(jobs_fte) FROM places_activity WHERE opened_on <= %s "
        "AND (closed_on IS NULL OR closed_on > %s)",
        2,
    ),
    (
        "SELECT SUM(COALESCE((SELECT r.new_rent FROM places_rentrevision r WHERE r.lease_id = l.id "
        "AND r.effective_on <= %s ORDER BY r.effective_on DESC LIMIT 1), l.initial_rent)) "
        "FROM places_lease l WHERE l.starts_on <= %s AND l.ends_on >= %s",
        3,
    ),
    (
        "SELECT COUNT(*), SUM(r.amount - COALESCE(p.paid, 0)) FROM places_rentline r "
        "LEFT JOIN (SELECT line_id, SUM(amount) AS paid FROM places_rentpayment "
        "WHERE paid_on <= %s GROUP BY line_id) p ON p.line_id = r.id "
        "WHERE r.due_on <= %s AND r.amount > COALESCE(p.paid, 0)",
        2,
    ),
]


def run(report) -> None:
    if Place.objects.count() < PLACES:
        build()
    report.fact("lignes d’échéancier", f"{RentLine.objects.count():,}".replace(",", " "))
    user = User.objects.filter(email="bench@placette.local").first() or User.objects.create_user(
        "bench@placette.local", "x", role=Role.STAFF
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    def raw_figures():
        with connection.cursor() as cursor:
            for sql, params in RAW_FIGURES:
                cursor.execute(sql, [AT] * params)
                cursor.fetchall()

    report.timed(
        "chiffres clés au 30/06/2026 (ORM, 6 requêtes ; impayés à la date)",
        lambda: headline_figures(AT),
        raw_figures,
    )
    report.timed(
        "page /gestion/lieux/chiffres/?date=2026-06-30 (HTTP complet)",
        lambda: client.get("/gestion/lieux/chiffres/", {"date": "2026-06-30"}),
        raw_figures,
    )

    def raw_arrears():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM places_rentline WHERE due_on <= %s AND paid_amount < amount",
                [dt.date.today()],
            )
            cursor.execute(
                "SELECT r.id, r.due_on, r.amount - r.paid_amount, p.name, c.display_name "
                "FROM places_rentline r JOIN places_lease l ON l.id = r.lease_id "
                "JOIN places_activity a ON a.id = l.activity_id "
                "JOIN places_place p ON p.id = a.place_id "
                "JOIN contacts_contact c ON c.id = a.tenant_id "
                "WHERE r.due_on <= %s AND r.paid_amount < r.amount "
                "ORDER BY r.due_on, r.id LIMIT 50",
                [dt.date.today()],
            )
            cursor.fetchall()

    report.timed(
        "liste des impayés, 1re page (HTTP complet, médiane de 7)",
        lambda: client.get("/gestion/lieux/impayes/"),
        raw_arrears,
        repeat=7,
        median=True,
    )
    # Page 50 as reached by « Suivante » 49 times: the keyset cursor after row 2 450.
    unpaid = RentLine.objects.unpaid_on(dt.date.today()).order_by("due_on", "id")
    if unpaid.count() > 2450:
        after = listing.keyset_token_at(unpaid, 2449)
        mark = unpaid.values_list("due_on", "id")[2449]

        def raw_arrears_page_50():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT COUNT(*) FROM places_rentline "
                    "WHERE due_on <= %s AND paid_amount < amount",
                    [dt.date.today()],
                )
                cursor.execute(
                    "SELECT r.id, r.due_on, r.amount - r.paid_amount, p.name, c.display_name "
                    "FROM places_rentline r JOIN places_lease l ON l.id = r.lease_id "
                    "JOIN places_activity a ON a.id = l.activity_id "
                    "JOIN places_place p ON p.id = a.place_id "
                    "JOIN contacts_contact c ON c.id = a.tenant_id "
                    "WHERE r.due_on <= %s AND r.paid_amount < r.amount "
                    "AND r.due_on >= %s AND (r.due_on > %s OR r.id > %s) "
                    "ORDER BY r.due_on, r.id LIMIT 50",
                    [dt.date.today(), mark[0], mark[0], mark[1]],
                )
                cursor.fetchall()

        report.timed(
            "liste des impayés, page 50 (curseur, HTTP complet, médiane de 7)",
            lambda: client.get("/gestion/lieux/impayes/", {"after": after}),
            raw_arrears_page_50,
            repeat=7,
            median=True,
        )

    def raw_arrears_past():
        paid = (
            "FROM places_rentline r LEFT JOIN (SELECT line_id, SUM(amount) AS paid "
            "FROM places_rentpayment WHERE paid_on <= %s GROUP BY line_id) s "
            "ON s.line_id = r.id WHERE r.due_on <= %s AND r.amount > COALESCE(s.paid, 0)"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*), SUM(r.amount - COALESCE(s.paid, 0)) {paid}", [PAST] * 2
            )
            cursor.execute(
                "SELECT r.id, r.due_on, r.amount - COALESCE(s.paid, 0), pl.name, c.display_name "
                "FROM places_rentline r JOIN places_lease l ON l.id = r.lease_id "
                "JOIN places_activity a ON a.id = l.activity_id "
                "JOIN places_place pl ON pl.id = a.place_id "
                "JOIN contacts_contact c ON c.id = a.tenant_id "
                "LEFT JOIN (SELECT line_id, SUM(amount) AS paid FROM places_rentpayment "
                "WHERE paid_on <= %s GROUP BY line_id) s ON s.line_id = r.id "
                "WHERE r.due_on <= %s AND r.amount > COALESCE(s.paid, 0) "
                "ORDER BY r.due_on, r.id LIMIT 50",
                [PAST] * 2,
            )
            cursor.fetchall()

    report.timed(
        "liste des impayés au 31/12/2024, paiements datés (HTTP complet)",
        lambda: client.get("/gestion/lieux/impayes/", {"date": PAST.isoformat()}),
        raw_arrears_past,
    )

    def raw_list():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM places_place")
            cursor.execute(
                "SELECT id, name, commune_name FROM places_place ORDER BY name, id LIMIT 50"
            )
            cursor.execute(
                "SELECT id, name, commune_name, latitude, longitude FROM places_place "
                "WHERE latitude IS NOT NULL AND longitude IS NOT NULL LIMIT 5000"
            )
            cursor.fetchall()

    report.timed(
        "liste des lieux + carte (5 000 marqueurs, HTTP complet, médiane de 7)",
        lambda: client.get("/gestion/lieux/"),
        raw_list,
        repeat=7,
        median=True,
    )

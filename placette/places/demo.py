"""Demo places: the 23 operations of the demo cooperative in 11 départements (about 7,000 m²),
with tenants, leases, index values, rent schedules since opening and a few arrears.

Communes are real (INSEE codes); coordinates are approximate village centres, typed here
because the official COG data has none. Index values are plausible, not INSEE's: staff enter or
import the official ones.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from placette.accounts.models import Role, User
from placette.contacts import communes
from placette.contacts.models import Affiliation, Contact, ContactKind, OrganisationKind
from placette.contacts.services import contact_create
from placette.lib.refusals import Refusal
from placette.places import services
from placette.places.models import (
    CriteriaVersion,
    IndexValue,
    Lease,
    Place,
    PlacesSettings,
    RentLine,
    RentPayment,
)

# (name, kind, INSEE code, latitude, longitude, built m², status)
PLACES = [
    ("Café du Lavoir", "cafe", "26289", "44.6982", "5.1937", 180, "open"),
    ("Multi-commerce du Diois", "multi_commerce", "26086", "44.6950", "5.4850", 240, "open"),
    ("Tiers-lieu de la Filature", "tiers_lieu", "26114", "44.5250", "5.0610", 850, "open"),
    ("Épicerie du Perché", "epicerie", "26185", "44.6990", "4.8360", 120, "open"),
    ("Café-restaurant du Lignon", "cafe", "07107", "44.6370", "4.2570", 210, "open"),
    ("Boulangerie du Doux", "boulangerie", "07129", "44.9870", "4.5800", 150, "open"),
    ("Ancienne gare de Désaignes", "gare_poste", "07079", "44.9960", "4.5140", 320, "open"),
    ("Épicerie-café du Trièves", "epicerie", "38226", "44.8170", "5.7500", 200, "open"),
    (
        "Multi-commerce du Mont-Aiguille",
        "multi_commerce",
        "38103",
        "44.8110",
        "5.5730",
        160,
        "open",
    ),
    ("Tiers-lieu des Monts du Lyonnais", "tiers_lieu", "69220", "45.7400", "4.4650", 420, "open"),
    ("Café de la Place", "cafe", "69018", "46.1540", "4.5870", 190, "open"),
    ("Ancienne poste du Forez", "gare_poste", "42204", "45.4240", "4.0680", 260, "open"),
    ("Épicerie des Bois Noirs", "epicerie", "42159", "45.8170", "3.7660", 140, "open"),
    ("Friche de la Margeride", "friche", "43234", "44.9600", "3.5460", 1100, "works"),
    ("Café de l’Arzon", "cafe", "43080", "45.3310", "3.8480", 170, "open"),
    ("Multi-commerce des Combrailles", "multi_commerce", "63354", "46.0300", "2.8180", 230, "open"),
    ("Tiers-lieu de la Dore", "tiers_lieu", "63258", "45.6720", "3.6350", 380, "open"),
    (
        "Boulangerie de la Montagne bourbonnaise",
        "boulangerie",
        "03165",
        "46.0720",
        "3.6660",
        130,
        "open",
    ),
    ("Café de l’Aumance", "cafe", "03127", "46.5100", "2.7120", 160, "open"),
    ("Épicerie de la Châtaigneraie", "epicerie", "15117", "44.7820", "2.3530", 110, "open"),
    ("Ancienne gare du Cézallier", "gare_poste", "15001", "45.2290", "2.9340", 400, "works"),
    ("Tiers-lieu du Buëch", "tiers_lieu", "05179", "44.5340", "5.8210", 520, "works"),
    ("Café de la Montagne de Lure", "cafe", "04018", "44.0380", "5.6300", 170, "acquisition"),
]
PROSPECTS = [
    ("Ancien hôtel de Saint-Agrève", "multi_commerce", "07204", "45.0110", "4.3960", "study"),
    ("Grange de Chalencon", "tiers_lieu", "07048", "44.8770", "4.5750", "prospect"),
]
ACTIVITY_KINDS = {
    "cafe": "cafe",
    "multi_commerce": "multi_commerce",
    "tiers_lieu": "tiers_lieu",
    "epicerie": "epicerie",
    "boulangerie": "boulangerie",
    "gare_poste": "tiers_lieu",
    "friche": "atelier",
}
# Yearly growth of the demo indexes (plausible orders of magnitude, not INSEE's values).
GROWTH = {2018: "2.0", 2019: "1.8", 2020: "0.4", 2021: "1.6", 2022: "5.2", 2023: "5.9",
          2024: "3.1", 2025: "1.2", 2026: "0.9"}  # fmt: skip
BASE = {"ILC": Decimal("111.87"), "ILAT": Decimal("110.88"), "ICC": Decimal("1650")}
CENT = Decimal("0.01")
STREETS = ["place de l’Église", "rue du Marché", "place de la Mairie", "avenue de la Gare"]
DEMO_ACTIVITY_EMAIL = "activite@placette.demo"


def _index_values() -> None:
    rows = []
    for kind, base in BASE.items():
        value = base
        for year in range(2017, 2027):
            for quarter in range(1, 5):
                if (year, quarter) > (2026, 2):  # not published yet at the demo date
                    continue
                if year > 2017:
                    value = value * (1 + Decimal(GROWTH[year]) / 400)
                rows.append(
                    IndexValue(
                        kind=kind,
                        year=year,
                        quarter=quarter,
                        value=value.quantize(CENT if kind != "ICC" else Decimal(1), ROUND_HALF_UP),
                    )
                )
    IndexValue.objects.bulk_create(rows, ignore_conflicts=True)


def _tenants(rng, count: int) -> list[Contact]:
    found = list(
        Contact.objects.filter(
            kind=ContactKind.ORGANISATION,
            org_kind__in=[
                OrganisationKind.ASSOCIATION,
                OrganisationKind.ESS,
                OrganisationKind.COMPANY,
            ],
        ).order_by("id")[:count]
    )
    index = len(found)
    while len(found) < count:
        index += 1
        found.append(
            contact_create(
                actor=None,
                data={
                    "kind": ContactKind.ORGANISATION,
                    "organisation_name": f"Association du lieu n° {index}",
                    "org_kind": OrganisationKind.ASSOCIATION,
                    "email": f"lieu{index}@exemple-demo.fr",
                },
                source="démo",
            )
        )
    return found


def _funders() -> dict[str, Contact | None]:
    def named(name: str) -> Contact | None:
        return Contact.objects.filter(organisation_name=name).first()

    return {
        "bdt": named("Banque des Territoires"),
        "bank_loan": named("Crédit Coopératif") or named("La Nef"),
        "foundation": named("Fondation de France"),
        "subsidy": named("Région Auvergne-Rhône-Alpes"),
    }


def _add_years(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


def seed(rng, out) -> None:
    if Place.objects.filter(name=PLACES[0][0]).exists():
        out.write("Lieux de démonstration : déjà présents.")
        return
    today = timezone.localdate()
    settings = PlacesSettings.get()
    settings.network_goal, settings.goal_year = 50, 2028
    settings.save()
    _index_values()
    version = services.criteria_version_create(actor=None)
    services.criteria_version_update(
        actor=None,
        version=version,
        note="Grille co-construite avec les sociétaires.",
        criteria=[
            {"id": None, "label": label, "description": "", "weight": weight}
            for label, weight in [
                ("Besoin du territoire (dernier commerce, services)", 3),
                ("Portage local : élus, habitants, porteur de projet", 3),
                ("Équilibre économique de l’activité", 2),
                ("Sobriété du bâti et rénovation énergétique", 2),
                ("Coopération avec l’écosystème ESS local", 1),
            ]
        ],
    )
    version = services.criteria_version_publish(
        actor=None,
        version=version,
        adopted_on=dt.date(2021, 6, 19),
        adopted_by="Assemblée générale du 19/06/2021",
    )
    criteria = list(version.criteria.all())
    tenants = _tenants(rng, len(PLACES))
    funders = _funders()
    leases: list[Lease] = []
    for number, (name, kind, code, lat, lon, built, status) in enumerate(PLACES):
        acquired = dt.date(2018, 9, 1) + dt.timedelta(days=int(number * 3000 / len(PLACES)))
        acquired += dt.timedelta(days=rng.randint(0, 60))
        place = services.place_create(
            actor=None,
            data={
                "name": name,
                "kind": kind,
                "address_line1": f"{rng.randint(1, 30)} {rng.choice(STREETS)}",
                "postcode": communes.commune_get(code).postcodes[0],
                "commune_code": code,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "description": "",
                "status": "study",
            },
            decided_on=acquired - dt.timedelta(days=rng.randint(200, 400)),
            decided_by="Comité d’investissement",
        )
        decided_on = acquired - dt.timedelta(days=rng.randint(90, 180))
        scoring = services.project_score_record(
            actor=None,
            place=place,
            scores={c.pk: rng.randint(3, 5) for c in criteria},
            scored_on=decided_on - dt.timedelta(days=rng.randint(10, 40)),
            origin=rng.choice(
                ["Sollicitation de la commune", "Mission d’étude", "Porteur de projet"]
            ),
        )
        services.investment_decision_record(
            actor=None,
            place=place,
            scoring=scoring,
            decided_on=decided_on,
            body="board",
            decided_by=f"CA du {decided_on:%d/%m/%Y}",
            outcome="approved",
            reason="Projet conforme à la grille ; portage local solide.",
        )
        services.place_status_change(
            actor=None,
            place=place,
            status="acquisition",
            decided_on=acquired,
            decided_by="Conseil d’administration",
        )
        area = Decimal(built)
        price = (area * rng.randint(250, 700)).quantize(Decimal(1000))
        works_budget = (area * rng.randint(500, 1100)).quantize(Decimal(1000))
        works_start = acquired + dt.timedelta(days=rng.randint(60, 150))
        works_end = works_start + dt.timedelta(days=rng.randint(150, 330))
        in_works = status in {"works", "acquisition"} or works_end > today
        operation = services.operation_update(
            actor=None,
            operation=place.operation,
            data={
                "acquired_on": acquired,
                "price": price,
                "notary_fees": (price * Decimal("0.075")).quantize(CENT),
                "works_budget": works_budget,
                "works_cost": None
                if in_works
                else (works_budget * Decimal(rng.randint(95, 112)) / 100).quantize(Decimal(100)),
                "works_started_on": works_start if status != "acquisition" else None,
                "works_ended_on": None if in_works else works_end,
                "land_area": (area * Decimal(rng.choice(["1.2", "1.5", "2", "3"]))).quantize(
                    Decimal(1)
                ),
                "built_area": area,
                "renovated_area": area if not in_works else Decimal(0),
            },
        )
        cost = operation.total_cost
        shares = [("capital", "0.35"), ("bdt", "0.20"), ("bank_loan", "0.30"), ("subsidy", "0.10")]
        remaining = cost
        for source, share in shares:
            amount = (cost * Decimal(share)).quantize(Decimal(100))
            remaining -= amount
            services.financing_line_add(
                actor=None,
                operation=operation,
                data={
                    "source": source,
                    "funder": funders.get(source),
                    "amount": amount,
                    "secured_on": acquired - dt.timedelta(days=rng.randint(0, 60)),
                },
            )
        # Two operations in works still look for their last funds (the plan shows a warning).
        if status != "works":
            services.financing_line_add(
                actor=None,
                operation=operation,
                data={
                    "source": "foundation",
                    "funder": funders.get("foundation"),
                    "amount": remaining,
                    "secured_on": acquired,
                },
            )
        if status == "acquisition":
            continue
        services.place_status_change(
            actor=None, place=place, status="works", decided_on=works_start, decided_by="Équipe"
        )
        if status != "open":
            continue
        opened = works_end + dt.timedelta(days=rng.randint(15, 60))
        if opened > today:
            opened = today - dt.timedelta(days=30)
        services.place_status_change(
            actor=None, place=place, status="open", decided_on=opened, decided_by="Équipe"
        )
        tenant = tenants[number]
        activity = services.activity_install(
            actor=None,
            place=place,
            data={
                "tenant": tenant,
                "name": name,
                "kind": ACTIVITY_KINDS[kind],
                "opened_on": opened,
                "jobs_fte": Decimal(rng.choice(["1", "1.5", "2", "2.5", "3", "4", "6"])),
                "opening_hours": rng.choice(
                    [
                        "Du mardi au dimanche, 8 h – 20 h",
                        "Du mercredi au samedi, 9 h – 19 h ; dimanche matin",
                        "Tous les jours sauf lundi, 7 h – 13 h et 16 h – 19 h",
                    ]
                ),
            },
        )
        monthly = (area * Decimal(rng.choice(["3.5", "4", "4.5", "5", "6"]))).quantize(Decimal(10))
        index_kind = "ILAT" if kind == "tiers_lieu" else "ILC"
        quarter = rng.randint(1, 4)
        lease = services.lease_create(
            actor=None,
            activity=activity,
            data={
                "kind": "commercial" if kind != "tiers_lieu" else "professional",
                "starts_on": opened,
                "ends_on": _add_years(opened, 9) - dt.timedelta(days=1),
                "initial_rent": monthly,
                "charges": Decimal(rng.choice([30, 50, 80])),
                "deposit": monthly * 2,
                "index_kind": index_kind,
                "index_year": opened.year - 1 if quarter > (opened.month - 1) // 3 else opened.year,
                "index_quarter": quarter,
                "signed_on": opened - dt.timedelta(days=rng.randint(10, 40)),
            },
            schedule_until=today,
        )
        while lease.next_revision_on() <= today:
            try:
                services.lease_revise(actor=None, lease=lease)
            except Refusal:
                break  # the index of the quarter is not published yet
            lease.refresh_from_db()
        leases.append(lease)
    _payments(rng, leases, today)
    _prospects(version)
    _activity_user(tenants[0])
    out.write(
        f"Lieux de démonstration : {Place.objects.count()} lieux, {len(leases)} baux, "
        f"{RentLine.objects.count()} échéances, "
        f"{RentLine.objects.unpaid_on(today).count()} impayées."
    )


def _payments(rng, leases: list[Lease], today: dt.date) -> None:
    """Every due line is paid on time, except the last ones of three tenants (the arrears)."""
    late = {lease.pk: rng.randint(1, 3) for lease in rng.sample(leases, 3)}
    payments = []
    paid_lines = []
    for lease in leases:
        due = list(lease.schedule.filter(due_on__lte=today).order_by("due_on"))
        skip = late.get(lease.pk, 0)
        for position, line in enumerate(due):
            unpaid_from = len(due) - skip
            if position >= unpaid_from:
                if position == unpaid_from and skip > 1:
                    amount = (line.amount / 2).quantize(CENT)  # a partial payment
                else:
                    continue
            else:
                amount = line.amount
            paid_on = line.due_on + dt.timedelta(days=rng.randint(0, 12))
            payments.append(
                RentPayment(
                    line=line, paid_on=min(paid_on, today), amount=amount, method="transfer"
                )
            )
            line.paid_amount = amount
            paid_lines.append(line)
    RentPayment.objects.bulk_create(payments, batch_size=1000)
    RentLine.objects.bulk_update(paid_lines, ["paid_amount"], batch_size=1000)


def _prospects(version: CriteriaVersion) -> None:
    for name, kind, code, lat, lon, status in PROSPECTS:
        commune = communes.commune_get(code)
        place = services.place_create(
            actor=None,
            data={
                "name": name,
                "kind": kind,
                "address_line1": "",
                "postcode": commune.postcodes[0] if commune else "",
                "commune_code": code,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "description": "Projet entrant, en cours d’instruction.",
                "status": status,
            },
            decided_on=dt.date(2026, 9, 15),
            decided_by="Comité d’investissement",
        )
        if status == "study":
            # An incoming project scored by the team, awaiting the committee's decision.
            services.project_score_record(
                actor=None,
                place=place,
                scores={c.pk: 3 + c.pk % 3 for c in version.criteria.all()},
                scored_on=dt.date(2026, 10, 2),
                origin="Mission d’étude pour la commune",
                comment="Bâtiment sain, toiture à reprendre ; la commune cède à l’euro symbolique.",
            )


def _activity_user(tenant: Contact) -> None:
    """An activity holder (signs in with an email code) who manages the first demo tenant."""
    if User.objects.filter(email=DEMO_ACTIVITY_EMAIL).exists():
        return
    person = contact_create(
        actor=None,
        data={
            "kind": ContactKind.PERSON,
            "first_name": "Lucie",
            "last_name": "Garnier",
            "email": DEMO_ACTIVITY_EMAIL,
            "postcode": "26340",
            "commune_code": "26289",
        },
        source="démo",
    )
    Affiliation.objects.get_or_create(
        person=person, organisation=tenant, defaults={"role": "gérante"}
    )
    User.objects.create_user(
        DEMO_ACTIVITY_EMAIL,
        None,
        role=Role.ACTIVITY,
        display_name="Lucie Garnier",
        contact=person,
    )

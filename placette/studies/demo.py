"""Demo studies: a year of requests from local authorities, their quotes (about 120,000 € HT
and 150 days accepted), the missions with the time spent, invoices, payments and a credit note.

Every date is counted back from today, and every record is written through the services in
date order, so each rule holds at its date (time inside the mission, no invoice before the
acceptance, invoice numbers in the order of their dates).
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from placette.accounts.models import Role, User
from placette.contacts.models import Contact, ContactKind, OrganisationKind
from placette.contacts.services import contact_create
from placette.studies import services
from placette.studies.models import (
    Invoice,
    MissionTemplate,
    RequestSource,
    RequestStatus,
    StudiesSettings,
    StudyRequest,
    StudyRole,
)

ROLES = [("Chargé·e d’études", Decimal("750.00")), ("Directeur·rice d’études", Decimal("950.00"))]

# name: [(phase, deliverables, officer days, director days)]
TEMPLATES = {
    "Étude de faisabilité d’un tiers-lieu": [
        ("Diagnostic du territoire", "Note de diagnostic\nCarte des acteurs", "4", "1"),
        ("Concertation des habitants", "Compte rendu des ateliers", "3", "0.5"),
        ("Modèle économique", "Budget prévisionnel sur trois ans", "2.5", "1"),
    ],
    "Programmation d’une friche industrielle": [
        ("Diagnostic du site", "Relevé des usages et des contraintes", "5", "1"),
        ("Ateliers de programmation", "Programme d’occupation", "5", "2"),
        ("Montage juridique et financier", "Schéma de portage", "4", "3"),
    ],
    "Feuille de route d’une foncière locale": [
        ("Diagnostic des besoins", "Inventaire des locaux vacants", "2", "1"),
        ("Feuille de route", "Feuille de route à trois ans", "3", "2"),
    ],
    "Diagnostic de l’écosystème ESS": [
        ("Cartographie des acteurs", "Cartographie de l’ESS du territoire", "5", "0.5"),
        ("Entretiens et ateliers", "Synthèse des entretiens", "4", "1"),
        ("Plan d’actions", "Plan d’actions partagé", "3", "1.5"),
    ],
}

# (object, template, days before today received, outcome, extra officer days)
# outcome: "won", "refused", "dropped", "sent", "qualified", "new"
REQUESTS = [
    ("Tiers-lieu dans l’ancienne école", 0, 360, "won", 2),
    ("Reconversion de la filature", 1, 345, "won", 0),
    ("Foncière des commerces du centre-bourg", 2, 330, "won", 1),
    ("Diagnostic de l’ESS de l’intercommunalité", 3, 320, "refused", 0),
    ("Café associatif de la place", 0, 300, "won", 0),
    ("Écosystème ESS de la vallée", 3, 290, "won", 1),
    ("Maison des services dans l’ancienne gare", 0, 270, "dropped", 0),
    ("Programmation de l’usine de tissage", 1, 250, "won", 3),
    ("Tiers-lieu agricole du plateau", 0, 230, "dropped", 0),
    ("Foncière des commerces ruraux", 2, 200, "refused", 0),
    ("Ancienne scierie communale", 1, 180, "won", 0),
    ("Diagnostic ESS du pays", 3, 160, "won", 2),
    ("Tiers-lieu de la halle", 0, 140, "won", 1),
    ("Foncière des rez-de-chaussée", 2, 110, "won", 0),
    ("Lieu culturel dans l’ancienne poste", 0, 90, "refused", 0),
    ("Diagnostic ESS de la métropole", 3, 70, "sent", 0),
    ("Friche de la tannerie", 1, 50, "sent", 0),
    ("Épicerie participative", 0, 30, "qualified", 0),
    ("Commerce multiservice", 2, 14, "new", 0),
    ("Tiers-lieu numérique", 0, 6, "new", 0),
]

SOURCES = [
    RequestSource.DIRECT,
    RequestSource.TENDER,
    RequestSource.NETWORK,
    RequestSource.EVENT,
    RequestSource.WEBSITE,
]

TEAM = [
    ("etudes@placette.demo", "Sophie", "Arnaud"),
    ("etudes2@placette.demo", "Karim", "Benali"),
]


def _workdays(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += dt.timedelta(days=1)


def _team() -> list[User]:
    team = []
    for email, first, last in TEAM:
        user = User.objects.filter(email=email).first()
        if user is None:
            contact = contact_create(
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
            user = User.objects.create_user(
                email, None, role=Role.STAFF, display_name=f"{first} {last}", contact=contact
            )
        team.append(user)
    return team


def _clients(count: int) -> list[Contact]:
    found = list(
        Contact.objects.filter(
            kind=ContactKind.ORGANISATION,
            org_kind__in=[
                OrganisationKind.COMMUNE,
                OrganisationKind.EPCI,
                OrganisationKind.DEPARTEMENT,
            ],
        )
        .exclude(siren="")
        .order_by("pk")[:count]
    )
    if found:
        return found
    # Without the contacts' demo: a few communes of the Diois.
    return [
        contact_create(
            actor=None,
            data={
                "kind": ContactKind.ORGANISATION,
                "organisation_name": name,
                "org_kind": OrganisationKind.COMMUNE,
                "siren": siren,
                "postcode": postcode,
                "commune_code": code,
                "address_line1": "Place de la Mairie",
            },
            source="démo",
        )
        for name, siren, postcode, code in [
            ("Commune de Die", "212601138", "26150", "26113"),
            ("Commune de Crest", "212601088", "26400", "26108"),
            ("Commune de Saillans", "212602896", "26340", "26289"),
        ]
    ]


def _settings() -> None:
    settings = StudiesSettings.get()
    settings.seller_siren, settings.seller_siret = "901234567", "90123456700018"
    settings.seller_vat_number = "FR32901234567"
    settings.seller_rcs = "RCS Romans 901 234 567"
    settings.seller_email = "facturation@placette.demo"
    settings.iban, settings.bic = "FR7630004000031234567890143", "BNPAFRPPXXX"
    settings.revenue_target, settings.days_target = Decimal("120000.00"), 150
    settings.save()


def _templates() -> list[MissionTemplate]:
    officer, director = (
        StudyRole.objects.get_or_create(name=name, defaults={"daily_rate": rate})[0]
        for name, rate in ROLES
    )
    made = []
    for name, phases in TEMPLATES.items():
        template = MissionTemplate.objects.filter(name=name).first()
        if template is None:
            template = services.template_create(actor=None, name=name)
            for phase, deliverables, a, b in phases:
                services.template_phase_add(
                    actor=None,
                    template=template,
                    name=phase,
                    deliverables=deliverables,
                    days={officer: Decimal(a), director: Decimal(b)},
                )
        made.append(template)
    return made


def seed(rng, out) -> None:
    if StudyRequest.objects.filter(title=REQUESTS[0][0]).exists():
        out.write("Études de démonstration : déjà présentes.")
        return
    today = timezone.localdate()
    _settings()
    team = _team()
    templates = _templates()
    officer = StudyRole.objects.get(name=ROLES[0][0])
    clients = _clients(len(REQUESTS))
    busy: dict[tuple[int, dt.date], int] = {}
    invoicing: list[tuple[dt.date, int, object]] = []  # (date, order, schedule item)
    closing = []
    for index, (title, tpl, received, outcome, extra) in enumerate(REQUESTS):
        client = clients[index % len(clients)]
        received_on = today - dt.timedelta(days=received)
        request = services.request_create(
            actor=None,
            contact=client,
            received_on=received_on,
            data={
                "title": title,
                "need": f"{title} : étude demandée par {client.display_name}.",
                "territory": client.commune_name or client.display_name,
                "department_code": (client.postcode or "")[:2],
                "source": SOURCES[index % len(SOURCES)],
                "deadline": received_on + dt.timedelta(days=30),
            },
        )
        if outcome == "new":
            continue
        if outcome in ("qualified", "dropped"):
            services.request_status_set(
                actor=None,
                request=request,
                status=RequestStatus.QUALIFIED,
                on=received_on + dt.timedelta(days=3),
            )
            if outcome == "dropped":
                services.request_status_set(
                    actor=None,
                    request=request,
                    status=RequestStatus.DROPPED,
                    reason="Projet reporté après les élections municipales",
                    on=received_on + dt.timedelta(days=20),
                )
            continue
        created_on = received_on + dt.timedelta(days=rng.randint(4, 8))
        quote = services.quote_create(
            actor=None, request=request, template=templates[tpl], created_on=created_on
        )
        if extra:
            services.quote_line_add(
                actor=None,
                quote=quote,
                kind="days",
                label="Atelier supplémentaire avec les élus",
                role=officer,
                quantity=Decimal(extra),
                phase=quote.phases.last(),
            )
        services.quote_update(
            actor=None,
            quote=quote,
            data={
                "buyer_siret": f"{client.siren}000{10 + index % 80:02d}"[:14],
                "buyer_service_code": "SERVICE-URBA",
                "buyer_commitment": f"EJ-{created_on.year}-{100 + index}",
            },
        )
        sent_on = created_on + dt.timedelta(days=2)
        services.quote_send(actor=None, quote=quote, sent_on=sent_on)
        if outcome == "sent":
            continue
        decided_on = sent_on + dt.timedelta(days=rng.randint(10, 25))
        if outcome == "refused":
            services.quote_refuse(
                actor=None, quote=quote, refused_on=decided_on, reason="Budget non voté"
            )
            continue
        weeks = int(quote.total_days) + rng.randint(2, 6)
        mission = services.quote_accept(
            actor=None,
            quote=quote,
            accepted_on=decided_on,
            ends_on=decided_on + dt.timedelta(weeks=weeks),
        )
        phases = list(mission.phases.order_by("position"))
        last_day = min(mission.ends_on, today - dt.timedelta(days=1))
        span = max((mission.ends_on - mission.starts_on).days, 1)
        done = min(Decimal((last_day - mission.starts_on).days) / span, Decimal(1))
        to_spend = int(mission.sold_days * 2 * done * Decimal(rng.choice(["0.95", "1", "1.1"])))
        days = list(_workdays(mission.starts_on, last_day))
        for day in days[:: max(len(days) // max(to_spend, 1), 1)]:
            if to_spend <= 0:
                break
            for person in team:
                free = 2 - busy.get((person.pk, day), 0)
                if free <= 0:
                    continue
                half_days = min(free, to_spend, rng.choice([1, 2]))
                phase = next((p for p in phases if p.ends_on >= day), phases[-1])
                services.time_record(
                    actor=None,
                    mission=mission,
                    staff=person,
                    on=day,
                    half_days=half_days,
                    phase=phase,
                )
                busy[(person.pk, day)] = busy.get((person.pk, day), 0) + half_days
                to_spend -= half_days
                break
        for item in mission.schedule.order_by("position"):
            issued_on = item.planned_on + dt.timedelta(days=3)
            if issued_on <= today:
                invoicing.append((issued_on, item.pk, item))
        if mission.ends_on + dt.timedelta(days=10) <= today:
            closing.append((mission, mission.ends_on + dt.timedelta(days=10)))
    invoicing.sort(key=lambda row: (row[0], row[1]))
    invoices = [
        services.invoice_from_schedule(actor=None, item=item, issued_on=on)
        for on, _pk, item in invoicing
    ]
    for mission, closed_on in closing:
        services.mission_close(actor=None, mission=mission, closed_on=closed_on)
    _payments(rng, invoices, today)
    out.write(
        f"Études de démonstration : {StudyRequest.objects.count()} demandes, "
        f"{Invoice.objects.count()} factures et avoirs."
    )


def _payments(rng, invoices: list[Invoice], today: dt.date) -> None:
    """Most invoices paid by the public accountant within 40 days; one partly paid, one
    overdue, one balance corrected by a credit note (a workshop not held) then paid."""
    old = [inv for inv in invoices if inv.due_on + dt.timedelta(days=15) < today]
    credited = old[len(old) // 2] if len(old) > 2 else None
    partly = old[-1] if len(old) > 3 else None
    overdue = old[-2] if len(old) > 4 else None
    for invoice in old:
        if invoice in (overdue,):
            continue
        invoice.refresh_from_db()
        if invoice == credited:
            services.credit_note_issue(
                actor=None,
                invoice=invoice,
                issued_on=invoice.issued_on + dt.timedelta(days=7),
                amount_net=Decimal("750.00"),
                reason="Atelier de restitution non tenu",
            )
            invoice.refresh_from_db()
        paid_on = invoice.issued_on + dt.timedelta(days=rng.randint(20, 40))
        amount = invoice.balance
        if invoice == partly:
            amount = (amount / 2).quantize(Decimal("0.01"))
        services.payment_record(
            actor=None,
            invoice=invoice,
            received_on=min(paid_on, today),
            amount=amount,
            reference=f"Mandat {invoice.number}",
        )

"""Demo membership: statutes (SCIC SAS, four colleges), ~800 members subscribing since 2018,
partial payments, transfers, refunds at every stage, pending requests, IR-PME settings and
titres participatifs. Idempotent: does nothing when statutes exist."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from placette.contacts.models import Contact, ContactKind
from placette.contacts.services import contact_create
from placette.lib import money
from placette.membership import projections, services
from placette.membership.models import (
    Category,
    College,
    Instrument,
    InstrumentHolding,
    Movement,
    Statutes,
    TaxYear,
)

COLLEGES = [
    ("salaries", "Salariés", Decimal(20)),
    ("beneficiaires", "Bénéficiaires", Decimal(30)),
    ("partenaires", "Partenaires", Decimal(20)),
    ("soutiens", "Soutiens", Decimal(30)),
]
# code, name, employees, beneficiaries, authorities, min shares, college
CATEGORIES = [
    ("salaries", "Salariés (producteurs)", True, False, False, 1, "salaries"),
    ("beneficiaires", "Bénéficiaires", False, True, False, 1, "beneficiaires"),
    ("partenaires", "Partenaires opérationnels", False, False, False, 5, "partenaires"),
    ("reseau", "Réseau", False, False, False, 1, "partenaires"),
    ("soutiens", "Soutiens (bénévoles, épargnants)", False, False, False, 1, "soutiens"),
]
DEMO_MEMBERS = [
    ("societaire@placette.demo", "Marius", "Reynaud", "soutiens"),
    ("ca@placette.demo", "Odile", "Chabert", "beneficiaires"),
]
MEMBERS = 800


def _statutes() -> Statutes:
    colleges = {}
    for order, (code, name, weight) in enumerate(COLLEGES):
        college, _ = College.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
        colleges[code] = (college, weight)
    rules = []
    for order, (code, name, emp, ben, auth, minimum, college) in enumerate(CATEGORIES):
        category, _ = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_employees": emp,
                "is_beneficiaries": ben,
                "is_local_authorities": auth,
                "order": order,
            },
        )
        rules.append(
            {
                "category": category,
                "min_shares": minimum,
                "max_shares": None,
                "college": colleges[college][0],
            }
        )
    return services.statutes_update(
        actor=None,
        data={
            "coop_name": "Placette SCIC SAS",
            "legal_form": "SAS",
            "share_value": Decimal(100),
            "membership_start": "subscription",
            "min_paid_percent": Decimal(25),
            "balance_delay_months": 36,
            "floor_percent": Decimal(25),
            "floor_amount": None,
            "refund_after_ago": True,
            "refund_min_delay_months": 0,
            "refund_max_delay_months": 60,
            "local_authorities_cap_percent": Decimal(50),
            "colleges_enabled": True,
            "empty_college_policy": "redistribute",
            "min_colleges": 3,
            "min_college_percent": Decimal(10),
            "max_college_percent": Decimal(50),
            "ir_pme_holding_years": 5,
            "growth_target": 4000,
            "growth_target_year": 2028,
        },
        rules=rules,
        weights={c: w for c, w in colleges.values()},
        effective_from=dt.date(2018, 1, 1),
        reason="Statuts constitutifs (démo)",
    )


def _demo_contacts() -> list[tuple[Contact, str]]:
    found = []
    for email, first, last, category in DEMO_MEMBERS:
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
        found.append((contact, category))
    return found


PENDING = [
    # (first name, last name, category, shares, method, received: fraction of the amount)
    ("Inès", "Garnier", "soutiens", 4, "transfer", 0),
    ("Théo", "Marchand", "beneficiaires", 1, "cheque", 0),
    ("Louise", "Perrin", "soutiens", 10, "transfer", 0),
    ("Hugo", "Lemaire", "soutiens", 8, "transfer", Decimal("0.25")),
    ("Jade", "Barbier", "beneficiaires", 2, "cheque", 1),
]


def pending_requests(out) -> None:
    """Subscription requests waiting for staff: three awaiting payment, one partially paid,
    one paid and awaiting approval. Idempotent: a demo person who already has a request is
    skipped."""
    from placette.membership import subscriptions
    from placette.membership.models_requests import SubscriptionRequest, SubscriptionSettings

    if not SubscriptionSettings.objects.exists():
        SubscriptionSettings.objects.create(
            account_holder="Placette SCIC SAS",
            iban="FR7630006000011234567890189",
            bic="AGRIFRPP",
            cheque_payable_to="Placette SCIC",
            cheque_address="1 place du Village, 26150 Die",
            company_object="Acquérir et rénover des lieux de village pour l’économie sociale",
            company_seat="1 place du Village, 26150 Die",
            siren="123456789",
        )
    categories = {c.code: c for c in Category.objects.all()}
    today = timezone.localdate()
    created = 0
    for first, last, code, shares, method, received in PENDING:
        email = f"{first.lower().replace('è', 'e')}.{last.lower()}@exemple.fr"
        if SubscriptionRequest.objects.filter(contact__email_normalized=email).exists():
            continue
        if code not in categories:
            continue
        request, _ = subscriptions.subscription_request_create(
            actor=None,
            form_token=subscriptions.form_token_new(),
            shares=shares,
            payment_method=method,
            category=categories[code],
            person={"first_name": first, "last_name": last, "email": email},
            tax_resident_fr=True,
            consents_given=list(subscriptions.CONSENTS),
            e_convocation=True,
        )
        if received:
            subscriptions.request_payment_record(
                actor=None,
                request=request,
                amount=(request.amount * Decimal(received)).quantize(Decimal("0.01")),
                paid_on=today,
                method=method,
                reference=request.reference,
            )
        created += 1
    if created:
        out.write(f"Sociétariat : {created} demandes de souscription en attente.")


def seed(rng, out) -> None:
    if Statutes.objects.exists():
        out.write("Sociétariat : déjà en place.")
        pending_requests(out)
        return
    _statutes()
    for year in range(2018, timezone.localdate().year + 1):
        TaxYear.objects.get_or_create(
            year=year,
            defaults={
                "rate_percent": Decimal(25 if year in (2021, 2022, 2024, 2025) else 18),
                "ceiling_single": Decimal(50000),
                "ceiling_couple": Decimal(100000),
                "note": "Valeurs de démonstration : à vérifier chaque année.",
            },
        )
    categories = {c.code: c for c in Category.objects.all()}
    today = timezone.localdate()
    start = dt.date(2018, 3, 1)
    span = (today - start).days
    people = list(
        Contact.objects.filter(kind=ContactKind.PERSON)
        .exclude(email_normalized__endswith="@placette.demo")
        .order_by("id")[: MEMBERS - 25]
    )
    orgs = list(
        Contact.objects.filter(
            kind=ContactKind.ORGANISATION, org_kind__in=["association", "ess", "company"]
        ).order_by("id")[:25]
    )
    plan = []
    for index, contact in enumerate(people):
        if index < 15:
            code = "salaries"
        else:
            code = rng.choices(["beneficiaires", "reseau", "soutiens"], [10, 6, 84])[0]
        plan.append((contact, code))
    plan += [(org, rng.choice(["beneficiaires", "partenaires"])) for org in orgs]
    dated = sorted(
        ((start + dt.timedelta(days=int(span * rng.random() ** 0.8)), c, code) for c, code in plan),
        key=lambda item: (item[0], item[1].pk),
    )
    for (contact, code), on in zip(
        _demo_contacts(), [dt.date(2019, 5, 14), dt.date(2020, 2, 3)], strict=True
    ):
        dated.append((on, contact, code))
    dated.sort(key=lambda item: (item[0], item[1].pk))
    partial = []
    for on, contact, code in dated:
        minimum = 5 if code == "partenaires" else 1
        if rng.random() < 0.04 or not contact.is_person:
            shares = rng.choice([50, 100, 150, 200])
        else:
            shares = max(minimum, min(20, int(rng.paretovariate(1.2))))
        amount = Decimal(shares * 100)
        paid = amount if rng.random() < 0.85 else (amount / 4).quantize(Decimal("1"))
        services.shares_subscribe(
            actor=None,
            contact=contact,
            shares=shares,
            category=categories[code],
            on=on,
            paid=paid,
            reference=f"BS-{on:%Y}-{contact.pk}",
        )
        if paid < amount:
            partial.append((contact, on, amount - paid))
    for contact, on, balance in partial[: len(partial) // 2]:
        pay_on = min(today, on + dt.timedelta(days=rng.randint(30, 400)))
        services.shares_pay(
            actor=None, contact=contact, amount=balance, on=pay_on, reference="VIR-SOLDE"
        )
    holders = [c for _, c, code in dated if code == "soutiens" and c.is_person]
    rng.shuffle(holders)
    for giver in holders[:10]:
        holding = projections.holding_of(giver)
        receiver = rng.choice(people)
        if holding.unpaid or holding.shares < 2 or receiver.pk == giver.pk:
            continue
        book = services.shares_give if rng.random() < 0.3 else services.shares_transfer
        book(
            actor=None,
            giver=giver,
            receiver=receiver,
            shares=rng.randint(1, holding.shares),
            category=categories["soutiens"],
            on=min(today, dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 700))),
        )
    leaving = holders[10:35]
    for index, contact in enumerate(leaving):
        holding = projections.holding_of(contact)
        if holding.shares <= 0:
            continue
        year = rng.choice([2021, 2022, 2023, 2024, today.year])
        asked = max(
            dt.date(year, 1, 15),
            Movement.objects.filter(holder=contact)
            .order_by("-date")
            .values_list("date", flat=True)
            .first(),
        )
        if asked > today:
            continue
        request = services.refund_request(
            actor=None, contact=contact, shares=holding.shares, on=asked, note="Départ de la région"
        )
        if index % 4 == 0:
            continue  # pending board decision
        decided = min(today, asked + dt.timedelta(days=45))
        decision = services.refund_decide(
            actor=None, request=request, accepted=True, on=decided, note="CA (démo)"
        )
        ago = dt.date(decided.year + 1, 6, 20)
        if ago + dt.timedelta(days=15) <= today:
            services.refund_pay(
                actor=None,
                decision=decision,
                on=ago + dt.timedelta(days=15),
                ago_on=ago,
                reference="LOT-REMB",
            )
    instrument, _ = Instrument.objects.get_or_create(
        name="Titres participatifs 2023",
        defaults={
            "kind": "titre_participatif",
            "unit_value": Decimal(1000),
            "rate_percent": Decimal("2.000"),
            "duration_months": 84,
            "issued_on": dt.date(2023, 3, 1),
            "note": "Rémunération fixe de 2 % l’an, remboursables à 7 ans.",
        },
    )
    for org in orgs[:4]:
        InstrumentHolding.objects.get_or_create(
            instrument=instrument,
            holder=org,
            defaults={"units": 20, "amount": Decimal(20000), "subscribed_on": dt.date(2023, 4, 1)},
        )
    capital = projections.capital_on(today)
    out.write(
        f"Sociétariat : {capital.holders} titulaires, {capital.shares} parts, "
        f"{money.euros(capital.subscribed)} souscrits."
    )
    pending_requests(out)

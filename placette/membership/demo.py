"""Demo membership: statutes (SCIC SAS, four colleges), ~800 members subscribing since 2018,
partial payments, transfers, refunds at every stage, pending requests, IR-PME settings and
titres participatifs. Idempotent: does nothing when statutes exist."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from placette.contacts.models import Contact, ContactKind, TimelineEntry, TimelineKind
from placette.contacts.services import contact_create
from placette.lib import money
from placette.membership import ledger, projections, services
from placette.membership.models import (
    ZERO,
    AccountsApproval,
    Category,
    CategoryChange,
    College,
    Instrument,
    InstrumentHolding,
    Member,
    Movement,
    MovementKind,
    Sequence,
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
ESUS_REFERENCE = "Agrément ESUS n° 26-2018-0042, préfecture de la Drôme"


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
            "seat": "1 place du Village, 26150 Die",
            "registration": "RCS Romans 123 456 789",
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


class _Register:
    """The demo register, planned in Python and written with bulk inserts (fast, and true at
    every date by construction: each movement is planned after the ones it depends on and
    checked against the running holding of its day).

    Movements are numbered in the order of their value dates, so the register reads
    chronologically; members are numbered in the order of admission. The running balances and
    daily capital changes are rebuilt from the movements at the end
    (`projections.balances_rebuild`), as for any bulk load."""

    def __init__(self, value: Decimal) -> None:
        self.value = value
        self.rows: list[tuple[dt.date, int, Movement]] = []
        self.holdings: dict[int, ledger.Holding] = {}
        self.last: dict[int, dt.date] = {}
        self.members: dict[int, tuple[dt.date, str]] = {}
        self.left: dict[int, dt.date] = {}
        self.timeline: list[TimelineEntry] = []

    def _add(self, on: dt.date, movement: Movement, title: str) -> Movement:
        movement.date = on
        movement.share_value = self.value
        for name in ("capital", "called", "paid"):
            if getattr(movement, name) is None:
                setattr(movement, name, ZERO)
        holding = self.holdings.get(movement.holder_id, ledger.Holding())
        after = holding + ledger.Holding(
            movement.shares, movement.capital, movement.called, movement.paid
        )
        assert on >= self.last.get(movement.holder_id, on), "planned before a later movement"
        assert after.shares >= 0 and ZERO <= after.paid <= after.called <= after.capital
        self.holdings[movement.holder_id] = after
        self.last[movement.holder_id] = on
        self.rows.append((on, len(self.rows), movement))
        self.timeline.append(
            TimelineEntry(
                contact_id=movement.holder_id,
                kind=TimelineKind.SUBSCRIPTION,
                title=title[:200],
                area="membership",
                link=f"/gestion/societariat/titulaires/{movement.holder_id}/",
                at=timezone.make_aware(dt.datetime.combine(on, dt.time(10))),
            )
        )
        return movement

    def subscribe(self, on, contact, shares, code, paid) -> None:
        amount = self.value * shares
        self.members.setdefault(contact.pk, (on, code))
        self._add(
            on,
            Movement(
                kind=MovementKind.SUBSCRIPTION,
                holder_id=contact.pk,
                shares=shares,
                capital=amount,
                called=amount,
                paid=paid,
                quantity=shares,
                amount=amount,
                reference=f"BS-{on:%Y}-{contact.pk}",
            ),
            f"Souscription de {shares} part(s) ({money.euros(amount)})",
        )

    def pay(self, on, contact, amount) -> None:
        self._add(
            on,
            Movement(
                kind=MovementKind.PAYMENT,
                holder_id=contact.pk,
                paid=amount,
                amount=amount,
                reference="VIR-SOLDE",
            ),
            f"Libération de {money.euros(amount)}",
        )

    def hand_over(self, on, kind, giver, receiver, shares) -> None:
        holding = self.holdings[giver.pk]
        assert holding.unpaid == 0 and 0 < shares <= holding.shares
        amount = (holding.capital / holding.shares * shares).quantize(ledger.CENT)
        label = "Cession" if kind == MovementKind.TRANSFER else "Donation"
        out = self._add(
            on,
            Movement(
                kind=kind,
                holder_id=giver.pk,
                counterparty_id=receiver.pk,
                shares=-shares,
                capital=-amount,
                called=-amount,
                paid=-amount,
                quantity=shares,
                amount=amount,
            ),
            f"{label} de {shares} part(s) à {receiver}",
        )
        self._add(
            on,
            Movement(
                kind=kind,
                holder_id=receiver.pk,
                counterparty_id=giver.pk,
                shares=shares,
                capital=amount,
                called=amount,
                paid=amount,
                quantity=shares,
                amount=amount,
                related=out,
            ),
            f"{label} de {shares} part(s) reçue de {giver}",
        )
        if self.holdings[giver.pk].shares == 0:
            self.left[giver.pk] = on  # gave everything: no longer an associé

    def refund(self, asked, contact, *, decided, paid_on, ago) -> None:
        holding = self.holdings[contact.pk]
        deltas = ledger.withdrawal_deltas(holding=holding, shares=holding.shares)
        request = self._add(
            asked,
            Movement(
                kind=MovementKind.REFUND_REQUEST,
                holder_id=contact.pk,
                quantity=holding.shares,
                amount=-deltas.paid,
                note="Départ de la région",
            ),
            f"Demande de remboursement de {holding.shares} part(s)",
        )
        if decided is None:
            return
        decision = self._add(
            decided,
            Movement(
                kind=MovementKind.REFUND_DECISION,
                holder_id=contact.pk,
                accepted=True,
                shares=deltas.shares,
                capital=deltas.capital,
                called=deltas.called,
                paid=deltas.paid,
                quantity=holding.shares,
                amount=-deltas.paid,
                related=request,
                note="CA (démo)",
            ),
            f"Remboursement de {holding.shares} part(s) accepté",
        )
        self.left[contact.pk] = decided
        if paid_on is not None:
            self._add(
                paid_on,
                Movement(
                    kind=MovementKind.REFUND_PAYMENT,
                    holder_id=contact.pk,
                    quantity=holding.shares,
                    amount=-deltas.paid,
                    related=decision,
                    reference="LOT-REMB",
                    note=f"AGO du {ago:%d/%m/%Y}",
                ),
                f"Remboursement payé : {money.euros(-deltas.paid)}",
            )

    def write(self, categories: dict[str, Category]) -> None:
        """Number the movements by value date and insert them; a movement pointing at another
        one (`related`) is inserted after it, so its key is known."""
        batch: list[Movement] = []
        now = timezone.now()
        for number, (_, _, movement) in enumerate(sorted(self.rows, key=lambda r: r[:2]), 1):
            if movement.related is not None and movement.related.pk is None:
                Movement.objects.bulk_create(batch)
                batch = []
            if movement.related is not None:
                movement.related_id = movement.related.pk
            movement.number = number
            movement.booked_at = now
            batch.append(movement)
        Movement.objects.bulk_create(batch)
        admitted = sorted(self.members.items(), key=lambda item: (item[1][0], item[0]))
        members = [
            Member(
                contact_id=contact_id,
                number=number,
                category=categories[code],
                admitted_on=on,
                left_on=self.left.get(contact_id),
            )
            for number, (contact_id, (on, code)) in enumerate(admitted, 1)
        ]
        Member.objects.bulk_create(members)
        CategoryChange.objects.bulk_create(
            CategoryChange(
                member=member,
                category=member.category,
                effective_on=member.admitted_on,
                reason="Catégorie à l’entrée",
            )
            for member in members
        )
        for name, last in (("movement", len(self.rows)), ("member", len(members))):
            Sequence.objects.update_or_create(name=name, defaults={"last": last})
        TimelineEntry.objects.bulk_create(self.timeline, batch_size=2_000)
        projections.balances_rebuild()


def _register(rng) -> list[Contact]:
    """~800 members subscribing since March 2018, partial payments, transfers and gifts dated
    after the people involved joined and paid up, refunds at every stage."""
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
    book = _Register(Statutes.objects.in_force(start).share_value)
    partial = []
    for on, contact, code in dated:
        minimum = 5 if code == "partenaires" else 1
        if rng.random() < 0.04 or not contact.is_person:
            shares = rng.choice([50, 100, 150, 200])
        else:
            shares = max(minimum, min(20, int(rng.paretovariate(1.2))))
        amount = Decimal(shares * 100)
        paid = amount if rng.random() < 0.85 else (amount / 4).quantize(Decimal("1"))
        book.subscribe(on, contact, shares, code, paid)
        if paid < amount:
            partial.append((contact, on, amount - paid))
    for contact, on, balance in partial[: len(partial) // 2]:
        book.pay(min(today, on + dt.timedelta(days=rng.randint(30, 400))), contact, balance)
    holders = [c for _, c, code in dated if code == "soutiens" and c.is_person]
    rng.shuffle(holders)
    leaving = holders[10:35]
    for giver in holders[:10]:
        holding = book.holdings[giver.pk]
        receiver = rng.choice(people)
        if holding.unpaid or holding.shares < 2 or receiver.pk == giver.pk or receiver in leaving:
            continue
        # After the last movement of both people: the giver's shares are paid up and the
        # receiver has joined, so the register is true at every date.
        on = max(book.last[giver.pk], book.last[receiver.pk]) + dt.timedelta(
            days=rng.randint(30, 400)
        )
        if on > today:
            continue
        kind = MovementKind.GIFT if rng.random() < 0.3 else MovementKind.TRANSFER
        book.hand_over(on, kind, giver, receiver, rng.randint(1, holding.shares))
    for index, contact in enumerate(leaving):
        year = rng.choice([2021, 2022, 2023, 2024, today.year])
        asked = max(dt.date(year, 1, 15), book.last[contact.pk])
        if asked > today:
            continue
        decided = None if index % 4 == 0 else min(today, asked + dt.timedelta(days=45))
        ago = dt.date(decided.year + 1, 6, 20) if decided else None
        paid_on = ago + dt.timedelta(days=15) if ago else None
        if ago and paid_on and paid_on <= today:
            # The AGO that approved the year's accounts, held before the demo's governance
            # records: recorded from its minutes (membership.approvals).
            AccountsApproval.objects.get_or_create(
                year=decided.year,
                defaults={
                    "approved_on": ago,
                    "meeting_title": f"AGO du {ago:%d/%m/%Y}",
                    "minutes_reference": f"PV de l’AGO du {ago:%d/%m/%Y}",
                    "result": Decimal(12400),
                },
            )
        book.refund(
            asked,
            contact,
            decided=decided,
            paid_on=paid_on if paid_on and paid_on <= today else None,
            ago=ago,
        )
    book.write(categories)
    return orgs


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
                # A foncière solidaire is eligible only as an ESUS-approved company.
                "company_eligible": True,
                "real_estate": True,
                "esus_reference": ESUS_REFERENCE,
                "esus_from": dt.date(2018, 3, 1),
                "esus_until": dt.date(2030, 2, 28),
                "holding_years": 5,
                "clawback_years": 7,
                "signatory_name": "Claire Fabre",
                "signatory_role": "présidente",
            },
        )
    orgs = _register(rng)
    # IR-PME: natural persons declared French tax residents (one in thirty lives abroad).
    people = Member.objects.filter(contact__kind=ContactKind.PERSON)
    abroad = list(people.order_by("number").values_list("contact_id", flat=True))[7::30]
    people.exclude(contact_id__in=abroad).update(tax_resident_fr=True)
    today = timezone.localdate()
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

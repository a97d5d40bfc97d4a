"""Builders for governance tests: statutes with the four colleges of docs/governance.md
(40 % / 25 % / 25 % / 10 %), members booked through membership's services, an AG."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from placette.governance.models import Body, BodyKind, Meeting, MeetingKind
from placette.governance.services import meeting_create, resolution_add, roll_freeze
from placette.membership.models import Category, College
from placette.membership.services import shares_subscribe, statutes_update
from placette.test import make_contact

# college code, name, weight % — the weights of examples 1, 4 and 11 of docs/governance.md
COLLEGES = [
    ("a", "Bénévoles et salariés", Decimal(40)),
    ("b", "Bénéficiaires individuels", Decimal(25)),
    ("c", "Bénéficiaires professionnels et collectivités", Decimal(25)),
    ("d", "Soutiens", Decimal(10)),
]
# category code, name, employees?, beneficiaries?, college code
CATEGORIES = [
    ("gov-salaries", "Salariés (G)", True, False, "a"),
    ("gov-usagers", "Usagers (G)", False, True, "b"),
    ("gov-pros", "Professionnels (G)", False, False, "c"),
    ("gov-soutiens", "Soutiens (G)", False, False, "d"),
]
COLLEGE_OF = {code: name for code, name, _ in COLLEGES}


def make_statutes(
    *,
    legal_form: str = "SA",
    colleges: bool = True,
    policy: str = "redistribute",
    effective_from: dt.date = dt.date(2020, 1, 1),
    **settings,
):
    """Statutes with the four colleges; `settings` override statutes fields (e.g. the
    governance settings `notice_days_first_call`, `proxy_cap`, `sas_quorum_as`…)."""
    colleges_by_code = {}
    for order, (code, name, weight) in enumerate(COLLEGES):
        college, _ = College.objects.get_or_create(
            code=f"gov-{code}", defaults={"name": name, "order": order}
        )
        colleges_by_code[code] = (college, weight)
    rules = []
    for order, (code, name, employees, beneficiaries, college) in enumerate(CATEGORIES):
        category, _ = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_employees": employees,
                "is_beneficiaries": beneficiaries,
                "order": order,
            },
        )
        rules.append(
            {
                "category": category,
                "min_shares": 1,
                "max_shares": None,
                "college": colleges_by_code[college][0],
            }
        )
    data = {
        "coop_name": "Placette SCIC",
        "legal_form": legal_form,
        "share_value": Decimal(100),
        "membership_start": "subscription",
        "min_paid_percent": Decimal(25),
        "balance_delay_months": 60,
        "floor_percent": Decimal(25),
        "floor_amount": Decimal(18500) if legal_form == "SA" else None,  # the SA's legal floor
        "refund_after_ago": True,
        "refund_min_delay_months": 0,
        "refund_max_delay_months": 60,
        "local_authorities_cap_percent": Decimal(50),
        "colleges_enabled": colleges,
        "empty_college_policy": policy,
        "min_colleges": 3,
        "min_college_percent": Decimal(10),
        "max_college_percent": Decimal(50),
        "ir_pme_holding_years": 5,
        "growth_target": 4000,
        "growth_target_year": None,
        **settings,
    }
    return statutes_update(
        actor=None,
        data=data,
        rules=rules,
        weights={c: w for c, w in colleges_by_code.values()},
        effective_from=effective_from,
        reason="statuts de test (gouvernance)",
    )


def make_member(
    first: str, college: str, *, email: str | None = None, on=dt.date(2021, 1, 1), contact=None
):
    """A member of the category mapped to `college` ("a".."d"), subscribed through membership."""
    contact = contact or make_contact(
        first_name=first,
        last_name="Test",
        email=email if email is not None else f"{first.lower()}@exemple.fr",
    )
    code = {c[4]: c[0] for c in CATEGORIES}[college]
    shares_subscribe(
        actor=None, contact=contact, shares=1, category=Category.objects.get(code=code), on=on
    )
    return contact


def ag_body() -> Body:
    return Body.objects.get_or_create(name="Assemblée générale", defaults={"kind": BodyKind.AG})[0]


def make_ag(
    *,
    days_ahead: int = 30,
    kind: str = MeetingKind.AGO,
    resolutions: int = 1,
    freeze: bool = True,
    open_votes: bool = True,
) -> Meeting:
    starts = timezone.now() + dt.timedelta(days=days_ahead)
    meeting = meeting_create(
        actor=None,
        body=ag_body(),
        kind=kind,
        title="AG 2025",
        starts_at=starts,
        cutoff_date=timezone.localdate(),
        place="Salle des fêtes de Dieulefit",
        vote_opens_at=timezone.now() - dt.timedelta(hours=1) if open_votes else None,
    )
    for i in range(resolutions):
        resolution_add(
            actor=None,
            meeting=meeting,
            title=f"Approbation des comptes {i + 1}",
            kind="extraordinary" if kind == MeetingKind.AGE else "ordinary",
        )
    if freeze:
        roll_freeze(actor=None, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


def start(meeting: Meeting) -> Meeting:
    """The meeting day has come: move the meeting into the past by an hour."""
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1),
        vote_opens_at=timezone.now() - dt.timedelta(days=10),
    )
    meeting.refresh_from_db()
    return meeting

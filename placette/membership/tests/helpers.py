"""Test helpers: the statutes of the demo cooperative (four categories, four colleges)."""

import datetime as dt
from decimal import Decimal

from placette.membership.models import Category, College, Statutes
from placette.membership.services import statutes_update

CATEGORIES = [
    # code, name, employees?, beneficiaries?, authorities?, min shares, college code
    ("salaries", "Salariés", True, False, False, 1, "salaries"),
    ("beneficiaires", "Bénéficiaires", False, True, False, 1, "beneficiaires"),
    ("collectivites", "Collectivités", False, False, True, 10, "partenaires"),
    ("partenaires", "Partenaires", False, False, False, 5, "partenaires"),
    ("soutiens", "Soutiens", False, False, False, 1, "soutiens"),
]
COLLEGES = [
    ("salaries", "Salariés", Decimal(20)),
    ("beneficiaires", "Bénéficiaires", Decimal(30)),
    ("partenaires", "Partenaires", Decimal(20)),
    ("soutiens", "Soutiens", Decimal(30)),
]


def make_statutes(
    *, effective_from: dt.date = dt.date(2018, 1, 1), actor=None, **overrides
) -> Statutes:
    colleges = {}
    for order, (code, name, weight) in enumerate(COLLEGES):
        college, _ = College.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
        colleges[code] = (college, weight)
    rules = []
    for order, (code, name, employees, beneficiaries, authorities, minimum, college) in enumerate(
        CATEGORIES
    ):
        category, _ = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_employees": employees,
                "is_beneficiaries": beneficiaries,
                "is_local_authorities": authorities,
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
    data = {
        "coop_name": "Placette SCIC",
        "legal_form": "SAS",
        "share_value": Decimal(100),
        "membership_start": "subscription",
        "min_paid_percent": Decimal(25),
        "balance_delay_months": 60,
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
        "growth_target_year": None,
    }
    data.update(overrides)
    if data["legal_form"] == "SA" and data["floor_amount"] is None:
        data["floor_amount"] = Decimal(18500)  # the legal floor of a SCIC SA
    return statutes_update(
        actor=actor,
        data=data,
        rules=rules,
        weights={college: weight for college, weight in colleges.values()},
        effective_from=effective_from,
        reason="statuts de test",
    )


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def approve_accounts(year: int, on: dt.date, result=None):
    """The AGO of `on` approved the accounts of `year` (recorded from its minutes)."""
    from placette.membership.approvals import accounts_approval_record

    return accounts_approval_record(
        actor=None,
        year=year,
        approved_on=on,
        minutes_reference=f"PV de l’AGO du {on:%d/%m/%Y}",
        result=result,
    )

"""Builders shared by the places tests (through the services, as the views do)."""

import datetime as dt
from decimal import Decimal

from placette.contacts.models import ContactKind
from placette.places import services
from placette.places.models import IndexValue
from placette.test import make_contact


def make_tenant(name: str = "Café associatif La Fontaine", email: str = "cafe@fontaine.fr"):
    return make_contact(
        kind=ContactKind.ORGANISATION,
        organisation_name=name,
        org_kind="association",
        email=email,
        postcode="26340",
        commune_code="26289",
    )


def make_place(name: str = "Le Café de Saillans", commune_code: str = "26289", **extra):
    data = {
        "name": name,
        "kind": "cafe",
        "address_line1": "2 place de la Mairie",
        "postcode": "26340",
        "commune_code": commune_code,
        "latitude": Decimal("44.698200"),
        "longitude": Decimal("5.193700"),
        "status": "open",
        **extra,
    }
    return services.place_create(
        actor=None, data=data, decided_on=dt.date(2021, 3, 1), decided_by="Conseil d’administration"
    )


def make_operation(place, **fields):
    data = {
        "acquired_on": dt.date(2021, 6, 15),
        "price": Decimal("120000.00"),
        "notary_fees": Decimal("9000.00"),
        "works_budget": Decimal("80000.00"),
        "works_cost": Decimal("85000.00"),
        "works_started_on": dt.date(2021, 9, 1),
        "works_ended_on": dt.date(2022, 3, 31),
        "land_area": Decimal("400"),
        "built_area": Decimal("250"),
        "renovated_area": Decimal("220"),
        **fields,
    }
    return services.operation_update(actor=None, operation=place.operation, data=data)


def make_activity(place, tenant=None, **fields):
    data = {
        "tenant": tenant or make_tenant(),
        "name": "Café La Fontaine",
        "kind": "cafe",
        "opened_on": dt.date(2022, 5, 1),
        "jobs_fte": Decimal("2.5"),
        "opening_hours": "mardi au dimanche, 8 h – 20 h",
        **fields,
    }
    return services.activity_install(actor=None, place=place, data=data)


def make_lease(activity, until=dt.date(2023, 4, 30), **fields):
    data = {
        "kind": "commercial",
        "starts_on": dt.date(2022, 5, 1),
        "ends_on": dt.date(2031, 4, 30),
        "initial_rent": Decimal("850.00"),
        "charges": Decimal("50.00"),
        "deposit": Decimal("1700.00"),
        "index_kind": "ILC",
        "index_year": 2022,
        "index_quarter": 1,
        **fields,
    }
    return services.lease_create(actor=None, activity=activity, data=data, schedule_until=until)


def make_index(kind: str, year: int, quarter: int, value: str) -> IndexValue:
    return IndexValue.objects.create(kind=kind, year=year, quarter=quarter, value=Decimal(value))

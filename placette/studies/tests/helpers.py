"""Shared set-up of the studies tests: roles, a mission template, a local authority asking."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from placette.contacts.models import ContactKind, OrganisationKind
from placette.studies import services
from placette.studies.models import StudyRole
from placette.test import make_contact


def today() -> dt.date:
    return timezone.localdate()


def ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


def roles() -> tuple[StudyRole, StudyRole]:
    officer = StudyRole.objects.get_or_create(
        name="Chargé·e d’études", defaults={"daily_rate": Decimal("650.00")}
    )[0]
    director = StudyRole.objects.get_or_create(
        name="Directeur·rice", defaults={"daily_rate": Decimal("800.00")}
    )[0]
    return officer, director


def template(officer: StudyRole, director: StudyRole):
    from placette.studies.models import MissionTemplate

    found = MissionTemplate.objects.filter(name="Étude de faisabilité d’un tiers-lieu").first()
    if found:
        return found
    tpl = services.template_create(actor=None, name="Étude de faisabilité d’un tiers-lieu")
    services.template_phase_add(
        actor=None,
        template=tpl,
        name="Diagnostic",
        deliverables="Note de diagnostic\nCarte des acteurs",
        days={officer: Decimal("4"), director: Decimal("1")},
    )
    services.template_phase_add(
        actor=None,
        template=tpl,
        name="Concertation",
        deliverables="Compte rendu des ateliers",
        days={officer: Decimal("3.5"), director: Decimal("0")},
    )
    return tpl


def commune():
    return make_contact(
        kind=ContactKind.ORGANISATION,
        organisation_name="Commune de Saint-Agrève",
        org_kind=OrganisationKind.COMMUNE,
        siren="210702043",
        postcode="07320",
        commune_code="07204",
        address_line1="Place de la Mairie",
    )


def study_request(contact=None, received=120):
    return services.request_create(
        actor=None,
        contact=contact or commune(),
        received_on=ago(received),
        data={"title": "Tiers-lieu dans l’ancienne poste", "territory": "Plateau ardéchois"},
    )


def accepted_mission(staff=None, received=120, accepted=100, ends_in=60):
    """A quote from the template (4 + 1 + 3.5 days = 5,075 € HT), sent and accepted: its mission."""
    officer, director = roles()
    tpl = template(officer, director)
    request = study_request(received=received)
    quote = services.quote_create(
        actor=None, request=request, template=tpl, created_on=ago(received - 5)
    )
    if staff is not None:
        services.quote_line_add(
            actor=None,
            quote=quote,
            kind="days",
            staff=staff,
            quantity=Decimal("1"),
            unit_price=Decimal("650.00"),
            phase=quote.phases.first(),
        )
    services.quote_update(
        actor=None,
        quote=quote,
        data={
            "buyer_siret": "21070204300015",
            "buyer_service_code": "SERV-ETUDES",
            "buyer_commitment": "EJ-2026-0042",
        },
    )
    services.quote_send(actor=None, quote=quote, sent_on=ago(received - 6))
    mission = services.quote_accept(
        actor=None,
        quote=quote,
        accepted_on=ago(accepted),
        ends_on=today() + dt.timedelta(days=ends_in),
    )
    return mission

"""The audience list (/gestion/communication/audience/): the contacts list's filters plus what
only a mailing tool asks (consent, membership, college, holding, instrument, place), with the
live count and a preview of the rows. A segment is this list's query string; a saved view of
the contacts list is one too, since its filters are a subset of these."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
import django_tables2 as tables
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from placette.contacts.lists import ContactFilter
from placette.contacts.models import ConsentPurpose, Contact
from placette.contacts.services import consent_givers
from placette.lib import listing


def _purpose_choices() -> list[tuple[str, str]]:
    return [(p.code, str(p.label)) for p in ConsentPurpose.objects.filter(active=True)]


def _category_choices() -> list[tuple[str, str]]:
    from placette.membership.models import Category

    return [(str(pk), name) for pk, name in Category.objects.values_list("pk", "name")]


def _college_choices() -> list[tuple[str, str]]:
    from placette.membership.models import College

    return [(str(pk), name) for pk, name in College.objects.values_list("pk", "name")]


def _instrument_choices() -> list[tuple[str, str]]:
    from placette.membership.models import Instrument

    return [(str(pk), name) for pk, name in Instrument.objects.values_list("pk", "name")]


def _place_choices() -> list[tuple[str, str]]:
    from placette.places.models import Place

    return [
        (str(pk), f"{name} ({commune})")
        for pk, name, commune in Place.objects.values_list("pk", "name", "commune_name")
    ]


MEMBER_CHOICES = [("yes", _("sociétaires")), ("no", _("non sociétaires"))]
YES_NO = [("yes", _("oui")), ("no", _("non"))]


class AudienceFilter(ContactFilter):
    consent = django_filters.ChoiceFilter(
        label=_("A consenti à"),
        choices=_purpose_choices,
        empty_label=_("Peu importe"),
        method="filter_consent",
    )
    member = django_filters.ChoiceFilter(
        label=_("Sociétariat"),
        choices=MEMBER_CHOICES,
        empty_label=_("Tous"),
        method="filter_member",
    )
    category = django_filters.ChoiceFilter(
        label=_("Catégorie d’associés"),
        choices=_category_choices,
        empty_label=_("Toutes"),
        method="filter_category",
    )
    college = django_filters.ChoiceFilter(
        label=_("Collège de vote"),
        choices=_college_choices,
        empty_label=_("Tous"),
        method="filter_college",
    )
    min_shares = django_filters.NumberFilter(
        label=_("Parts détenues (au moins)"), method="filter_min_shares", min_value=1
    )
    instrument = django_filters.ChoiceFilter(
        label=_("Investisseur de"),
        choices=_instrument_choices,
        empty_label=_("Aucun filtre"),
        method="filter_instrument",
    )
    place = django_filters.ChoiceFilter(
        label=_("Habitant la commune du lieu"),
        choices=_place_choices,
        empty_label=_("Aucun filtre"),
        method="filter_place",
    )
    has_email = django_filters.ChoiceFilter(
        label=_("A une adresse e-mail"),
        choices=YES_NO,
        empty_label=_("Peu importe"),
        method="filter_has_email",
    )

    def filter_consent(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=consent_givers(value).values("pk"))

    def filter_member(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from placette.membership.models import Member

        active = Member.objects.active_on(dt.date.today()).filter(contact_id=OuterRef("pk"))
        return (
            queryset.filter(Exists(active)) if value == "yes" else queryset.exclude(Exists(active))
        )

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from placette.membership.models import Member

        members = Member.objects.active_on(dt.date.today()).filter(category_id=value)
        return queryset.filter(pk__in=members.values("contact_id"))

    def filter_college(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from placette.membership.models import CategoryRule, Member, Statutes

        statutes = Statutes.objects.in_force(dt.date.today())
        if statutes is None:
            return queryset.none()
        categories = CategoryRule.objects.filter(statutes=statutes, college_id=value).values(
            "category_id"
        )
        members = Member.objects.active_on(dt.date.today()).filter(category_id__in=categories)
        return queryset.filter(pk__in=members.values("contact_id"))

    def filter_min_shares(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        from placette.membership.models import HolderBalance

        holders = HolderBalance.objects.filter(shares__gte=int(value)).values("holder_id")
        return queryset.filter(pk__in=holders)

    def filter_instrument(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from placette.membership.models import InstrumentHolding

        holders = InstrumentHolding.objects.filter(instrument_id=value, repaid_on__isnull=True)
        return queryset.filter(pk__in=holders.values("holder_id"))

    def filter_place(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from placette.places.models import Place

        return queryset.filter(
            commune_code__in=Place.objects.filter(pk=value).values("commune_code")
        )

    def filter_has_email(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.exclude(email="") if value == "yes" else queryset.filter(email="")


class AudienceTable(listing.Table):
    name = tables.Column(_("Nom"), accessor="display_name", order_by=("name_key",), linkify=True)
    email = tables.Column(_("E-mail"), accessor="email")
    commune = tables.Column(_("Commune"), accessor="commune_name")
    department = tables.Column(_("Département"), accessor="department_code")

    class Meta(listing.Table.Meta):
        empty_text = _("Aucun contact ne correspond à ces filtres.")


def _contacts(request: HttpRequest | None, params: QueryDict) -> QuerySet[Contact]:
    return Contact.objects.only(
        "pk", "display_name", "name_key", "email", "commune_name", "department_code", "kind"
    )


AUDIENCE = listing.ListPage(
    key="mailing-audience",
    table=AudienceTable,
    filterset=AudienceFilter,
    queryset=_contacts,
    url_name="mailing:audience",
    default_sort="name",
    columns=["name", "email", "commune", "department"],
    export_name="audience",
    results_id="audience-results",
    singular=_("contact"),
    plural=_("contacts"),
)


def audience_contacts(query: str) -> QuerySet[Contact]:
    """The contacts a query string of the audience list (or of the contacts list) matches."""
    params = QueryDict(query or "")
    filters = AUDIENCE.filtered(None, params)
    return filters.qs.order_by()

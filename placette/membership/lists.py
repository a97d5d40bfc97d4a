"""Staff lists of the membership area: members at a date, subscription requests."""

import datetime as dt
from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placette.lib import listing
from placette.lib.money import euros
from placette.lib.sums import decimal_sum
from placette.lib.text import normalize
from placette.membership import batches, projections
from placette.membership.forms import DATE
from placette.membership.forms_public import RefuseForm
from placette.membership.models import Category, Member
from placette.membership.models_requests import (
    PaymentMethod,
    RequestStatus,
    SubscriptionRequest,
)


def date_of(params: QueryDict) -> dt.date:
    """The `date` of the query string (the day the list is read at), today when absent."""
    field = forms.DateField(required=False)
    try:
        return field.clean(params.get("date")) or timezone.localdate()
    except forms.ValidationError:
        return timezone.localdate()


def _unchanged(queryset: QuerySet, name: str, value: Any) -> QuerySet:
    return queryset  # read by the base queryset (the date changes who is a member)


def _search(queryset: QuerySet, name: str, value: str) -> QuerySet:
    for word in normalize(value).split():
        queryset = queryset.filter(**{f"{name}__contains": word})
    return queryset


# -- members ---------------------------------------------------------------------------------


class MemberFilter(listing.FilterSet):
    date = django_filters.DateFilter(label=_("Au"), method=_unchanged, widget=DATE)
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        field_name="contact__search_text",
        method=_search,
        widget=forms.SearchInput(attrs={"placeholder": _("Nom, e-mail, commune…")}),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Catégorie"),
        queryset=Category.objects.all(),
        to_field_name="code",
        empty_label=_("Toutes"),
        widget=listing.FastSelect,
        method="category_filter",
    )

    def category_filter(self, queryset: QuerySet, name: str, value: Category) -> QuerySet:
        # the category of the list's date (category history), not today's
        return queryset.filter(category_on=value.pk) if value else queryset


class MemberTable(listing.Table):
    number = tables.Column(_("N°"), accessor="number")
    name = tables.Column(
        _("Nom"),
        accessor="contact__display_name",
        order_by=("contact__name_key",),
        linkify=lambda record: reverse("membership:holder", args=[record.contact_id]),
    )
    category = tables.Column(_("Catégorie"), accessor="category_on", order_by=("category_on",))
    admitted_on = tables.DateColumn(
        verbose_name=_("Admis le"), accessor="admitted_on", format="d/m/Y"
    )
    shares = tables.Column(
        _("Parts"),
        accessor="shares_on",
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}},
    )
    email = tables.Column(_("E-mail"), accessor="contact__email", orderable=False)
    commune = tables.Column(_("Commune"), accessor="contact__commune_name", orderable=False)

    class Meta(listing.Table.Meta):
        empty_text = _("Aucun sociétaire à cette date.")

    def _category_names(self) -> dict[int, str]:
        names = getattr(self, "_names", None)
        if names is None:
            names = self._names = dict(Category.objects.values_list("id", "name"))
        return names

    def render_category(self, record: Member) -> str:
        return self._category_names().get(record.category_on, str(record.category))

    def value_category(self, record: Member) -> str:
        return self.render_category(record)

    def value_admitted_on(self, record: Member) -> dt.date | None:
        return record.admitted_on


def _members(request: HttpRequest, params: QueryDict) -> QuerySet[Member]:
    return projections.members_on(date_of(params)).order_by("number", "id")


MEMBERS = listing.ListPage(
    key="members",
    table=MemberTable,
    filterset=MemberFilter,
    queryset=_members,
    url_name="membership:members",
    default_sort="number",
    columns=["number", "name", "category", "admitted_on", "shares"],
    export_name="societaires",
    singular=_("sociétaire"),
    plural=_("sociétaires"),
)


# -- subscription requests -------------------------------------------------------------------


class RequestFilter(listing.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("État"),
        choices=RequestStatus.choices,
        empty_label=_("Toutes"),
        widget=listing.FastSelect,
    )
    q = django_filters.CharFilter(label=_("Référence ou nom"), method="search")
    payment_method = django_filters.ChoiceFilter(
        label=_("Paiement"),
        choices=PaymentMethod.choices,
        empty_label=_("Tous"),
        widget=listing.FastSelect,
    )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from django.db.models import Q

        text = value.strip()
        return queryset.filter(
            Q(reference__icontains=text) | Q(contact__search_text__contains=normalize(text))
        )


_RIGHT = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


class RequestTable(listing.Table):
    created_at = tables.DateColumn(
        verbose_name=_("Reçue le"), accessor="created_at", format="d/m/Y"
    )
    reference = tables.Column(
        _("Référence"),
        accessor="reference",
        linkify=lambda record: reverse("membership_public:request_detail", args=[record.pk]),
        attrs={"td": {"class": "text-nowrap"}},
    )
    name = tables.Column(
        _("Souscripteur"), accessor="contact__display_name", order_by=("contact__name_key",)
    )
    category = tables.Column(_("Catégorie"), accessor="category_on", order_by=("category_on",))
    shares = tables.Column(_("Parts"), accessor="shares", attrs=_RIGHT)
    amount = tables.Column(_("Montant"), accessor="amount", attrs=_RIGHT)
    received = tables.Column(_("Reçu"), accessor="pk", orderable=False, attrs=_RIGHT)
    payment_method = tables.Column(_("Paiement"), accessor="payment_method")
    status = tables.Column(_("État"), accessor="status")
    email = tables.Column(_("E-mail"), accessor="contact__email", orderable=False)

    class Meta(listing.Table.Meta):
        empty_text = _("Aucune demande.")

    def render_amount(self, value: Any) -> str:
        return euros(value)

    def value_amount(self, value: Any) -> Any:
        return value

    def render_received(self, record: SubscriptionRequest) -> str:
        return euros(record.received_total or 0)

    def value_received(self, record: SubscriptionRequest) -> Any:
        return record.received_total or 0

    def render_payment_method(self, record: SubscriptionRequest) -> str:
        return record.get_payment_method_display()

    def value_payment_method(self, record: SubscriptionRequest) -> str:
        return record.get_payment_method_display()

    def render_status(self, record: SubscriptionRequest) -> str:
        return record.get_status_display()

    def value_status(self, record: SubscriptionRequest) -> str:
        return record.get_status_display()

    def value_category(self, record: SubscriptionRequest) -> str:
        return str(record.category)

    def value_created_at(self, record: SubscriptionRequest) -> dt.date:
        return timezone.localtime(record.created_at).date()


def _requests(request: HttpRequest, params: QueryDict) -> QuerySet[SubscriptionRequest]:
    return (
        SubscriptionRequest.objects.select_related("contact", "category")
        .annotate(received_total=decimal_sum("payments__amount"))
        .order_by("-created_at", "-id")
    )


REQUESTS = listing.ListPage(
    key="subscription-requests",
    table=RequestTable,
    filterset=RequestFilter,
    queryset=_requests,
    url_name="membership_public:request_list",
    default_sort="-created_at",
    columns=[
        "created_at",
        "reference",
        "name",
        "category",
        "shares",
        "amount",
        "received",
        "payment_method",
        "status",
    ],
    export_name="demandes-de-souscription",
    singular=_("demande"),
    plural=_("demandes"),
)


# Each approval books the shares and renders a certificate: the selection is decided by a
# background job (placette.membership.batches), after the list's confirmation.
@REQUESTS.action("approve", _("Approuver les demandes cochées"), confirm=True, button="btn-success")
def approve_selection(
    request: HttpRequest, queryset: QuerySet, data: dict[str, Any]
) -> HttpResponse:
    chosen = list(queryset.order_by("created_at", "id"))
    return redirect(batches.requests_decide_start(actor=request.user, chosen=chosen, approve=True))


@REQUESTS.action(
    "refuse",
    _("Refuser les demandes cochées"),
    form=RefuseForm,
    confirm=True,
    button="btn-outline-danger",
)
def refuse_selection(
    request: HttpRequest, queryset: QuerySet, data: dict[str, Any]
) -> HttpResponse:
    chosen = list(queryset.order_by("created_at", "id"))
    job = batches.requests_decide_start(
        actor=request.user, chosen=chosen, approve=False, reason=data["reason"]
    )
    return redirect(job)

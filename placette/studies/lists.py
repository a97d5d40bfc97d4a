"""Staff lists of the studies area (placette.lib.listing): requests, quotes, missions, invoices."""

from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from placette.lib import listing
from placette.lib.money import euros, number
from placette.studies.models import (
    Invoice,
    InvoiceKind,
    Mission,
    MissionStatus,
    Quote,
    QuoteStatus,
    RequestSource,
    RequestStatus,
    StudyRequest,
)

_RIGHT = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


def _badge(text: Any) -> Any:
    return format_html('<span class="badge text-bg-light border">{}</span>', text)


def _words(queryset: QuerySet, value: str, *fields: str) -> QuerySet:
    for word in value.split():
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


# -- requests ---------------------------------------------------------------------------------


class RequestFilter(listing.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="search",
        widget=forms.SearchInput(attrs={"placeholder": _("Objet, demandeur, territoire…")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"),
        choices=RequestStatus.choices,
        empty_label=_("Tous"),
        widget=listing.FastSelect,
    )
    source = django_filters.ChoiceFilter(
        label=_("Origine"),
        choices=RequestSource.choices,
        empty_label=_("Toutes"),
        widget=listing.FastSelect,
    )
    year = django_filters.NumberFilter(label=_("Année"), field_name="received_on__year")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _words(queryset, value, "title", "contact__display_name", "territory")


class RequestTable(listing.Table):
    received_on = tables.DateColumn(
        verbose_name=_("Reçue le"), accessor="received_on", format="d/m/Y", linkify=True
    )
    title = tables.Column(_("Objet"), accessor="title", linkify=True)
    contact = tables.Column(
        _("Demandeur"),
        accessor="contact__display_name",
        order_by=("contact__name_key",),
        linkify=lambda record: record.contact.get_absolute_url(),
    )
    territory = tables.Column(_("Territoire"), accessor="territory")
    source = tables.Column(_("Origine"), accessor="source")
    deadline = tables.DateColumn(
        verbose_name=_("Échéance"), accessor="deadline", format="d/m/Y", orderable=False
    )
    status = tables.Column(_("Statut"), accessor="status")

    class Meta(listing.Table.Meta):
        empty_text = _("Aucune demande ne correspond à ces filtres.")

    def render_source(self, record: StudyRequest) -> str:
        return record.get_source_display()

    value_source = render_source

    def render_status(self, record: StudyRequest) -> Any:
        return _badge(record.get_status_display())

    def value_status(self, record: StudyRequest) -> str:
        return record.get_status_display()


def _requests(request: HttpRequest | None, params: QueryDict) -> QuerySet[StudyRequest]:
    return StudyRequest.objects.select_related("contact").order_by("-received_on", "-id")


REQUESTS = listing.ListPage(
    key="study_requests",
    table=RequestTable,
    filterset=RequestFilter,
    queryset=_requests,
    url_name="studies:requests",
    default_sort="-received_on",
    columns=["received_on", "title", "contact", "territory", "deadline", "status"],
    export_name="demandes-etudes",
    singular=_("demande"),
    plural=_("demandes"),
)


# -- quotes -----------------------------------------------------------------------------------


class QuoteFilter(listing.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="search",
        widget=forms.SearchInput(attrs={"placeholder": _("Intitulé, client…")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"),
        choices=QuoteStatus.choices,
        empty_label=_("Tous"),
        method="by_status",
        widget=listing.FastSelect,
    )
    year = django_filters.NumberFilter(label=_("Année"), field_name="year")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _words(queryset, value, "title", "client__display_name")

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        if value == QuoteStatus.EXPIRED:
            return queryset.filter(status=QuoteStatus.SENT, valid_until__lt=today)
        if value == QuoteStatus.SENT:
            return queryset.filter(status=QuoteStatus.SENT, valid_until__gte=today)
        return queryset.filter(status=value)


class QuoteTable(listing.Table):
    number = tables.Column(
        _("Numéro"), accessor="seq", order_by=("year", "seq", "version"), linkify=True
    )
    created_on = tables.DateColumn(
        verbose_name=_("Établi le"), accessor="created_on", format="d/m/Y"
    )
    title = tables.Column(_("Intitulé"), accessor="title", linkify=True)
    client = tables.Column(
        _("Client"), accessor="client__display_name", order_by=("client__name_key",)
    )
    total_net = tables.Column(_("Total HT"), accessor="total_net", attrs=_RIGHT)
    total_days = tables.Column(_("Jours"), accessor="total_days", attrs=_RIGHT)
    status = tables.Column(_("Statut"), accessor="status")

    class Meta(listing.Table.Meta):
        empty_text = _("Aucun devis ne correspond à ces filtres.")

    def render_number(self, record: Quote) -> str:
        return record.number

    value_number = render_number

    def render_total_net(self, value: Any) -> str:
        return euros(value)

    def value_total_net(self, value: Any) -> Any:
        return value

    def render_total_days(self, value: Any) -> str:
        return number(value, 1)

    def value_total_days(self, value: Any) -> Any:
        return value

    def render_status(self, record: Quote) -> Any:
        return _badge(record.status_label)

    def value_status(self, record: Quote) -> str:
        return record.status_label


def _quotes(request: HttpRequest | None, params: QueryDict) -> QuerySet[Quote]:
    return Quote.objects.select_related("client").order_by("-year", "-seq", "-version")


QUOTES = listing.ListPage(
    key="study_quotes",
    table=QuoteTable,
    filterset=QuoteFilter,
    queryset=_quotes,
    url_name="studies:quotes",
    default_sort="-number",
    columns=["number", "created_on", "title", "client", "total_net", "total_days", "status"],
    export_name="devis",
    singular=_("devis"),
    plural=_("devis"),
)


# -- missions ---------------------------------------------------------------------------------


class MissionFilter(listing.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="search",
        widget=forms.SearchInput(attrs={"placeholder": _("Intitulé, client…")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"),
        choices=MissionStatus.choices,
        empty_label=_("Tous"),
        widget=listing.FastSelect,
    )
    year = django_filters.NumberFilter(label=_("Année"), field_name="year")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _words(queryset, value, "title", "client__display_name")


class MissionTable(listing.Table):
    number = tables.Column(_("Numéro"), accessor="seq", order_by=("year", "seq"), linkify=True)
    title = tables.Column(_("Intitulé"), accessor="title", linkify=True)
    client = tables.Column(
        _("Client"), accessor="client__display_name", order_by=("client__name_key",)
    )
    starts_on = tables.DateColumn(verbose_name=_("Début"), accessor="starts_on", format="d/m/Y")
    ends_on = tables.DateColumn(verbose_name=_("Fin prévue"), accessor="ends_on", format="d/m/Y")
    sold_net = tables.Column(_("Vendu HT"), accessor="sold_net", attrs=_RIGHT)
    invoiced = tables.Column(_("Facturé HT"), accessor="invoiced_net", attrs=_RIGHT)
    days = tables.Column(_("Jours vendus / passés"), accessor="sold_days", attrs=_RIGHT)
    status = tables.Column(_("Statut"), accessor="status")

    class Meta(listing.Table.Meta):
        empty_text = _("Aucune mission ne correspond à ces filtres.")

    def render_number(self, record: Mission) -> str:
        return record.number

    value_number = render_number

    def render_sold_net(self, value: Any) -> str:
        return euros(value)

    def value_sold_net(self, value: Any) -> Any:
        return value

    def render_invoiced(self, record: Mission) -> str:
        return euros(record.invoiced_net - record.credited_net)

    def value_invoiced(self, record: Mission) -> Any:
        return record.invoiced_net - record.credited_net

    def render_days(self, record: Mission) -> str:
        return f"{number(record.sold_days, 1)} / {number(record.spent_days, 1)}"

    def value_days(self, record: Mission) -> Any:
        return record.sold_days

    def render_status(self, record: Mission) -> Any:
        return _badge(record.get_status_display())

    def value_status(self, record: Mission) -> str:
        return record.get_status_display()


def _missions(request: HttpRequest | None, params: QueryDict) -> QuerySet[Mission]:
    return Mission.objects.select_related("client").order_by("-year", "-seq")


MISSIONS = listing.ListPage(
    key="study_missions",
    table=MissionTable,
    filterset=MissionFilter,
    queryset=_missions,
    url_name="studies:missions",
    default_sort="-number",
    columns=[
        "number",
        "title",
        "client",
        "starts_on",
        "ends_on",
        "sold_net",
        "invoiced",
        "days",
        "status",
    ],
    export_name="missions",
    singular=_("mission"),
    plural=_("missions"),
)


# -- invoices ---------------------------------------------------------------------------------

PAYMENT_STATES = [
    ("unpaid", _("À payer")),
    ("overdue", _("En retard")),
    ("partly", _("Partiellement payée")),
    ("paid", _("Payée")),
]


class InvoiceFilter(listing.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="search",
        widget=forms.SearchInput(attrs={"placeholder": _("Numéro, client, objet…")}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=InvoiceKind.choices,
        empty_label=_("Tous"),
        widget=listing.FastSelect,
    )
    state = django_filters.ChoiceFilter(
        label=_("Paiement"),
        choices=PAYMENT_STATES,
        empty_label=_("Tous"),
        method="by_state",
        widget=listing.FastSelect,
    )
    year = django_filters.NumberFilter(label=_("Année"), field_name="year")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _words(queryset, value, "number", "buyer_name", "label")

    def by_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        unpaid = Invoice.objects.unpaid().values("pk")
        if value == "unpaid":
            return queryset.filter(pk__in=unpaid)
        if value == "overdue":
            return queryset.filter(pk__in=Invoice.objects.overdue_on(today).values("pk"))
        if value == "partly":
            return queryset.filter(pk__in=unpaid, paid_amount__gt=0)
        return queryset.filter(kind=InvoiceKind.INVOICE).exclude(pk__in=unpaid)


class InvoiceTable(listing.Table):
    number = tables.Column(_("Numéro"), accessor="number", linkify=True)
    issued_on = tables.DateColumn(verbose_name=_("Date"), accessor="issued_on", format="d/m/Y")
    buyer = tables.Column(_("Client"), accessor="buyer_name")
    label = tables.Column(_("Objet"), accessor="label")
    total_net = tables.Column(_("HT"), accessor="total_net", attrs=_RIGHT)
    total_vat = tables.Column(_("TVA"), accessor="total_vat", attrs=_RIGHT)
    total_gross = tables.Column(_("TTC"), accessor="total_gross", attrs=_RIGHT)
    due_on = tables.DateColumn(verbose_name=_("Échéance"), accessor="due_on", format="d/m/Y")
    paid = tables.Column(_("Payé"), accessor="paid_amount", attrs=_RIGHT)
    state = tables.Column(_("État"), accessor="pk", orderable=False)

    class Meta(listing.Table.Meta):
        empty_text = _("Aucune facture ne correspond à ces filtres.")

    def _money(self, value: Any) -> str:
        return euros(value)

    render_total_net = render_total_vat = render_total_gross = render_paid = _money

    def render_state(self, record: Invoice) -> Any:
        return _badge(record.payment_state())

    def value_state(self, record: Invoice) -> str:
        return record.payment_state()


def _invoices(request: HttpRequest | None, params: QueryDict) -> QuerySet[Invoice]:
    return Invoice.objects.order_by("-issued_on", "-id")


INVOICES = listing.ListPage(
    key="study_invoices",
    table=InvoiceTable,
    filterset=InvoiceFilter,
    queryset=_invoices,
    url_name="studies:invoices",
    default_sort="-issued_on",
    columns=[
        "number",
        "issued_on",
        "buyer",
        "label",
        "total_net",
        "total_gross",
        "due_on",
        "state",
    ],
    export_name="factures",
    singular=_("facture"),
    plural=_("factures"),
)

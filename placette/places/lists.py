"""Staff lists of the places area: places (with their map) and rent arrears."""

import datetime as dt
from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from placette.contacts import communes
from placette.lib import listing
from placette.lib.money import euros, number
from placette.places.models import (
    Activity,
    Place,
    PlaceKind,
    PlaceStatus,
    RentLine,
    RentReminder,
)

_RIGHT = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


def _department_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} — {name}") for code, name in communes.departments().items()]


# -- places ----------------------------------------------------------------------------------


class PlaceFilter(listing.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="search",
        widget=forms.SearchInput(attrs={"placeholder": _("Nom, commune…")}),
    )
    department = django_filters.ChoiceFilter(
        label=_("Département"),
        field_name="department_code",
        choices=_department_choices,
        empty_label=_("Tous"),
        widget=listing.FastSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=PlaceKind.choices, empty_label=_("Tous"), widget=listing.FastSelect
    )
    status = django_filters.ChoiceFilter(
        label=_("Étape"),
        choices=PlaceStatus.choices,
        empty_label=_("Toutes"),
        widget=listing.FastSelect,
    )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(commune_name__icontains=word))
        return queryset


class PlaceTable(listing.Table):
    name = tables.Column(_("Lieu"), accessor="name", linkify=True)
    kind = tables.Column(_("Type"), accessor="kind")
    commune = tables.Column(_("Commune"), accessor="commune_name")
    department = tables.Column(_("Département"), accessor="department_code")
    status = tables.Column(_("Étape"), accessor="status")
    built_area = tables.Column(
        _("Surface bâtie (m²)"), accessor="pk", orderable=False, attrs=_RIGHT
    )
    activities = tables.Column(_("Activités"), accessor="pk", orderable=False, attrs=_RIGHT)

    class Meta(listing.Table.Meta):
        empty_text = _("Aucun lieu ne correspond à ces filtres.")

    def render_kind(self, record: Place) -> str:
        return record.get_kind_display()

    value_kind = render_kind

    def render_commune(self, record: Place) -> str:
        return f"{record.commune_name} ({record.department_code})" if record.commune_name else ""

    def value_commune(self, record: Place) -> str:
        return record.commune_name

    def render_status(self, record: Place) -> Any:
        return format_html(
            '<span class="badge text-bg-light border">{}</span>', record.get_status_display()
        )

    def value_status(self, record: Place) -> str:
        return record.get_status_display()

    def _area(self, record: Place) -> Any:
        operation = getattr(record, "operation", None)
        return operation.built_area if operation is not None else None

    def render_built_area(self, record: Place) -> str:
        area = self._area(record)
        return f"{number(area)} m²" if area is not None else ""

    def value_built_area(self, record: Place) -> Any:
        return self._area(record)

    def render_activities(self, record: Place) -> int:
        return record.open_count

    value_activities = render_activities


def _places(request: HttpRequest, params: QueryDict) -> QuerySet[Place]:
    return Place.objects.select_related("operation").order_by("name", "id")


def _count_activities(places: list[Place]) -> None:
    """Counted for the page only: an annotation would make the count a GROUP BY."""
    counts = dict(
        Activity.objects.filter(place__in=[p.pk for p in places])
        .values("place")
        .annotate(n=Count("id"))
        .values_list("place", "n")
    )
    for place in places:
        place.open_count = counts.get(place.pk, 0)


PLACES = listing.ListPage(
    key="places",
    table=PlaceTable,
    filterset=PlaceFilter,
    queryset=_places,
    url_name="places:list",
    default_sort="name",
    columns=["name", "kind", "commune", "status", "built_area", "activities"],
    export_name="lieux",
    prepare_rows=_count_activities,
    # The map above the table follows the filters too: filtering reloads the page.
    live=False,
    results_id="places-results",
    singular=_("lieu"),
    plural=_("lieux"),
)


# -- arrears ---------------------------------------------------------------------------------


def arrears_day(params: QueryDict) -> dt.date:
    """The day the arrears are read at (`?date=`), today when absent or invalid."""
    try:
        return forms.DateField(required=False).clean(params.get("date")) or timezone.localdate()
    except forms.ValidationError:
        return timezone.localdate()


def _unchanged(queryset: QuerySet, name: str, value: Any) -> QuerySet:
    return queryset  # read by the base queryset (a payment counts from its date)


class ArrearsFilter(listing.FilterSet):
    date = django_filters.DateFilter(
        label=_("Impayés au"),
        method=_unchanged,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    q = django_filters.CharFilter(
        label=_("Lieu ou locataire"),
        method="search",
        widget=forms.SearchInput(attrs={"placeholder": _("Nom du lieu ou du locataire…")}),
    )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(
                Q(lease__activity__place__name__icontains=word)
                | Q(lease__activity__tenant__display_name__icontains=word)
            )
        return queryset


class ArrearsTable(listing.Table):
    due_on = tables.DateColumn(
        verbose_name=_("Échéance"),
        accessor="due_on",
        format="d/m/Y",
        linkify=lambda record: reverse("places:lease", args=[record.lease_id]),
    )
    place = tables.Column(
        _("Lieu"),
        accessor="lease__activity__place__name",
        linkify=lambda record: reverse("places:detail", args=[record.lease.activity.place_id]),
    )
    tenant = tables.Column(
        _("Locataire"),
        accessor="lease__activity__tenant__display_name",
        order_by=("lease__activity__tenant__name_key",),
        linkify=lambda record: record.lease.activity.tenant.get_absolute_url(),
    )
    amount = tables.Column(_("Montant"), accessor="amount", attrs=_RIGHT)
    balance = tables.Column(_("Reste dû"), accessor="balance_at", attrs=_RIGHT)
    late = tables.Column(_("Retard (jours)"), accessor="due_on", orderable=False, attrs=_RIGHT)
    reminders = tables.Column(_("Relances"), accessor="pk", orderable=False, attrs=_RIGHT)
    actions = tables.TemplateColumn(
        template_name="places/_arrears_actions.html",
        verbose_name=_("Actions"),
        orderable=False,
    )

    class Meta(listing.Table.Meta):
        empty_text = _("Aucun impayé : tous les loyers échus sont réglés.")

    def render_amount(self, value: Any) -> str:
        return euros(value)

    def value_amount(self, value: Any) -> Any:
        return value

    def value_due_on(self, record: RentLine) -> dt.date:
        return record.due_on

    def render_balance(self, record: RentLine) -> Any:
        if record.balance != record.balance_at:
            return format_html(
                '{}<div class="small text-muted">{} {}</div>',
                euros(record.balance_at),
                _("aujourd’hui :"),
                euros(record.balance),
            )
        return euros(record.balance_at)

    def value_balance(self, record: RentLine) -> Any:
        return record.balance_at

    def render_late(self, record: RentLine) -> str:
        return timesince(record.due_on, arrears_day(self.params))

    def value_late(self, record: RentLine) -> int:
        """Days late (a number a spreadsheet can sort)."""
        return (arrears_day(self.params) - record.due_on).days

    def render_reminders(self, record: RentLine) -> int:
        return record.reminder_count

    value_reminders = render_reminders


def _arrears(request: HttpRequest, params: QueryDict) -> QuerySet[RentLine]:
    return (
        RentLine.objects.unpaid_on(arrears_day(params))
        .select_related("lease__activity__place", "lease__activity__tenant")
        .order_by("due_on", "id")
    )


def reminder_counts_set(lines: list[RentLine]) -> None:
    """One query for the page's lines (an annotation would turn the count into a GROUP BY)."""
    counts = dict(
        RentReminder.objects.filter(line__in=[line.pk for line in lines])
        .values("line")
        .annotate(n=Count("id"))
        .values_list("line", "n")
    )
    for line in lines:
        line.reminder_count = counts.get(line.pk, 0)


ARREARS = listing.ListPage(
    key="arrears",
    table=ArrearsTable,
    filterset=ArrearsFilter,
    queryset=_arrears,
    url_name="places:arrears",
    default_sort="due_on",
    columns=["due_on", "place", "tenant", "balance", "late", "actions"],
    fixed_columns=["actions"],
    export_name="impayes",
    prepare_rows=reminder_counts_set,
    singular=_("échéance impayée"),
    plural=_("échéances impayées"),
)

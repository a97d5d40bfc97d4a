"""The meetings list (/gestion/gouvernance/): its columns, filters and the voters per page."""

from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Count, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placette.governance.models import Body, Meeting, MeetingKind, MeetingStatus, RollEntry
from placette.lib import listing


class MeetingFilter(listing.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        field_name="title",
        lookup_expr="icontains",
        widget=forms.SearchInput(attrs={"placeholder": _("Intitulé…")}),
    )
    body = django_filters.ModelChoiceFilter(
        label=_("Instance"),
        queryset=Body.objects.all(),
        empty_label=_("Toutes"),
        widget=listing.FastSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=MeetingKind.choices,
        empty_label=_("Tous"),
        widget=listing.FastSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("État"),
        choices=MeetingStatus.choices,
        empty_label=_("Tous"),
        widget=listing.FastSelect,
    )
    year = django_filters.NumberFilter(label=_("Année"), field_name="starts_at", lookup_expr="year")


class MeetingTable(listing.Table):
    starts_at = tables.DateTimeColumn(
        verbose_name=_("Date"), accessor="starts_at", format="d/m/Y H:i"
    )
    title = tables.Column(_("Réunion"), accessor="title", linkify=True)
    body = tables.Column(_("Instance"), accessor="body", order_by=("body__name",))
    kind = tables.Column(_("Type"), accessor="kind")
    status = tables.Column(_("État"), accessor="status")
    voters = tables.Column(
        _("Votants"),
        accessor="pk",
        orderable=False,
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}},
    )
    place = tables.Column(_("Lieu"), accessor="place", orderable=False)

    class Meta(listing.Table.Meta):
        empty_text = _("Aucune réunion pour l’instant.")

    def render_kind(self, record: Meeting) -> str:
        return record.get_kind_display()

    value_kind = render_kind

    def render_status(self, record: Meeting) -> str:
        return record.get_status_display()

    value_status = render_status

    def render_voters(self, record: Meeting) -> int:
        return record.voters

    value_voters = render_voters

    def value_body(self, record: Meeting) -> str:
        return str(record.body)

    def value_starts_at(self, record: Meeting) -> Any:
        return timezone.localtime(record.starts_at).replace(tzinfo=None)


def _meetings(request: HttpRequest, params: QueryDict) -> QuerySet[Meeting]:
    return Meeting.objects.select_related("body").order_by("-starts_at", "-id")


def _count_voters(meetings: list[Meeting]) -> None:
    """The roll size of the page's meetings in one query (a roll may hold 100,000 voters)."""
    counts = dict(
        RollEntry.objects.filter(meeting__in=[m.pk for m in meetings])
        .values("meeting")
        .annotate(n=Count("id"))
        .values_list("meeting", "n")
    )
    for meeting in meetings:
        meeting.voters = counts.get(meeting.pk, 0)


MEETINGS = listing.ListPage(
    key="meetings",
    table=MeetingTable,
    filterset=MeetingFilter,
    queryset=_meetings,
    url_name="governance:meetings",
    default_sort="-starts_at",
    columns=["starts_at", "title", "body", "kind", "status", "voters"],
    export_name="reunions",
    prepare_rows=_count_voters,
    singular=_("réunion"),
    plural=_("réunions"),
)

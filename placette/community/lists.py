"""Staff list of the sessions (placette.lib.listing), with their fill counted per page."""

from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placette.community.models import EventKind, Registration, RegistrationStatus, Session
from placette.lib import listing


class SessionFilter(listing.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="search",
        widget=forms.SearchInput(attrs={"placeholder": _("Intitulé, lieu…")}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"),
        field_name="event__kind",
        choices=EventKind.choices,
        empty_label=_("Tous"),
        widget=listing.FastSelect,
    )
    when = django_filters.ChoiceFilter(
        label=_("Quand"),
        method="by_when",
        choices=[("upcoming", _("À venir")), ("past", _("Passées"))],
        empty_label=_("Toutes"),
        widget=listing.FastSelect,
    )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(
                Q(event__title__icontains=word)
                | Q(location__icontains=word)
                | Q(place__name__icontains=word)
            )
        return queryset

    def by_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(starts_at__gte=now)
        if value == "past":
            return queryset.filter(starts_at__lt=now)
        return queryset


class SessionTable(listing.Table):
    starts_at = tables.DateTimeColumn(
        verbose_name=_("Début"), accessor="starts_at", format="d/m/Y H:i", linkify=True
    )
    title = tables.Column(_("Intitulé"), accessor="event__title", linkify=True)
    kind = tables.Column(_("Type"), accessor="event__kind", orderable=False)
    where = tables.Column(_("Lieu"), accessor="location", orderable=False)
    capacity = tables.Column(_("Places"), accessor="capacity")
    confirmed = tables.Column(_("Inscrits"), accessor="pk", orderable=False)
    waiting = tables.Column(_("En attente"), accessor="pk", orderable=False)

    class Meta(listing.Table.Meta):
        empty_text = _("Aucune session ne correspond à ces filtres.")

    def render_kind(self, record: Session) -> str:
        return record.event.get_kind_display()

    value_kind = render_kind

    def render_where(self, record: Session) -> str:
        return record.where or "—"

    value_where = render_where

    def render_title(self, record: Session) -> Any:
        if record.is_cancelled:
            return f"{record.event.title} ({_('annulée')})"
        return record.event.title

    def render_confirmed(self, record: Session) -> int:
        return getattr(record, "n_confirmed", 0)

    value_confirmed = render_confirmed

    def render_waiting(self, record: Session) -> int:
        return getattr(record, "n_waiting", 0)

    value_waiting = render_waiting


def _sessions(request: HttpRequest | None, params: QueryDict) -> QuerySet[Session]:
    return Session.objects.select_related("event", "place").order_by("-starts_at", "-id")


def _counts(records: list[Any]) -> None:
    rows = (
        Registration.objects.filter(session__in=records)
        .values("session_id")
        .annotate(
            confirmed=Count("id", filter=Q(status=RegistrationStatus.CONFIRMED)),
            waiting=Count("id", filter=Q(status=RegistrationStatus.WAITING)),
        )
    )
    by_session = {row["session_id"]: row for row in rows}
    for record in records:
        row = by_session.get(record.pk, {})
        record.n_confirmed = row.get("confirmed", 0)
        record.n_waiting = row.get("waiting", 0)


SESSIONS = listing.ListPage(
    key="community_sessions",
    table=SessionTable,
    filterset=SessionFilter,
    queryset=_sessions,
    url_name="community:sessions",
    default_sort="-starts_at",
    columns=["starts_at", "title", "kind", "where", "capacity", "confirmed", "waiting"],
    export_name="sessions",
    singular=_("session"),
    plural=_("sessions"),
    prepare_rows=_counts,
)

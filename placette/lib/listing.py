"""The one way to build a staff list page.

A list is declared once, in `<app>/lists.py`, as a `ListPage`: a django-tables2 `Table` (its
columns, which ones are sortable, how a cell reads), a django-filter `FilterSet` (its filters)
and the base queryset. The page then gets, with no code of its own:

- filters, sortable column headers and a choice of columns (`?cols=`), all in the query string;
- keyset pagination: page *n* is read from the last row of page *n − 1* (`?after=`), so a deep
  page costs what the first costs, and the page always takes the same number of queries;
- saved views per user (`lib.models.SavedView`), private or shared with the team;
- bulk actions on the checked rows, registered per list (`@PAGE.action(...)`), any area adding
  its own; "export the selection" is always there;
- CSV/XLSX export of exactly what is shown: same filters, same order, same columns, written by
  `lib.exports`.
"""

from __future__ import annotations

import base64
import binascii
import inspect
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import batched
from typing import Any, cast

import django_filters
import django_tables2 as tables
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template import Context
from django.urls import reverse
from django.utils.html import escape
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2.rows import BoundRow, BoundRows

from placette.lib.exports import csv_response, xlsx_response
from placette.lib.money import group_digits

# Query-string parameters owned by the list machinery; everything else belongs to the filters.
SORT, COLUMNS, AFTER, BEFORE, LAST, VIEW = "sort", "cols", "after", "before", "last", "view"
PAGING_PARAMS = {AFTER, BEFORE, LAST, "page"}
NOT_A_FILTER = {*PAGING_PARAMS, COLUMNS, VIEW, "export"}


# -- widgets and filters ---------------------------------------------------------------------


@lru_cache(maxsize=256)
def _options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((value, f'<option value="{escape(value)}"') for value, _label in choices)


@lru_cache(maxsize=256)
def _labels(choices: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    return tuple(f">{escape(label)}</option>" for _value, label in choices)


class FastSelect(forms.Select):
    """A `<select>` whose options are escaped once and kept: Django renders each option
    through a template (110 départements cost 11.6 ms a page); this costs microseconds."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        choices = tuple((str(v), str(label)) for v, label in self.choices)
        selected = {"" if v is None else str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        final["class"] = " ".join(filter(None, ["form-select", final.get("class")]))
        head = "".join(
            f' {key}="{escape(val)}"' if val is not True else f" {key}"
            for key, val in final.items()
            if val is not False and val is not None
        )
        parts = [f"<select{head}>"]
        for (option_value, start), end in zip(_options(choices), _labels(choices), strict=True):
            parts.append(start + (" selected" if option_value in selected else "") + end)
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value and label was escaped above


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet; the project's widget templates add the Bootstrap classes.
    A filter whose values come from a fixed or cached list uses `FastSelect`."""


class Table(tables.Table):
    """django-tables2's Table; the list page renders it with `includes/list_table.html`."""

    class Meta:
        orderable = True
        default = ""


# -- keyset pagination -----------------------------------------------------------------------


def _encode(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), cls=DjangoJSONEncoder, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str, size: int) -> list[Any] | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
    except (ValueError, binascii.Error):
        return None
    if not isinstance(values, list) or len(values) != size:
        return None
    return values


def _read(record: Any, path: str) -> Any:
    value = record
    for part in path.split("__"):
        value = getattr(value, part)
    if isinstance(value, Model):
        value = value.pk
    return value


def _after_q(ordering: Sequence[str], values: Sequence[Any], reverse: bool) -> Q:
    """Rows strictly after `values` in `ordering` (or before them when `reverse`).

    Written `a >= x AND (a > x OR (b >= y AND (b > y OR …)))` so the database can start an
    index range at x instead of filtering the whole index."""
    condition: Q | None = None
    for name, value in reversed(list(zip(ordering, values, strict=True))):
        descending = name.startswith("-") != reverse
        field_name = name.lstrip("-")
        strict = Q(**{f"{field_name}__{'lt' if descending else 'gt'}": value})
        if condition is None:
            condition = strict
        else:
            loose = Q(**{f"{field_name}__{'lte' if descending else 'gte'}": value})
            condition = loose & (strict | condition)
    assert condition is not None
    return condition


def _ordering(queryset: QuerySet) -> list[str]:
    ordering = [str(name) for name in queryset.query.order_by]
    if not ordering:
        ordering = [str(name) for name in queryset.model._meta.ordering]
    if not any(name.lstrip("-") in ("pk", "id") for name in ordering):
        ordering.append("pk")
    return ordering


def keyset_token_at(queryset: QuerySet, index: int) -> str:
    """The `?after=` token of the page that starts right after row `index` (0-based) of the
    ordered queryset — how a benchmark or a test reaches page n without walking n pages."""
    ordering = _ordering(queryset)
    record = queryset.order_by(*ordering)[index]
    return _encode([_read(record, name.lstrip("-")) for name in ordering])


@dataclass
class KeysetPage:
    """One page of rows read by keyset; `next_token`/`previous_token` go in `?after=`/`?before=`."""

    records: list[Any]
    has_next: bool
    has_previous: bool
    next_token: str
    previous_token: str


def keyset_page(
    queryset: QuerySet,
    *,
    after: str = "",
    before: str = "",
    last: bool = False,
    per_page: int,
) -> KeysetPage:
    """Read one page of an ordered queryset: one query whatever the depth of the page.

    The ordering must be plain field names (possibly across relations or annotations) whose
    values are never NULL; the primary key is added as the last key when it is not there."""
    ordering = _ordering(queryset)
    values = _decode(after or before, len(ordering)) if (after or before) else None
    if values is not None and any(value is None for value in values):
        values = None  # a NULL sort value has no place in a keyset: start again at page 1
    backwards = bool(before and values is not None) or (last and values is None)
    query = queryset
    if values is not None:
        query = query.filter(_after_q(ordering, values, reverse=backwards))
    if backwards:
        flipped = [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]
        query = query.order_by(*flipped)
    else:
        query = query.order_by(*ordering)
    records = list(query[: per_page + 1])
    more = len(records) > per_page
    records = records[:per_page]
    if backwards:
        records.reverse()
        has_previous, has_next = more, not last or values is not None
    else:
        has_previous, has_next = values is not None, more
    if last and values is None:
        has_next = False

    def token(record: Any) -> str:
        return _encode([_read(record, name.lstrip("-")) for name in ordering])

    return KeysetPage(
        records=records,
        has_next=has_next,
        has_previous=has_previous,
        next_token=token(records[-1]) if records and has_next else "",
        previous_token=token(records[0]) if records and has_previous else "",
    )


# -- bulk actions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkAction:
    """An action on the checked rows. `run(request, queryset, data)` returns a response (a
    download) or None (then the list is shown again with the action's messages)."""

    name: str
    label: Any  # a French text, usually lazy
    run: Callable[
        [HttpRequest, QuerySet, dict[str, Any]], HttpResponse | StreamingHttpResponse | None
    ]
    form: type[forms.Form] | None = None
    # A confirmation naming the action and the count is asked first when set.
    confirm: bool = False
    allowed: Callable[[Any], bool] = lambda user: True
    button: str = "btn-outline-primary"


# -- the list page ---------------------------------------------------------------------------


_PAGES: dict[str, ListPage] = {}
LINE, LINES = gettext_lazy("ligne"), gettext_lazy("lignes")
_discovered = False


def page_get(key: str) -> ListPage:
    """The registered list page `key` (each area declares its own in `<app>/lists.py`)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("lists")
        _discovered = True
    try:
        return _PAGES[key]
    except KeyError:
        raise Http404("Liste inconnue") from None


@dataclass
class ListPage:
    key: str
    table: type[Table]
    filterset: type[FilterSet]
    # The rows before any filter, from the request and its parameters (e.g. a date).
    queryset: Callable[[HttpRequest | None, QueryDict], QuerySet]
    url_name: str
    default_sort: str
    # Columns shown when the query string chooses none; the others are offered in the chooser.
    columns: list[str]
    export_name: str
    results_id: str = ""
    # What the count says: « 12 contacts ».
    singular: Any = LINE
    plural: Any = LINES
    # Who may use the list (its view is guarded separately by the same rule).
    allowed: Callable[[Any], bool] = lambda user: user.is_team
    per_page: int = 50
    # Never offered in the column chooser nor exported (e.g. action buttons).
    fixed_columns: list[str] = field(default_factory=list)
    export_url_name: str = ""
    actions: dict[str, BulkAction] = field(default_factory=dict)
    # Figures read for the rows of a page only (one query for the page, not a GROUP BY over
    # every row): called with the page's records, and with each chunk of an export.
    prepare_rows: Callable[[list[Any]], None] | None = None
    # Filters refresh the results as you type (htmx); off when the page shows more than the
    # results that the filters change (e.g. the places' map).
    live: bool = True

    def __post_init__(self) -> None:
        self.results_id = self.results_id or f"{self.key}-results"
        _PAGES[self.key] = self
        self.actions["export_csv"] = BulkAction(
            "export_csv", gettext_lazy("Exporter la sélection (CSV)"), self._export_selection("csv")
        )
        self.actions["export_xlsx"] = BulkAction(
            "export_xlsx",
            gettext_lazy("Exporter la sélection (Excel)"),
            self._export_selection("xlsx"),
        )

    def action(
        self,
        name: str,
        label: Any,
        *,
        form: type[forms.Form] | None = None,
        confirm: bool = False,
        allowed: Callable[[Any], bool] | None = None,
        button: str = "btn-outline-primary",
    ) -> Callable[[Callable], Callable]:
        """Register a bulk action on this list (any area may add one to any list)."""

        def register(run: Callable) -> Callable:
            self.actions[name] = BulkAction(
                name, label, run, form, confirm, allowed or (lambda user: True), button
            )
            return run

        return register

    # reading the request ---------------------------------------------------------------------

    def check(self, request: HttpRequest) -> None:
        if not self.allowed(request.user):
            raise PermissionDenied(_("Vous n’avez pas accès à cette page."))

    def all_columns(self) -> list[tuple[str, Any]]:
        """(name, header) of every column the chooser offers, in the table's order."""
        if not hasattr(self, "_all_columns"):
            self._all_columns = [
                (column.name, column.header)
                for column in self.table([]).columns.all()
                if column.name not in self.fixed_columns
            ]
        return self._all_columns

    def chosen_columns(self, params: QueryDict) -> list[str]:
        names = {name for name, _label in self.all_columns()}
        chosen = [name for name in params.getlist(COLUMNS) if name in names]
        return chosen or list(self.columns)

    def filtered(self, request: HttpRequest | None, params: QueryDict | None = None) -> FilterSet:
        if params is None:
            assert request is not None
            params = request.GET
        data = params.copy()
        for name in NOT_A_FILTER | {SORT}:
            data.pop(name, None)
        return self.filterset(
            data or None, queryset=self.queryset(request, params), request=request
        )

    def make_table(self, queryset: QuerySet, params: QueryDict) -> Table:
        chosen = set(self.chosen_columns(params))
        exclude = [name for name, _label in self.all_columns() if name not in chosen]
        sequence = [*self.chosen_columns(params), "..."]
        table = self.table(queryset, exclude=exclude, sequence=sequence)
        table.params = params  # what a cell may depend on beyond its row (e.g. a date)
        sort = params.get(SORT, "")
        table.order_by = sort if sort.lstrip("-") in chosen else self.default_sort
        if not table.order_by:
            table.order_by = self.default_sort
        return table

    # the page --------------------------------------------------------------------------------

    def build(self, request: HttpRequest, context: dict[str, Any] | None = None) -> ListState:
        filters = self.filtered(request)
        table = self.make_table(filters.qs, request.GET)
        # What a TemplateColumn reads: the request (csrf, path) and the view's context.
        table.request = request
        table.context = Context(context or {})
        ordered = table.data.data
        page = keyset_page(
            ordered,
            after=request.GET.get(AFTER, ""),
            before=request.GET.get(BEFORE, ""),
            last=bool(request.GET.get(LAST)),
            per_page=self.per_page,
        )
        if self.prepare_rows:
            self.prepare_rows(page.records)
        return ListState(
            page=self,
            request=request,
            filters=filters,
            table=table,
            keyset=page,
            rows=BoundRows(data=page.records, table=table),
            count=filters.qs.order_by().count(),
        )

    def render(
        self,
        request: HttpRequest,
        template: str,
        context: dict[str, Any] | None = None,
        extra: Callable[[ListState], dict[str, Any]] | None = None,
    ) -> HttpResponse:
        """The list page, or only its results when htmx asks for them (live filtering).
        `extra(state)` adds what depends on the filtered rows (e.g. a map of all of them)."""
        state = self.build(request, context)
        context = {**(context or {}), "list": state}
        if extra:
            context.update(extra(state))
        htmx = getattr(request, "htmx", None)
        if htmx and htmx.target == self.results_id:
            return render(request, "includes/list_results.html", context)
        return render(request, template, context)

    # exports ---------------------------------------------------------------------------------

    def rows_for_export(
        self, request: HttpRequest | None, params: QueryDict, ids: Iterable[int] | None = None
    ) -> tuple[list[str], Iterator[list[Any]]]:
        filters = self.filtered(request, params)
        queryset = (
            filters.qs if ids is None else self.queryset(request, params).filter(pk__in=list(ids))
        )
        table = self.make_table(queryset, params)
        columns = [column for column in table.columns if column.name not in self.fixed_columns]
        header = [str(column.header) for column in columns]
        ordered = table.data.data
        if ordered.query.order_by and "pk" not in ordered.query.order_by:
            ordered = ordered.order_by(*ordered.query.order_by, "pk")

        getters = [_cell_getter(table, column) for column in columns]

        def rows() -> Iterator[list[Any]]:
            for chunk in batched(ordered.iterator(chunk_size=2000), 2000):
                if self.prepare_rows:
                    self.prepare_rows(list(chunk))
                for record in chunk:
                    yield [get(record) for get in getters]

        return header, rows()

    def export(
        self,
        request: HttpRequest,
        fmt: str,
        params: QueryDict | None = None,
        ids: Iterable[int] | None = None,
    ) -> HttpResponse | StreamingHttpResponse:
        """The rows the page shows (same filters, order and columns), all pages of them:
        streamed at once up to `settings.LIST_EXPORT_INLINE_ROWS` rows, else written by a
        background job whose page offers the file (100,000 contacts take about 5 s). The job
        starts only on a confirmed POST: a GET (a link, a bookmark, a prefetch) gets the
        confirmation page saying how many rows, and starts nothing."""
        if fmt not in EXPORT_TYPES:
            raise Http404("Format inconnu")
        params = request.GET if params is None else params
        ids = None if ids is None else list(ids)
        if ids is not None:
            count = len(ids)
        else:
            count = self.filtered(request, params).qs.order_by().count()
        if count > settings.LIST_EXPORT_INLINE_ROWS:
            from placette.lib.confirm import Confirmation, confirm
            from placette.lib.jobs import job_start

            query = params.urlencode()
            back = reverse(self.url_name) + (f"?{query}" if query else "")
            response = confirm(
                request,
                Confirmation(
                    title=_("Export %(fmt)s : %(list)s")
                    % {"fmt": fmt.upper(), "list": self.plural},
                    what=_(
                        "Au-delà de %(limit)s lignes, le fichier est écrit en arrière-plan : une "
                        "page suit l’avancement puis le propose au téléchargement, à vous seul "
                        "(et aux administrateurs)."
                    )
                    % {"limit": group_digits(settings.LIST_EXPORT_INLINE_ROWS)},
                    count=count,
                    count_label=str(self.plural if count > 1 else self.singular),
                    button=_("Produire le fichier"),
                    cancel_url=back,
                    irreversible=False,
                ),
            )
            if response is not None:
                return response
            job = job_start(
                kind="lib.list_export",
                label=_("Export %(fmt)s : %(list)s (%(n)s lignes)")
                % {"fmt": fmt.upper(), "list": self.plural, "n": group_digits(count)},
                actor=request.user,
                func_path="placette.lib.listing.list_export_job",
                kwargs={"key": self.key, "fmt": fmt, "query": params.urlencode(), "ids": ids},
                return_url=reverse(self.url_name),
            )
            return redirect(job)
        header, rows = self.rows_for_export(request, params, ids)
        return _export_response(self.export_name, fmt, header, rows)

    def _export_selection(self, fmt: str) -> Callable:
        def run(
            request: HttpRequest, queryset: QuerySet, data: dict[str, Any]
        ) -> HttpResponse | StreamingHttpResponse:
            params = QueryDict(request.POST.get("query", ""))
            ids = list(queryset.values_list("pk", flat=True))
            return self.export(request, fmt, params=params, ids=ids)

        return run

    def export_url(self, fmt: str) -> str:
        if self.export_url_name:
            return reverse(self.export_url_name, args=[fmt])
        return reverse("lists:export", args=[self.key, fmt])


EXPORT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _export_response(
    name: str, fmt: str, header: list[str], rows: Iterable[list[Any]]
) -> HttpResponse | StreamingHttpResponse:
    if fmt == "csv":
        return csv_response(name, header, rows)
    return xlsx_response(name, header, rows)


def list_export_job(
    job: Any, *, key: str, fmt: str, query: str, ids: list[int] | None = None
) -> Any:
    """The background half of `ListPage.export`: the same rows and columns, written through
    `lib.exports`, kept as the job's file."""
    from placette.lib.jobs import JobResult

    page = page_get(key)
    params = QueryDict(query)
    total = len(ids) if ids is not None else page.filtered(None, params).qs.order_by().count()
    header, rows = page.rows_for_export(None, params, ids)

    def counted() -> Iterator[list[Any]]:
        for done, row in enumerate(rows, start=1):
            if done % 1000 == 0:
                job.progress(done, total)
            yield row

    response = _export_response(page.export_name, fmt, header, counted())
    if isinstance(response, StreamingHttpResponse):
        content = b"".join(cast(Iterator[bytes], response.streaming_content))
    else:
        content = response.content
    return JobResult(
        filename=f"{page.export_name}.{fmt}",
        content=content,
        content_type=EXPORT_TYPES[fmt],
        message=_("%(n)s lignes exportées.") % {"n": group_digits(total)},
    )


def _cell_getter(table: Table, column: Any) -> Callable[[Any], Any]:
    """How an export reads one column of a record, decided once per column (tables2's own
    per-cell path costs ~0.1 ms a cell: a minute for 100,000 contacts).

    The table's `value_<name>` when it has one (called with the `record` and/or `value` it asks
    for); else, for a column the table renders itself (`render_<name>`), tables2's cell value;
    else the plain value under the accessor (a date stays a date, a model its text)."""
    name = column.name
    accessor = column.accessor
    method = getattr(table, f"value_{name}", None)
    if method is not None:
        wanted = inspect.signature(method).parameters
        with_record, with_value = "record" in wanted, "value" in wanted

        def by_method(record: Any) -> Any:
            kwargs: dict[str, Any] = {}
            if with_record:
                kwargs["record"] = record
            if with_value:
                kwargs["value"] = accessor.resolve(record, quiet=True)
            return method(**kwargs)

        return by_method
    if getattr(table, f"render_{name}", None) is not None or isinstance(
        column.column, tables.TemplateColumn
    ):
        return lambda record: BoundRow(record, table=table).get_cell_value(name)

    def plain(record: Any) -> Any:
        value = accessor.resolve(record, quiet=True)
        return str(value) if isinstance(value, Model) else value

    return plain


@dataclass
class ListState:
    """What a list template reads: `list.table`, `list.rows`, `list.count`, the links…"""

    page: ListPage
    request: HttpRequest
    filters: FilterSet
    table: Table
    keyset: KeysetPage
    rows: BoundRows
    count: int

    def _query(self, drop: Iterable[str], **extra: str) -> str:
        params = self.request.GET.copy()
        for name in drop:
            params.pop(name, None)
        for name, value in extra.items():
            params[name] = value
        return params.urlencode()

    @property
    def form(self) -> forms.Form:
        return self.filters.form

    @property
    def query(self) -> str:
        """Filters, sort and columns: what an export or a saved view carries."""
        return self._query(PAGING_PARAMS | {VIEW})

    @property
    def filter_query(self) -> str:
        """Filters and sort only: what a saved view stores beside its columns."""
        return self._query(PAGING_PARAMS | {VIEW, COLUMNS, "export"})

    @property
    def sort_query(self) -> str:
        return self._query(PAGING_PARAMS | {SORT})

    @property
    def first_query(self) -> str:
        return self._query(PAGING_PARAMS)

    @property
    def next_query(self) -> str:
        return self._query(PAGING_PARAMS, **{AFTER: self.keyset.next_token})

    @property
    def previous_query(self) -> str:
        return self._query(PAGING_PARAMS, **{BEFORE: self.keyset.previous_token})

    @property
    def last_query(self) -> str:
        return self._query(PAGING_PARAMS, **{LAST: "1"})

    @property
    def header(self) -> list[tuple[Any, SafeString]]:
        """(bound column, its <th> attributes) for the shown columns."""
        return [(column, column.attrs["th"].as_html()) for column in self.table.columns]

    @property
    def lines(self) -> list[tuple[Any, list[tuple[SafeString, Any]]]]:
        """(record, [(<td> attributes, cell)]) for the page: cells rendered by tables2, the
        columns' attributes computed once per column instead of once per cell."""
        columns = [(c.name, c.attrs["td"].as_html()) for c in self.table.columns]
        return [
            (row.record, [(attrs, row.get_cell(name)) for name, attrs in columns])
            for row in self.rows
        ]

    @property
    def paginated(self) -> bool:
        return self.keyset.has_next or self.keyset.has_previous

    @property
    def columns_choice(self) -> list[tuple[str, str, bool]]:
        chosen = set(self.page.chosen_columns(self.request.GET))
        return [(name, label, name in chosen) for name, label in self.page.all_columns()]

    @property
    def all_columns_query(self) -> str:
        params = self.request.GET.copy()
        for name in PAGING_PARAMS | {VIEW}:
            params.pop(name, None)
        params.setlist(COLUMNS, [name for name, _label in self.page.all_columns()])
        return params.urlencode()

    @property
    def export_links(self) -> list[tuple[str, str]]:
        return [
            ("CSV", f"{self.page.export_url('csv')}?{self.query}"),
            ("Excel", f"{self.page.export_url('xlsx')}?{self.query}"),
        ]

    @property
    def actions(self) -> list[dict[str, Any]]:
        user = self.request.user
        # The area's own actions first, then the exports every list has.
        ordered = sorted(self.page.actions.values(), key=lambda a: a.name.startswith("export_"))
        return [
            {
                "action": action,
                # Fields of every action share one form: none may block another's submit.
                "form": action.form(prefix=action.name, use_required_attribute=False)
                if action.form
                else None,
            }
            for action in ordered
            if action.allowed(user)
        ]

    @property
    def saved_views(self) -> list[Any]:
        from placette.lib.models import SavedView

        if not hasattr(self, "_saved_views"):
            self._saved_views = list(
                SavedView.objects.visible_to(self.request.user, self.page.key).select_related(
                    "owner"
                )
            )
        return self._saved_views

    @property
    def active_view(self) -> int | None:
        value = self.request.GET.get(VIEW, "")
        return int(value) if value.isdigit() else None


# -- saved views -----------------------------------------------------------------------------


def saved_view_save(
    *, owner: Any, list_key: str, name: str, query: str, columns: Sequence[str], shared: bool
) -> Any:
    """Save the current filters, sort and columns under a name; the same name replaces the
    owner's earlier view of that list. Page and cursor are never stored."""
    from placette.lib.models import SavedView

    params = QueryDict(query, mutable=True)
    for name_ in NOT_A_FILTER:
        params.pop(name_, None)
    view, _created = SavedView.objects.update_or_create(
        owner=owner,
        list_key=list_key,
        name=name.strip(),
        defaults={"query": params.urlencode(), "columns": list(columns), "shared": shared},
    )
    return view


def saved_view_delete(*, actor: Any, view: Any) -> None:
    """Only its owner deletes a view, shared or not."""
    if view.owner_id != actor.pk:
        raise PermissionDenied(_("Seule la personne qui a créé cette vue peut la supprimer."))
    view.delete()

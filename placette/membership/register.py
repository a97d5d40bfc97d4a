"""The register of share movements (registre des mouvements de titres, Code de commerce L228-1)
at any date: chronological rows, per-holder pages, CSV/XLSX/PDF files, frozen snapshots."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Max, Min, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from placette.contacts.models import Contact
from placette.lib import exports
from placette.lib.jobs import JobResult, pdf_progress
from placette.lib.models import Job
from placette.lib.pdf import PdfProgress, pdf_render
from placette.membership import projections
from placette.membership.models import LegalForm, Member, Movement, MovementKind, Statutes
from placette.membership.models_requests import SubscriptionSettings

HEADER = [
    gettext_lazy("n°"),
    gettext_lazy("date de valeur"),
    gettext_lazy("nature"),
    gettext_lazy("titulaire"),
    gettext_lazy("n° de fiche"),
    gettext_lazy("n° de sociétaire"),
    gettext_lazy("contrepartie"),
    gettext_lazy("parts"),
    gettext_lazy("capital souscrit (€)"),
    gettext_lazy("capital appelé (€)"),
    gettext_lazy("capital libéré (€)"),
    gettext_lazy("montant (€)"),
    gettext_lazy("annule le n°"),
    gettext_lazy("référence"),
    gettext_lazy("observation"),
]


def identity(on: dt.date) -> dict[str, Any]:
    """What heads the register at `on`, on paper and in the files (L228-1, R228-8): the
    company (name, « société coopérative d'intérêt collectif », form « à capital variable »,
    seat, RCS registration, from the statutes in force that day, else the subscription
    settings), the date, and the capital of that day — shares, subscribed, called and paid-up
    capital, holders and members."""
    statutes = Statutes.objects.in_force(on)
    company = SubscriptionSettings.current()
    name = statutes.coop_name if statutes else company.account_holder or "Placette"
    form = LegalForm(statutes.legal_form if statutes else LegalForm.SAS).label.split(" (")[0]
    registration = statutes.registration if statutes else ""
    if not registration and company.siren:
        registration = _("SIREN %(siren)s") % {"siren": company.siren}
    return {
        "on": on,
        "coop_name": name,
        "legal_form": _("société coopérative d’intérêt collectif, %(form)s à capital variable")
        % {"form": form.lower()},
        "seat": (statutes.seat if statutes else "") or company.company_seat,
        "registration": registration,
        "capital": projections.capital_on(on),
        "members": Member.objects.active_on(on).count(),
    }


def preamble(on: dt.date) -> list[list[Any]]:
    """The identity of the register as label/value lines above the table of a CSV or XLSX
    file (then an empty line, then `HEADER`)."""
    head = identity(on)
    capital = head["capital"]
    return [
        [_("Registre des mouvements de titres")],
        [_("Société"), head["coop_name"]],
        [_("Forme"), head["legal_form"]],
        [_("Siège social"), head["seat"]],
        [_("Immatriculation"), head["registration"]],
        [_("Arrêté au"), on],
        [_("Parts"), capital.shares],
        [_("Capital souscrit (€)"), capital.subscribed],
        [_("Capital appelé (€)"), capital.called],
        [_("Capital libéré (€)"), capital.paid],
        [_("Titulaires"), capital.holders],
        [_("Sociétaires"), head["members"]],
        [],
    ]


def sheet(on: dt.date, body: Iterator[list[Any]] | None = None) -> tuple[list[Any], Iterator]:
    """(first line, the other lines) of the register file at `on`: the preamble, the column
    names, then `body` (default: `rows(on)`) — in the shape `lib.exports` writes."""
    first, *others = preamble(on)

    def lines() -> Iterator[list[Any]]:
        yield from others
        yield HEADER
        yield from rows(on) if body is None else body

    return first, lines()


def movements_on(on: dt.date) -> QuerySet[Movement]:
    """Movements of the register up to `on`, in booking order, with what a row displays."""
    return (
        Movement.objects.filter(date__lte=on)
        .select_related("holder", "holder__member", "counterparty", "reverses")
        .order_by("number")
    )


def page(request: Any, on: dt.date, per_page: int | None = None) -> Page:
    """One page of the register up to `on`, newest first, in a constant number of queries.

    Without a movement dated after `on` (the usual case), the numbering being gapless and
    unique (`Sequence`, see "Numbering"), the count is MAX − MIN + 1 and page p is the range of
    numbers it covers: two lookups on the unique number index, whatever the page. At a past
    date: the count, the page's numbers alone (index-only, no join), then the page's rows."""
    per_page = per_page or settings.PAGINATE_BY
    if projections.balances_current(on):
        # Two queries: SQLite answers a lone MIN() or MAX() from the index, not both at once.
        bounds = {
            "lo": Movement.objects.aggregate(lo=Min("number"))["lo"],
            "hi": Movement.objects.aggregate(hi=Max("number"))["hi"],
        }
        total = 0 if bounds["hi"] is None else bounds["hi"] - bounds["lo"] + 1
        result: Page[Any] = Paginator(range(total), per_page).get_page(request.GET.get("page"))
        if total:
            newest = bounds["hi"] - result.start_index() + 1
            oldest = bounds["hi"] - result.end_index() + 1
            rows = movements_on(on).filter(number__lte=newest, number__gte=oldest)
            result.object_list = list(rows.order_by("-number"))
        else:
            result.object_list = []
        return result
    numbers: QuerySet[Movement, Any] = Movement.objects.filter(date__lte=on).order_by("-number")
    numbers = numbers.values_list("number", flat=True)
    result = cast("Page[Any]", Paginator(numbers, per_page).get_page(request.GET.get("page")))
    wanted = list(result.object_list)
    result.object_list = list(movements_on(on).filter(number__in=wanted).order_by("-number"))
    return result


def row(movement: Movement) -> list[Any]:
    member = getattr(movement.holder, "member", None)
    return [
        movement.number,
        movement.date,
        movement.kind_label,
        movement.holder.display_name,
        movement.holder_id,
        member.number if member else "",
        movement.counterparty.display_name if movement.counterparty else "",
        movement.shares,
        movement.capital,
        movement.called,
        movement.paid,
        movement.amount,
        movement.reverses.number if movement.reverses else "",
        movement.reference,
        movement.note,
    ]


_ROW_FIELDS = (
    "number",
    "date",
    "kind",
    "holder__display_name",
    "holder_id",
    "holder__member__number",
    "counterparty__display_name",
    "shares",
    "capital",
    "paid",
    "amount",
    "reverses__number",
    "reference",
    "note",
    "accepted",
    "called",
)


def _kind_label(kind: str, shares: int, accepted: bool | None) -> str:
    """`Movement.kind_label` from the bare fields (no model instance in exports)."""
    if kind == MovementKind.TRANSFER:
        return _("Cession (reçue)") if shares > 0 else _("Cession (cédée)")
    if kind == MovementKind.GIFT:
        return _("Donation (reçue)") if shares > 0 else _("Donation (donnée)")
    if kind == MovementKind.REFUND_DECISION:
        return _("Remboursement accepté") if accepted else _("Remboursement refusé")
    return _KIND_NAMES.get(kind, kind)


_KIND_NAMES = dict(MovementKind.choices)


def rows(on: dt.date) -> Iterator[list[Any]]:
    """The register rows up to `on`, streamed as tuples of plain values (no model instances):
    one query walking the movement number index, joined to the holder, member, counterparty
    and reversed movement."""
    queryset = (
        Movement.objects.all()
        if projections.balances_current(on)
        else (Movement.objects.filter(date__lte=on))
    )
    values = queryset.order_by("number").values_list(*_ROW_FIELDS)
    for r in values.iterator(chunk_size=5000):
        yield [
            r[0],
            r[1],
            _kind_label(r[2], r[7], r[14]),
            r[3],
            r[4],
            "" if r[5] is None else r[5],
            r[6] or "",
            r[7],
            r[8],
            r[15],
            r[9],
            r[10],
            "" if r[11] is None else r[11],
            r[12],
            r[13],
        ]


def write_csv(on: dt.date, out: io.TextIOBase) -> None:
    exports.csv_write(out, *sheet(on))


def write_xlsx(on: dt.date, out: Any) -> None:
    exports.xlsx_write(out, f"Registre {on:%d-%m-%Y}", *sheet(on))


def holder_pages(on: dt.date, contacts: list[Contact] | None = None) -> list[dict]:
    """One page per holder: movements with the running number of shares and paid capital."""
    queryset = movements_on(on)
    if contacts is not None:
        queryset = queryset.filter(holder__in=contacts)
    pages: dict[int, dict] = {}
    for movement in queryset.order_by("holder__name_key", "holder_id", "date", "number"):
        page = pages.setdefault(
            movement.holder_id,
            {
                "holder": movement.holder,
                "member": getattr(movement.holder, "member", None),
                "lines": [],
                "shares": 0,
                "paid": 0,
            },
        )
        page["shares"] += movement.shares
        page["paid"] += movement.paid
        page["lines"].append((movement, page["shares"], page["paid"]))
    return list(pages.values())


# Rows of the chronological list on one A4 page of register_pdf.html (measured: 927 rows on 22).
ROWS_PER_PAGE = 42


def pdf_pages_estimate(on: dt.date) -> int:
    """About how many pages the register at `on` takes: the list, then a page per holder."""
    movements = Movement.objects.filter(date__lte=on)
    holders = movements.values("holder_id").distinct().count()
    return 1 + -(-movements.count() // ROWS_PER_PAGE) + holders


def pdf(
    on: dt.date, *, holder: Contact | None = None, progress: PdfProgress | None = None
) -> bytes:
    """The register at `on` ready to be initialled: the chronological list, then one page per
    holder (or only `holder`'s page)."""
    context = {
        **identity(on),
        "movements": [] if holder else list(movements_on(on)),
        "pages": holder_pages(on, [holder] if holder else None),
    }
    return pdf_render("membership/register_pdf.html", context, progress=progress)


def pdf_job(job: Job, *, on: str) -> JobResult:
    """Background job (`placette.lib.jobs`): the whole register at `on` as a PDF (825 pages
    for the demo: more than a minute)."""
    day = dt.date.fromisoformat(on)
    content = pdf(day, progress=pdf_progress(job, pages=pdf_pages_estimate(day)))
    return JobResult(filename=f"registre-{day:%Y-%m-%d}.pdf", content=content)


def snapshot_job(job: Job, *, on: str) -> JobResult:
    """Background job: freeze and archive the register at `on` (its PDF is the long part)."""
    from placette.membership.services import register_snapshot_create

    day = dt.date.fromisoformat(on)
    register_snapshot_create(
        actor=job.started_by, on=day, progress=pdf_progress(job, pages=pdf_pages_estimate(day))
    )
    return JobResult(message=f"Registre arrêté au {day:%d/%m/%Y} et archivé (PDF et CSV).")


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_job(job: Job, *, on: str, fmt: str) -> JobResult:
    """Background job: the register at `on` as CSV or XLSX (1,000,000 movements: half a
    minute), the same file as the direct download."""
    day = dt.date.fromisoformat(on)
    total = Movement.objects.filter(date__lte=day).count()

    def counted() -> Iterator[list[Any]]:
        for done, values in enumerate(rows(day), start=1):
            if done % 2000 == 0:
                job.progress(done, total, "Mouvements écrits…")
            yield values

    name = f"registre-{day:%Y-%m-%d}"
    if fmt == "csv":
        text = io.StringIO()
        text.write("\ufeff")
        exports.csv_write(text, *sheet(day, counted()))
        content = text.getvalue().encode("utf-8")
    else:
        binary = io.BytesIO()
        exports.xlsx_write(binary, name, *sheet(day, counted()))
        content = binary.getvalue()
    return JobResult(filename=f"{name}.{fmt}", content=content, content_type=EXPORT_TYPES[fmt])

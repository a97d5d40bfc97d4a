"""CSV and XLSX files for any tabular export — the one way every area writes a spreadsheet.

- **CSV for French spreadsheets**: `;` separator, UTF-8 with a BOM (so Excel guesses the
  encoding), numbers with a decimal comma and no grouping (« 1234,50 »: LibreOffice and Excel in
  French read it as a number), dates in ISO form (read as dates by both).
- **XLSX**: numbers stay real numbers (a ``Decimal`` becomes a numeric cell with the format
  ``#,##0.00`` when it has cents), dates are date cells shown ``dd/mm/yyyy``.
- **Formula injection** (OWASP "CSV injection"): a text cell starting with ``= + - @``, a tab or
  a carriage return would be run as a formula by the spreadsheet (``=HYPERLINK(…)`` typed as a
  first name in the public form). Such text gets a leading apostrophe, in CSV and XLSX alike;
  numbers are never text, so a negative amount stays a number.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import IO, Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from placette.lib.money import plain_decimal

__all__ = [
    "XLSX_CONTENT_TYPE",
    "csv_cell",
    "csv_lines",
    "csv_response",
    "csv_write",
    "neutralise",
    "xlsx_response",
    "xlsx_write",
]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def neutralise(text: str) -> str:
    """A text a spreadsheet would take for a formula gets a leading apostrophe (OWASP)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _local(value: dt.datetime) -> dt.datetime:
    """Spreadsheets know no time zone: the time as read in Paris, without zone."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def csv_cell(value: Any) -> str:
    """One CSV cell for a French spreadsheet (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal | int):
        return plain_decimal(value)
    if isinstance(value, Fraction):
        return plain_decimal(Decimal(value.numerator) / Decimal(value.denominator))
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        return f"{_local(value):%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True, batch: int = 2000
) -> Iterator[str]:
    """The CSV text in chunks of `batch` rows (one chunk per row would cost more than the
    query), the BOM first."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    if bom:
        out.write("\ufeff")
    writer.writerow([csv_cell(v) for v in header])
    for i, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(v) for v in row])
        if i % batch == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def csv_write(out: IO[str] | Any, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """The CSV into an open text file; no BOM (open the file with ``encoding="utf-8-sig"``)."""
    for chunk in csv_lines(header, rows, bom=False):
        out.write(chunk)


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A streamed ``<filename>.csv`` download."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        exponent = value.as_tuple().exponent
        cell.number_format = MONEY_FORMAT if exponent == -2 else "General"
        return cell
    if isinstance(value, Fraction):
        return float(value)  # a spreadsheet cell is a binary float anyway
    if isinstance(value, float):
        return value
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    cell = WriteOnlyCell(sheet, value=neutralise(str(value)))
    cell.data_type = "s"  # never a formula, whatever openpyxl would guess
    return cell


def xlsx_write(
    out: IO[bytes] | Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """One sheet named `title` (31 characters at most) into a binary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([_xlsx_cell(sheet, v) for v in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    workbook.save(out)


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A ``<filename>.xlsx`` download."""
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    xlsx_write(response, filename, header, rows)
    return response

"""CSV and XLSX exports of a restricted queryset.

The caller has already applied ``restrict(user, 'export')``. What leaves the product is opened in a
spreadsheet program, so no cell may become a formula: XLSX cells are written as text, and CSV cells that a
spreadsheet would read as a formula are prefixed with a single quote (OWASP, "CSV Injection")."""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation


@dataclass(frozen=True)
class Column:
    """A list/export column: ``accessor`` is an attribute path (``agency.name``) or a callable(obj)."""

    accessor: str | Callable
    label: str
    link: bool = False
    order_by: str | None = None

    def value(self, obj):
        """The display value: choices show their label, foreign keys their ``str``."""
        if callable(self.accessor):
            return self.accessor(obj)
        *path, last = self.accessor.split(".")
        owner = obj
        for part in path:
            owner = getattr(owner, part, None)
            if owner is None:
                return ""
        display = getattr(owner, f"get_{last}_display", None)
        return display() if display else getattr(owner, last, "")


def _plain(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if value is None:
        return ""
    return str(value)


# A cell starting with one of these is read as a formula (or, for tab and CR, hides one) by spreadsheet
# programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_safe(value: str) -> str:
    """``value`` as a CSV cell no spreadsheet will evaluate: a formula-looking text gets a leading quote."""
    if value and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def xlsx_text_cells(ws, row: list) -> list:
    """The cells of one row for a write-only worksheet; strings are stored as text, never as a formula."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in row:
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


def xlsx_as_text(ws) -> None:
    """Turn every formula cell of a (normal) worksheet back into the text it was given as."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


class _Echo:
    def write(self, value):
        return value


def export_csv(objects: Iterable, columns: list[Column], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    language = translation.get_language()  # rows are produced after the view returns

    def rows():
        with translation.override(language):
            yield "\ufeff"  # BOM, so spreadsheet programs read UTF-8
            yield writer.writerow([csv_safe(str(c.label)) for c in columns])
            for obj in objects:
                yield writer.writerow([csv_safe(_plain(c.value(obj))) for c in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def export_xlsx(objects: Iterable, columns: list[Column], filename: str, title: str) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(title)[:31])
    ws.append(xlsx_text_cells(ws, [str(c.label) for c in columns]))
    for obj in objects:
        ws.append(xlsx_text_cells(ws, [_plain(c.value(obj)) for c in columns]))
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response

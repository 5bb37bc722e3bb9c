"""CSV and XLSX exports of a restricted queryset.

The caller has already applied ``restrict(user, 'export')``. What leaves the product is opened in a
spreadsheet program, so no cell may become a formula: XLSX cells are written as text, and CSV cells that a
spreadsheet would read as a formula are prefixed with a single quote (OWASP, "CSV Injection")."""

import csv
import datetime as dt
import io
import re
import textwrap
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _


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


def download_name(stem: str, ext: str, *, today: dt.date | None = None) -> tuple[str, str]:
    """The file name of a download: ``(ascii, unicode)``, e.g. ``("can-bo-2026-12-02.xlsx",
    "cán-bộ-2026-12-02.xlsx")``, dated today in the product's time zone."""
    from pckb.core.text import fold

    today = today or timezone.localdate()
    stem = str(stem).strip()
    words = re.sub(r"[^\w]+", "-", stem.lower(), flags=re.UNICODE).strip("-_") or "du-lieu"
    ascii_words = re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-") or "du-lieu"
    date = today.strftime("%Y-%m-%d")
    return f"{ascii_words}-{date}.{ext}", f"{words}-{date}.{ext}"


def content_disposition(ascii_name: str, unicode_name: str | None = None) -> str:
    """``attachment`` with an ASCII ``filename`` and, when it differs, an RFC 5987 ``filename*``."""
    header = f'attachment; filename="{ascii_name}"'
    if unicode_name and unicode_name != ascii_name:
        header += f"; filename*=UTF-8''{quote(unicode_name, safe='')}"
    return header


def export_csv(objects: Iterable, columns: list[Column], filename: str) -> StreamingHttpResponse:
    """``filename`` is a stem (``can-bo``); the response names the file ``can-bo-<date>.csv``."""
    writer = csv.writer(_Echo())
    language = translation.get_language()  # rows are produced after the view returns

    def rows():
        with translation.override(language):
            yield "\ufeff"  # BOM, so spreadsheet programs read UTF-8
            yield writer.writerow([csv_safe(str(c.label)) for c in columns])
            for obj in objects:
                yield writer.writerow([csv_safe(_plain(c.value(obj))) for c in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(*download_name(filename, "csv"))
    return response


HEADER_FILL = "1F3864"  # dark blue, white bold text: readable printed in black and white too
MIN_WIDTH, MAX_WIDTH = 8, 45  # a longer text wraps within its cell
#: Letters of ordinary text per unit of column width (the unit is the width of a digit).
CHARS_PER_UNIT = 1.2
FONT = "Calibri"  # the workbook default; LibreOffice shows it as the metric-compatible Carlito


def wrapped_lines(text: str, width: int) -> int:
    """How many lines ``text`` takes in a cell ``width`` characters wide, wrapped at spaces."""
    return sum(len(textwrap.wrap(part, max(width, 1))) or 1 for part in text.split("\n"))


def build_xlsx(
    header: list[str],
    rows: Iterable[list],
    *,
    title: str = "",
    notes: Iterable[str] = (),
    sheet: str = "",
) -> bytes:
    """A workbook people open: an optional title row and note rows (scope, date), a styled header row that
    stays in view (frozen) with a filter, columns wide enough for their text, and every cell stored as
    text — never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\\/*?:\[\]]", " ", str(sheet or title or "Sheet"))[:31]
    widths = [len(str(h)) for h in header]
    line = 0
    if title:
        line += 1
        cell = ws.cell(row=line, column=1, value=str(title))
        cell.data_type = "s"
        cell.font = Font(name=FONT, bold=True, size=14)
        ws.row_dimensions[line].height = 22
    for note in notes:
        line += 1
        cell = ws.cell(row=line, column=1, value=str(note))
        cell.data_type = "s"
        cell.font = Font(name=FONT, italic=True, color="404040")
    if line:
        line += 1  # an empty row between the notes and the table
    line += 1
    header_row = line
    edge = Side(style="thin", color="A6A6A6")
    border = Border(left=edge, right=edge, top=edge, bottom=edge)
    for col_no, label in enumerate(header, start=1):
        cell = ws.cell(row=header_row, column=col_no, value=str(label))
        cell.data_type = "s"
        cell.font = Font(name=FONT, bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cell.border = border
    ws.row_dimensions[header_row].height = 30
    rows = [list(values) for values in rows]
    for values in rows:
        for col_no, value in enumerate(values[: len(widths)], start=1):
            if isinstance(value, str):
                longest = max((len(part) for part in value.split("\n")), default=0)
                widths[col_no - 1] = max(widths[col_no - 1], longest)
    widths = [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]
    for col_no, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col_no)].width = width
    for values in rows:
        line += 1
        lines = 1
        for col_no, value in enumerate(values, start=1):
            cell = ws.cell(row=line, column=col_no, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, even when it looks like a formula
                cell.number_format = "@"
                if col_no <= len(widths):
                    lines = max(lines, wrapped_lines(value, int(widths[col_no - 1] * CHARS_PER_UNIT)))
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        if lines > 1:  # spreadsheet programs do not grow a row for wrapped text on opening a file
            ws.row_dimensions[line].height = 15 * lines
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if header:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(header))}{max(line, header_row)}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    xlsx_as_text(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_xlsx(
    objects: Iterable, columns: list[Column], filename: str, title: str, notes: Iterable[str] = ()
) -> HttpResponse:
    """``filename`` is a stem (``can-bo``); the response names the file ``can-bo-<date>.xlsx``."""
    content = build_xlsx(
        [str(c.label) for c in columns],
        ([_plain(c.value(obj)) for c in columns] for obj in objects),
        title=title,
        notes=notes,
        sheet=title,
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(*download_name(filename, "xlsx"))
    return response


def scope_label(user) -> str:
    """The user's scope as people say it: the unit's name, or the whole country."""
    unit = getattr(user, "scope_unit", None)
    if unit is None or getattr(user, "has_national_scope", False):
        return str(_("Toàn quốc"))
    return str(unit)


def export_list(*, user, model, objects: Iterable, columns: list[Column], fmt: str) -> HttpResponse:
    """A list page's export: CSV, or XLSX with the title, the user's scope and the export time above the
    table. The file is named after the list in Vietnamese (``can-bo-2026-12-02.xlsx``)."""
    plural = model._meta.verbose_name_plural
    with translation.override("vi"):
        stem = str(plural)
    if fmt == "csv":
        return export_csv(objects, columns, stem)
    now = timezone.localtime(timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))  # Asia/Ho_Chi_Minh
    return export_xlsx(
        objects,
        columns,
        stem,
        title=_("Danh sách {name}").format(name=plural),
        notes=[
            _("Phạm vi: {scope}").format(scope=scope_label(user)),
            _("Ngày xuất: {when}").format(when=now.strftime("%d/%m/%Y %H:%M")),
        ],
    )

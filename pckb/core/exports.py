"""CSV and XLSX exports of a restricted queryset.

The caller has already applied ``restrict(user, 'export')``."""

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


class _Echo:
    def write(self, value):
        return value


def export_csv(objects: Iterable, columns: list[Column], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    language = translation.get_language()  # rows are produced after the view returns

    def rows():
        with translation.override(language):
            yield "\ufeff"  # BOM, so spreadsheet programs read UTF-8
            yield writer.writerow([str(c.label) for c in columns])
            for obj in objects:
                yield writer.writerow([_plain(c.value(obj)) for c in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def export_xlsx(objects: Iterable, columns: list[Column], filename: str, title: str) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(title)[:31])
    header = [str(c.label) for c in columns]
    ws.append(header)
    for obj in objects:
        ws.append([_plain(c.value(obj)) for c in columns])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response

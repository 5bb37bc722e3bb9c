"""All-or-nothing CSV import. Every fault is reported with its line and column; nothing is written unless
the whole file is valid. Rows are created through the same audited service as the forms."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from pckb.core import services
from pckb.core.auditing import record as audit_record
from pckb.core.choices import AuditAction
from pckb.core.validators import text_problem

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20000
# Longer than any field (the message says "10.000"): a longer cell is a fault, not a crash of the reader.
MAX_CELL_CHARS = 10_000


@dataclass(frozen=True)
class ImportColumn:
    header: str
    attr: str
    required: bool = True
    parse: Callable[[str, object], object] | None = None  # (raw, user) → value; raises ValidationError


@dataclass
class ImportFault:
    line: int
    column: int | None
    header: str
    message: str

    def __str__(self) -> str:
        if self.column is None:
            return _("Dòng {line}: {message}").format(line=self.line, message=self.message)
        if not self.header:
            return _("Dòng {line}, cột {column}: {message}").format(
                line=self.line, column=self.column, message=self.message
            )
        return _("Dòng {line}, cột {column} ({header}): {message}").format(
            line=self.line, column=self.column, header=self.header, message=self.message
        )


@dataclass
class ImportFailed(Exception):
    faults: list[ImportFault] = field(default_factory=list)


def _messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def read_csv(data: bytes) -> list[list[str]]:
    """The rows of an uploaded CSV file (UTF-8, with or without BOM). Raises :class:`ImportFailed` for a
    file too big, not UTF-8, with an overlong cell, or with control characters, naming the line."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFailed([ImportFault(0, None, "", _("Tệp vượt quá 5 MB."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed([ImportFault(line, None, "", _("Tệp không phải mã UTF-8."))]) from exc
    reader = csv.reader(io.StringIO(text))
    rows: list[list[str]] = []
    faults: list[ImportFault] = []
    try:
        for row in reader:
            rows.append(row)
            for col_no, cell in enumerate(row, start=1):
                if len(cell) > MAX_CELL_CHARS:
                    faults.append(
                        ImportFault(
                            reader.line_num,
                            col_no,
                            "",
                            _("Ô dữ liệu dài quá {n} ký tự.").format(n="10.000"),
                        )
                    )
                    continue
                # A quoted cell may hold line breaks; nothing else below a space.
                message = text_problem(cell, multiline=True)
                if message:
                    faults.append(ImportFault(reader.line_num, col_no, "", message))
    except csv.Error as exc:
        # The standard reader refuses fields over its limit (131,072 characters) and NUL bytes.
        raise ImportFailed(
            [
                ImportFault(
                    reader.line_num or 1,
                    None,
                    "",
                    _("Không đọc được tệp CSV: ô dữ liệu quá dài hoặc chứa ký tự không hợp lệ."),
                )
            ]
        ) from exc
    if faults:
        raise ImportFailed(faults)
    return rows


def import_csv(*, actor, model, columns: list[ImportColumn], data: bytes) -> list:
    """Create one ``model`` per row. Raises :class:`ImportFailed` with every fault; writes nothing then."""
    # Headers are accepted in Vietnamese (the file format) and in the user's interface language.
    with translation.override("vi"):
        vietnamese = [str(c.header) for c in columns]
    aliases = {str(c.header): vi for c, vi in zip(columns, vietnamese, strict=True)}
    columns = [replace(c, header=vi) for c, vi in zip(columns, vietnamese, strict=True)]
    rows = read_csv(data)
    if not rows:
        raise ImportFailed([ImportFault(1, None, "", _("Tệp trống."))])
    header = [aliases.get(h.strip(), h.strip()) for h in rows[0]]
    faults: list[ImportFault] = []
    by_header = {c.header: c for c in columns}
    for idx, name in enumerate(header, start=1):
        if name not in by_header:
            faults.append(ImportFault(1, idx, name, _("Tên cột không hợp lệ.")))
    for col in columns:
        if col.required and col.header not in header:
            faults.append(
                ImportFault(
                    1, None, col.header, _("Thiếu cột bắt buộc “{header}”.").format(header=col.header)
                )
            )
    if faults:
        raise ImportFailed(faults)
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        raise ImportFailed([ImportFault(0, None, "", _("Tệp có quá {n} dòng.").format(n=MAX_IMPORT_ROWS))])

    position = {name: idx for idx, name in enumerate(header)}
    prepared: list[tuple[int, object]] = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            faults.append(
                ImportFault(
                    line_no,
                    None,
                    "",
                    _("Có {got} cột, cần {want} cột.").format(got=len(row), want=len(header)),
                )
            )
            continue
        instance = model()
        for col in columns:
            if col.header not in position:
                continue
            col_no = position[col.header] + 1
            raw = row[position[col.header]].strip()
            if not raw and col.required:
                faults.append(ImportFault(line_no, col_no, col.header, _("Không được để trống.")))
                continue
            try:
                value = col.parse(raw, actor) if col.parse else raw
            except ValidationError as exc:
                faults.extend(ImportFault(line_no, col_no, col.header, m) for m in _messages(exc))
                continue
            setattr(instance, col.attr, value)
        prepared.append((line_no, instance))

    attr_column = {c.attr: c for c in columns}
    created = []
    with transaction.atomic():
        if not faults:
            for line_no, instance in prepared:
                try:
                    with transaction.atomic():
                        created.append(services.object_create(actor=actor, instance=instance))
                except ValidationError as exc:
                    for attr, errors in (
                        exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
                    ).items():
                        col = attr_column.get(attr)
                        col_no = position[col.header] + 1 if col and col.header in position else None
                        faults.extend(
                            ImportFault(line_no, col_no, col.header if col else "", m)
                            for m in _messages(ValidationError(errors))
                        )
                except PermissionDenied as exc:
                    faults.append(ImportFault(line_no, None, "", str(exc)))
        if faults:
            transaction.set_rollback(True)
            raise ImportFailed(faults)
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type=model._meta.label_lower,
            object_repr=_("Nhập {count} {name} từ CSV").format(
                count=len(created), name=model._meta.verbose_name_plural
            ),
            unit_path=getattr(actor, "scope_path", ""),
        )
    return created

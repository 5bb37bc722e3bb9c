"""All-or-nothing CSV import. Every fault is reported with its line and column; nothing is written unless
the whole file is valid. Rows are created through the same audited service as the forms."""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, UniqueConstraint
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pckb.core import services
from pckb.core.auditing import record as audit_record
from pckb.core.choices import AuditAction
from pckb.core.validators import text_problem

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20000
# Longer than any field (the message says "10.000"): a longer cell is a fault, not a crash of the reader.
MAX_CELL_CHARS = 10_000


#: The column that names an existing record: a row with a key updates that record (if anything changed),
#: a row without one creates a new record. The export writes it, so an exported file imports back unchanged.
KEY_ATTR = "pk"


@dataclass(frozen=True)
class ImportColumn:
    header: str
    attr: str
    required: bool = True
    parse: Callable[[str, object], object] | None = None  # (raw, user) → value; raises ValidationError
    #: obj → the cell text the import reads back (``parse`` accepts it). Default: the stored value, a
    #: choice's label.
    export: Callable[[object], str] | None = None
    #: A fictional value (or user → value) for the template file's example row.
    example: str | Callable[[object], str] = ""
    #: False for a column that is not a model field (e.g. an old address the format's ``derive`` turns
    #: into a field): its parsed value goes to ``derive``, never onto the object.
    stored: bool = True

    def export_value(self, obj) -> str:
        if self.export is not None:
            return self.export(obj)
        value = getattr(obj, self.attr, "")
        display = getattr(obj, f"get_{self.attr}_display", None)
        if display is not None:
            return str(display())
        return "" if value is None else str(value)

    def example_value(self, user) -> str:
        return str(self.example(user) if callable(self.example) else self.example)


def export_columns(columns: list[ImportColumn]) -> list:
    """The export columns of an import format: the same headers, cells the import reads back unchanged."""
    from pckb.core.exports import Column

    return [Column(c.export_value, c.header) for c in columns]


def key_column() -> ImportColumn:
    """The optional record-key column (the system's id) shared by every import format."""
    return ImportColumn(
        gettext_lazy("Mã hệ thống"),
        KEY_ATTR,
        required=False,
        export=lambda obj: str(obj.pk),
    )


def unquote_cell(value: str) -> str:
    """Undo :func:`pckb.core.exports.csv_safe`: a cell the export quoted reads back as given."""
    from pckb.core.exports import FORMULA_TRIGGERS

    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


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


def _too_big(max_bytes: int) -> ImportFailed:
    return ImportFailed(
        [ImportFault(0, None, "", _("Tệp vượt quá {n} MB.").format(n=max_bytes // (1024 * 1024)))]
    )


def read_csv(data: bytes, max_bytes: int = MAX_IMPORT_BYTES) -> list[list[str]]:
    """The rows of an uploaded CSV file (UTF-8, with or without BOM). Raises :class:`ImportFailed` for a
    file too big, not UTF-8, with an overlong cell, or with control characters, naming the line."""
    if len(data) > max_bytes:
        raise _too_big(max_bytes)
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


def read_xlsx(
    data: bytes, max_bytes: int = MAX_IMPORT_BYTES, max_rows: int = MAX_IMPORT_ROWS
) -> list[list[str]]:
    """The rows of the first sheet of an uploaded workbook as text (a number as written, a date as
    dd/mm/yyyy), checked like :func:`read_csv`."""
    import zipfile

    from openpyxl import load_workbook

    if len(data) > max_bytes:
        raise _too_big(max_bytes)
    unreadable = ImportFailed([ImportFault(0, None, "", _("Không đọc được tệp XLSX."))])
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError) as exc:
        raise unreadable from exc
    rows: list[list[str]] = []
    faults: list[ImportFault] = []
    try:
        for line_no, values in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
            if line_no > max_rows + 20:
                raise ImportFailed([ImportFault(0, None, "", _("Tệp có quá {n} dòng.").format(n=max_rows))])
            row = [_xlsx_text(v) for v in values]
            while row and not row[-1]:  # a styled but empty cell at the end is no column
                row.pop()
            for col_no, cell in enumerate(row, start=1):
                if len(cell) > MAX_CELL_CHARS:
                    faults.append(
                        ImportFault(line_no, col_no, "", _("Ô dữ liệu dài quá {n} ký tự.").format(n="10.000"))
                    )
                    continue
                message = text_problem(cell, multiline=True)
                if message:
                    faults.append(ImportFault(line_no, col_no, "", message))
            rows.append(row)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError, IndexError) as exc:
        raise unreadable from exc
    finally:
        wb.close()
    if faults:
        raise ImportFailed(faults)
    return rows


def _xlsx_text(value) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    #: What the format's ``derive`` did that a person should check (e.g. each old address converted).
    notes: list = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.created) + len(self.updated)


def _validation_faults(exc: ValidationError, line_no, attr_column, position) -> list[ImportFault]:
    faults = []
    errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for attr, items in errors.items():
        col = attr_column.get(attr)
        col_no = position[col.header] + 1 if col and col.header in position else None
        faults.extend(
            ImportFault(line_no, col_no, col.header if col else "", m)
            for m in _messages(ValidationError(items))
        )
    return faults


#: ``derive(line, values, extras, existing, actor)`` — a format's rule across cells of one row: it reads the
#: parsed cells (``values``, model fields; ``extras``, columns with ``stored=False``), may set fields in
#: ``values``, and returns (faults as (attr, message), notes to show the person importing).
Derive = Callable[[int, dict, dict, object, object], tuple[list[tuple[str, str]], list[str]]]


#: New rows written per batch (one insert, one re-check, one chained audit write).
WRITE_BATCH = 500


def _write_row(actor, line_no, instance, existing, changes, result, faults, attr_column, position) -> None:
    """One row through the single-object service; its fault, if any, named with its line."""
    try:
        with transaction.atomic():
            if existing is None:
                result.created.append(services.object_create(actor=actor, instance=instance))
            else:
                result.updated.append(services.object_update(actor=actor, instance=existing, changes=changes))
    except ValidationError as exc:
        faults.extend(_validation_faults(exc, line_no, attr_column, position))
    except PermissionDenied as exc:
        faults.append(ImportFault(line_no, None, "", str(exc)))


def import_csv(
    *,
    actor,
    model,
    columns: list[ImportColumn],
    data: bytes,
    filename: str = "",
    derive: Derive | None = None,
    max_bytes: int = MAX_IMPORT_BYTES,
    max_rows: int = MAX_IMPORT_ROWS,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportResult:
    """Create (or, for a row with a record key, update) one ``model`` per row of a CSV or XLSX file.

    Every row is checked completely — each cell's format, then the model's own validation of the row — so
    one pass reports every fault of the file. Raises :class:`ImportFailed` with all of them; writes nothing
    then. ``progress(stage, done, total)`` is told how far the check ("check") and the writes ("write")
    are (the CLI draws progress bars from it)."""
    from pckb.core import access

    # Headers are accepted in Vietnamese (the file format) and in the user's interface language.
    with translation.override("vi"):
        vietnamese = [str(c.header) for c in columns]
    aliases = {str(c.header): vi for c, vi in zip(columns, vietnamese, strict=True)}
    columns = [replace(c, header=vi) for c, vi in zip(columns, vietnamese, strict=True)]
    is_xlsx = filename.lower().endswith(".xlsx")
    rows = read_xlsx(data, max_bytes, max_rows) if is_xlsx else read_csv(data, max_bytes)
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise ImportFailed([ImportFault(1, None, "", _("Tệp trống."))])
    by_header = {c.header: c for c in columns}
    first = 0
    if is_xlsx:  # an exported workbook has a title, the scope and the date above the header row
        first = next(
            (
                i
                for i, row in enumerate(rows[:10])
                if sum(aliases.get(h.strip(), h.strip()) in by_header for h in row) >= 2
            ),
            0,
        )
    header = [aliases.get(h.strip(), h.strip()) for h in rows[first]]
    faults: list[ImportFault] = []
    for idx, name in enumerate(header, start=1):
        if name not in by_header:
            faults.append(ImportFault(first + 1, idx, name, _("Tên cột không hợp lệ.")))
    for col in columns:
        if col.required and col.header not in header:
            faults.append(
                ImportFault(
                    first + 1,
                    None,
                    col.header,
                    _("Thiếu cột bắt buộc “{header}”.").format(header=col.header),
                )
            )
    if faults:
        raise ImportFailed(faults)
    if len(rows) - first - 1 > max_rows:
        raise ImportFailed([ImportFault(0, None, "", _("Tệp có quá {n} dòng.").format(n=max_rows))])

    position = {name: idx for idx, name in enumerate(header)}
    attr_column = {c.attr: c for c in columns}
    key = next((c for c in columns if c.attr == KEY_ATTR and c.header in position), None)
    existing_by_pk = {}
    if key is not None:  # the keyed records, with the references their cells show, in one query
        wanted = {
            row[position[key.header]].strip() for row in rows[first + 1 :] if len(row) > position[key.header]
        }
        relations = [
            c.attr
            for c in columns
            if c.attr != KEY_ATTR
            and c.stored
            and getattr(model._meta.get_field(c.attr), "many_to_one", False)
        ]
        existing_by_pk = (
            model.objects.restrict(actor, access.CHANGE)
            .select_related(*relations)
            .in_bulk([int(k) for k in wanted if k.isdigit() and len(k) < 19])
        )
    unique_constraints = any(isinstance(c, UniqueConstraint) for c in model._meta.constraints)
    seen_keys: dict[str, int] = {}
    # (line, instance to create or validated copy, existing record or None, changes)
    prepared: list[tuple[int, object, object, dict]] = []
    notes: list[str] = []
    total = len(rows) - first - 1
    for line_no, row in enumerate(rows[first + 1 :], start=first + 2):
        if progress is not None and (line_no - first - 1) % 500 == 0:
            progress("check", line_no - first - 1, total)
        if not any(cell.strip() for cell in row):
            continue
        row = row + [""] * (len(header) - len(row)) if is_xlsx else row
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
        existing = None
        if key is not None and (raw_key := row[position[key.header]].strip()):
            col_no = position[key.header] + 1
            existing = existing_by_pk.get(int(raw_key)) if raw_key.isdigit() and len(raw_key) < 19 else None
            if existing is None:
                faults.append(
                    ImportFault(
                        line_no,
                        col_no,
                        key.header,
                        _("Không có bản ghi mã “{raw}” mà bạn được sửa.").format(raw=raw_key),
                    )
                )
                continue
            if raw_key in seen_keys:
                faults.append(
                    ImportFault(
                        line_no,
                        col_no,
                        key.header,
                        _("Mã “{raw}” đã có ở dòng {line}.").format(raw=raw_key, line=seen_keys[raw_key]),
                    )
                )
                continue
            seen_keys[raw_key] = line_no
        values: dict[str, object] = {}
        extras: dict[str, object] = {}
        faulted: set[str] = set()
        row_faults: list[ImportFault] = []
        for col in columns:
            if col.attr == KEY_ATTR or col.header not in position:
                continue
            col_no = position[col.header] + 1
            raw = unquote_cell(row[position[col.header]].strip())
            if existing is not None and raw == col.export_value(existing).strip():
                continue  # the record's own value, as exported: kept (a retired unit stays valid)
            if not raw and col.required:
                row_faults.append(ImportFault(line_no, col_no, col.header, _("Không được để trống.")))
                faulted.add(col.attr)
                continue
            try:
                parsed = col.parse(raw, actor) if col.parse else raw
            except ValidationError as exc:
                row_faults.extend(ImportFault(line_no, col_no, col.header, m) for m in _messages(exc))
                faulted.add(col.attr)
            else:
                (values if col.stored else extras)[col.attr] = parsed
        if derive is not None:
            derived_faults, derived_notes = derive(line_no, values, extras, existing, actor)
            for attr, message in derived_faults:
                col = attr_column.get(attr)
                col_no = position[col.header] + 1 if col and col.header in position else None
                row_faults.append(ImportFault(line_no, col_no, col.header if col else "", message))
                faulted.add(attr)
            notes.extend(derived_notes)
        instance = copy.copy(existing) if existing is not None else model()
        for attr, value in values.items():
            setattr(instance, attr, value)
        # The model's own rules (an e-mail address, a unique name…) are checked on the same pass, for the
        # cells that parsed, so a fault never hides behind another one.
        # A reference a cell named was found through the actor's restricted look-up (it exists), and a
        # check constraint is checked again by the service when the row is written: neither needs a
        # query per row here (a 50,000-row file).
        found = {a for a, v in values.items() if isinstance(v, Model) and v.pk is not None}
        try:
            instance.full_clean(exclude=faulted | found, validate_constraints=unique_constraints)
        except ValidationError as exc:
            row_faults.extend(_validation_faults(exc, line_no, attr_column, position))
        except ObjectDoesNotExist:  # a rule that reads a reference whose cell is already at fault
            if not faulted:
                raise
        faults.extend(row_faults)
        changes = {}
        if existing is not None:
            changes = {a: v for a, v in values.items() if getattr(existing, a) != v}
            if not changes:
                continue
        prepared.append((line_no, instance, existing, changes))

    if progress is not None:
        progress("check", total, total)
    result = ImportResult(notes=notes)
    result.unchanged = len(seen_keys) - sum(1 for p in prepared if p[2] is not None)
    with transaction.atomic():
        if not faults:
            done = 0
            # New rows go in batches through ``objects_create`` (the same validation, re-check and audit
            # as ``object_create``, one insert per batch); a refused batch is written again row by row,
            # so each fault is named with its line.
            new_rows = [p for p in prepared if p[2] is None]
            for start in range(0, len(new_rows), WRITE_BATCH):
                batch = new_rows[start : start + WRITE_BATCH]
                try:
                    with transaction.atomic():
                        result.created.extend(
                            services.objects_create(actor=actor, instances=[p[1] for p in batch])
                        )
                except (ValidationError, PermissionDenied):
                    for line_no, instance, _existing, _changes in batch:
                        instance.pk, instance._state.adding = None, True  # the batch was rolled back
                        _write_row(actor, line_no, instance, None, {}, result, faults, attr_column, position)
                done += len(batch)
                if progress is not None:
                    progress("write", done, len(prepared))
            for line_no, instance, existing, changes in (p for p in prepared if p[2] is not None):
                _write_row(actor, line_no, instance, existing, changes, result, faults, attr_column, position)
                done += 1
                if progress is not None and done % 500 == 0:
                    progress("write", done, len(prepared))
            if progress is not None:
                progress("write", len(prepared), len(prepared))
        if faults:
            transaction.set_rollback(True)
            raise ImportFailed(faults)
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type=model._meta.label_lower,
            object_repr=_(
                "Nhập {name} từ tệp: {created} mới, {updated} cập nhật, {unchanged} không đổi"
            ).format(
                name=model._meta.verbose_name_plural,
                created=len(result.created),
                updated=len(result.updated),
                unchanged=result.unchanged,
            ),
            unit_path=getattr(actor, "scope_path", ""),
        )
    return result

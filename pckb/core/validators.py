"""Input checks shared by every way data comes in: forms, the API and CSV imports.

Control characters (NUL, escape, form feed, …) have no place in the text people type; they break PostgreSQL
(NUL), terminals, calendar feeds and spreadsheets. Line breaks are allowed only in multi-line text."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls except tab, line feed and carriage return; DEL; C1 controls; line/paragraph separators.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAK = re.compile("[\r\n]")

CONTROL_MESSAGE = _(
    "Không được chứa ký tự điều khiển (ví dụ ký tự NUL); hãy gõ lại hoặc dán dạng văn bản thuần."
)
LINE_BREAK_MESSAGE = _("Trường này chỉ có một dòng: không được chứa dấu xuống dòng.")

#: Dates the product accepts. Year 1 or 9999 is a typing slip, and near those ends the conversion between
#: Vietnam's time and UTC overflows.
MIN_YEAR, MAX_YEAR = 1900, 2100
DATE_MESSAGE = _("Năm phải trong khoảng {low}–{high}.")


def text_problem(value: str, *, multiline: bool = True) -> str | None:
    """The message to show for ``value``, or ``None`` when it is clean."""
    if _CONTROL.search(value):
        return str(CONTROL_MESSAGE)
    if not multiline and _LINE_BREAK.search(value):
        return str(LINE_BREAK_MESSAGE)
    return None


def validate_text(value, *, multiline: bool = True) -> None:
    """Raise ``ValidationError`` when ``value`` (a string) holds control characters."""
    if isinstance(value, str):
        message = text_problem(value, multiline=multiline)
        if message:
            raise ValidationError(message, code="control_character")


def date_problem(value) -> str | None:
    """The message for a date or date-time outside MIN_YEAR..MAX_YEAR, or ``None``."""
    if isinstance(value, dt.date) and not MIN_YEAR <= value.year <= MAX_YEAR:
        return str(DATE_MESSAGE).format(low=MIN_YEAR, high=MAX_YEAR)
    return None


def validate_date_range(value) -> None:
    message = date_problem(value)
    if message:
        raise ValidationError(message, code="date_range")


#: The ranges every supported database can store (PostgreSQL's; SQLite would store more, silently).
_INTEGER_RANGES = {
    "SmallIntegerField": (-32768, 32767),
    "PositiveSmallIntegerField": (0, 32767),
    "IntegerField": (-2147483648, 2147483647),
    "PositiveIntegerField": (0, 2147483647),
    "BigIntegerField": (-9223372036854775808, 9223372036854775807),
    "PositiveBigIntegerField": (0, 9223372036854775807),
}
INTEGER_MESSAGE = _("Giá trị phải trong khoảng {low}–{high}.")


def integer_problem(model_field, value) -> str | None:
    """The message for an integer the model field's column cannot hold, or ``None``. The field's own
    validators speak first ("≤ 500 delegates"), the column's range otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or model_field is None:
        return None
    bounds = _INTEGER_RANGES.get(model_field.get_internal_type())
    if bounds and not bounds[0] <= value <= bounds[1]:
        try:
            model_field.run_validators(value)
        except ValidationError as exc:
            return exc.messages[0]
        return str(INTEGER_MESSAGE).format(
            low=f"{bounds[0]:,}".replace(",", "."), high=f"{bounds[1]:,}".replace(",", ".")
        )
    return None


def text_errors(data: dict, *, multiline_fields: frozenset[str] | set[str] = frozenset()) -> dict[str, list]:
    """``{field: [message]}`` for every string of ``data`` with control characters and every date outside
    the accepted years."""
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if isinstance(value, str):
            message = text_problem(value, multiline=name in multiline_fields)
        else:
            message = date_problem(value)
        if message:
            errors[name] = [message]
    return errors

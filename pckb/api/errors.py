"""How the API answers errors: one body shape (``{"detail": …}``) and one status per kind of fault."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as NinjaValidationError

from pckb.core.errors import DomainError


class ErrorOut(Schema):
    detail: Any


class ApiValidationError(Exception):
    """Bad input: answered 422 with ``{"detail": {field: [messages]}}`` (or a list of messages)."""

    def __init__(self, detail):
        super().__init__("validation error")
        self.detail = detail


def validation_detail(exc: ValidationError) -> Any:
    return exc.message_dict if hasattr(exc, "error_dict") else exc.messages


#: Pydantic's error types, said in Vietnamese; others keep pydantic's own message.
SCHEMA_MESSAGES = {
    "missing": "Thiếu trường bắt buộc.",
    "string_type": "Phải là chuỗi ký tự.",
    "int_type": "Phải là số nguyên.",
    "int_parsing": "Phải là số nguyên.",
    "float_parsing": "Phải là số.",
    "bool_parsing": "Phải là true hoặc false.",
    "date_from_datetime_parsing": "Ngày không hợp lệ (YYYY-MM-DD).",
    "date_parsing": "Ngày không hợp lệ (YYYY-MM-DD).",
    "datetime_parsing": "Thời điểm không hợp lệ (ISO 8601).",
    "datetime_from_date_parsing": "Thời điểm không hợp lệ (ISO 8601).",
    "string_too_long": "Dài quá {max_length} ký tự.",
    "greater_than_equal": "Phải từ {ge} trở lên.",
    "less_than_equal": "Phải không quá {le}.",
    "enum": "Giá trị không có trong danh sách cho phép.",
    "literal_error": "Giá trị không có trong danh sách cho phép.",
    "list_type": "Phải là một danh sách.",
    "too_short": "Cần ít nhất {min_length} phần tử.",
    "too_long": "Nhiều nhất {max_length} phần tử.",
    "json_invalid": "Nội dung không phải JSON hợp lệ.",
}


def schema_detail(errors: list[dict]) -> dict[str, list[str]]:
    """Pydantic's list of errors as ``{field: [messages]}``, the shape every other 422 of the API has. A
    ``null`` for a field that must have a value says so plainly."""
    detail: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        # An item of a list (``supporting_agencies.0``) is reported under its list, by position (from 1).
        positions = []
        while loc and loc[-1].isdigit():
            positions.insert(0, int(loc.pop()) + 1)
        field = loc[-1] if loc else "__all__"
        kind = error.get("type", "")
        if error.get("null"):
            message = "Không được để trống."
        else:
            template = SCHEMA_MESSAGES.get(kind)
            try:
                message = template.format(**(error.get("ctx") or {})) if template else error.get("msg", "")
            except (KeyError, IndexError):
                message = error.get("msg", "")
        if positions:
            message = "Phần tử thứ {n}: {message}".format(n=".".join(map(str, positions)), message=message)
        detail.setdefault(field, []).append(message)
    return detail


class ProductAPI(NinjaAPI):
    """django-ninja's API, keeping one fact its validation errors drop with their input: that a field was sent
    as ``null`` (so the answer can say "Không được để trống." rather than "Phải là chuỗi ký tự.")."""

    def validation_error_from_error_contexts(self, error_contexts):
        nulls = {
            tuple(str(part) for part in error["loc"])
            for context in error_contexts
            for error in context.pydantic_validation_error.errors(include_url=False)
            if error.get("input", ...) is None
        }
        exc = super().validation_error_from_error_contexts(error_contexts)
        for error in exc.errors:
            loc = tuple(str(part) for part in error.get("loc", ()))
            if any(loc[-len(n) :] == n for n in nulls if n):
                error["null"] = True
        return exc


def install_error_handlers(api: NinjaAPI) -> None:
    """Bad input is a 422 with the messages by field; an unknown or hidden object is the same 404."""

    @api.exception_handler(NinjaValidationError)
    def schema_invalid(request, exc):
        return api.create_response(request, {"detail": schema_detail(exc.errors)}, status=422)

    @api.exception_handler(ApiValidationError)
    def invalid(request, exc):
        return api.create_response(request, {"detail": exc.detail}, status=422)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)

    @api.exception_handler(DomainError)
    def domain_error(request, exc):
        """Services raise domain errors (``pckb.core.errors``); each carries the status it maps to."""
        return api.create_response(request, {"detail": str(exc) or "Không tìm thấy."}, status=exc.status)

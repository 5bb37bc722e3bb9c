"""How the API answers errors: one body shape (``{"detail": …}``) and one status per kind of fault."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import NinjaAPI, Schema

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


def install_error_handlers(api: NinjaAPI) -> None:
    """Bad input is a 422 with the messages; an unknown or hidden object is the same 404."""

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

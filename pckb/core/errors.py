"""Domain errors raised by services. They say what went wrong in the domain, not which HTTP status to send.

Views and the API map them in one place each (``DomainErrorMiddleware`` for pages, an exception handler in
``pckb.api.urls``): ``NotFound`` → 404 (also for "exists but not yours", so existence does not leak),
``PermissionDenied`` → 403, ``Conflict`` → 409. Invalid input stays Django's ``ValidationError`` (raised by
models' ``clean()`` too), which forms show beside the field and the API answers with 422.
"""

from __future__ import annotations

from django.core import exceptions as django_exceptions
from django.core.exceptions import ValidationError  # re-exported: the domain's "invalid input" error

__all__ = ["Conflict", "DomainError", "NotFound", "PermissionDenied", "ValidationError"]


class DomainError(Exception):
    """Base of the errors a service raises on purpose; ``status`` is the HTTP status views map it to."""

    status = 400
    default_message = ""

    def __init__(self, message: str = ""):
        self.message = str(message or self.default_message)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """The object does not exist *or* the actor may not see it (the same answer for both)."""

    status = 404


class PermissionDenied(DomainError, django_exceptions.PermissionDenied):
    """The actor may not perform this action. Also a Django ``PermissionDenied`` so existing handlers
    (pages: 403; the generic API: 403) keep working."""

    status = 403


class Conflict(DomainError):
    """The action clashes with the current state (already done, already closed, still referenced)."""

    status = 409

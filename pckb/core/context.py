"""Request context (who, from where, which request) for audit and logs, carried in a context variable."""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    ip: str | None = None
    user_agent: str = ""
    source: str = "system"  # "web", "api", "cli", "worker", "system"


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("pckb_request", default=None)


def current() -> RequestContext:
    return _current.get() or RequestContext()


def activate(ctx: RequestContext) -> contextvars.Token:
    return _current.set(ctx)


def deactivate(token: contextvars.Token) -> None:
    _current.reset(token)

"""Binds each request to a RequestContext (request id, client address) for audit and logs."""

import ipaddress

from pckb.core import context


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address, proxies) -> bool:
    return address is not None and any(address in ipaddress.ip_network(p, strict=False) for p in proxies)


def client_ip(request) -> str:
    """The client's address: the TCP peer, unless the peer is a configured proxy (``PCKB_TRUSTED_PROXIES``).

    Behind trusted proxies, ``X-Forwarded-For`` is read from the right: the first address that is not itself
    a trusted proxy is the client. Whatever a client writes at the left of the header is ignored, so rotating
    it changes nothing; with no trusted proxy (the default) the header is not read at all."""
    from django.conf import settings

    peer = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "PCKB_TRUSTED_PROXIES", [])
    if not proxies or not _trusted(_address(peer), proxies):
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([part for part in forwarded if part]):
        address = _address(hop)
        if address is None:
            return peer  # a malformed chain: fall back to the proxy itself, never to client-written text
        if not _trusted(address, proxies):
            return str(address)
    return peer


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = "api" if request.path.startswith("/api/") else "web"
        ctx = context.RequestContext(
            request_id=request.headers.get("X-Request-ID", "")[:64] or context.RequestContext().request_id,
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:200],
            source=source,
        )
        token = context.activate(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.deactivate(token)
        response["X-Request-ID"] = ctx.request_id
        return response


class DefaultLanguageMiddleware:
    """Vietnamese unless the user chose another language (cookie set by /i18n/setlang/).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: officials on an
    English-language browser still get the Vietnamese interface by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):  # never leaks into the next request on this thread
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class DomainErrorMiddleware:
    """Maps the services' domain errors (``pckb.core.errors``) to HTTP for pages: ``NotFound`` → the
    ordinary 404 page, ``PermissionDenied`` → 403, any other ``DomainError`` → its ``status`` with the
    message. (The API maps the same errors in ``pckb.api.urls``.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404, HttpResponse

        from pckb.core import errors

        if isinstance(exception, errors.NotFound):
            raise Http404(str(exception)) from exception
        if isinstance(exception, errors.PermissionDenied):
            raise PermissionDenied(str(exception)) from exception
        if isinstance(exception, errors.DomainError):
            return HttpResponse(
                str(exception), status=exception.status, content_type="text/plain; charset=utf-8"
            )
        return None

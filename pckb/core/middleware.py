"""Binds each request to a RequestContext (request id, client address) for audit and logs."""

from pckb.core import context


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


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

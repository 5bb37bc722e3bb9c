"""Who may read the API description (``/api/v1/openapi.json``) and its interactive docs (``/api/v1/docs``).

In development (DEBUG) anyone on the machine; in production only a signed-in user (browser session) or a
caller with a valid API token: the document lists every route and field of the product."""

from functools import wraps

from django.conf import settings
from django.http import JsonResponse


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return True
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        from pckb.accounts.services import api_token_user

        return api_token_user(token.strip()) is not None
    return False


def docs_access(view):
    """``NinjaAPI(docs_decorator=…)``: 401 for an anonymous caller unless DEBUG."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.DEBUG or _signed_in(request):
            return view(request, *args, **kwargs)
        return JsonResponse({"detail": "Cần đăng nhập (hoặc mã API) để xem tài liệu API."}, status=401)

    return wrapped

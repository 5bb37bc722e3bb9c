from django.http import Http404
from ninja import NinjaAPI

from pckb.api.auth import ContentSessionAuth, TokenAuth
from pckb.api.crud import ApiValidationError
from pckb.api.docs import docs_access

api = NinjaAPI(
    title="PCKB Hub API",
    version="1",
    description="API của PCKB Hub. Xác thực: POST /api/v1/auth/token rồi gửi 'Authorization: Bearer <mã>'.",
    auth=[TokenAuth(), ContentSessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=docs_access,  # not public in production
)


@api.exception_handler(ApiValidationError)
def invalid(request, exc):
    return api.create_response(request, {"detail": exc.detail}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


def _add_routers() -> None:
    from pckb.accounts.api import router as accounts_router
    from pckb.directory.api import router as directory_router
    from pckb.geo.api import router as geo_router
    from pckb.training.api import router as training_router

    api.add_router("/auth", accounts_router)
    api.add_router("/", geo_router)
    api.add_router("/", directory_router)
    api.add_router("/", training_router)


_add_routers()

"""The project's API (/api/v1/): one NinjaAPI with the base's authentication and error answers, and the
router of every installed app that registers one."""


from pckb.api.auth import ContentSessionAuth, TokenAuth
from pckb.api.docs import docs_access
from pckb.api.errors import ProductAPI, install_error_handlers
from pckb.core import registry

api = ProductAPI(
    title="PCKB Hub API",
    version="1",
    description="API của PCKB Hub. Xác thực: POST /api/v1/auth/token rồi gửi 'Authorization: Bearer <mã>'.",
    auth=[TokenAuth(), ContentSessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=docs_access,  # not public in production
)
install_error_handlers(api)
for prefix, router in registry.api_routers():
    api.add_router(prefix, router)

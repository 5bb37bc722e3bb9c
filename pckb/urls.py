from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from pckb.api.urls import api
from pckb.core.views import healthz

urlpatterns = [
    path("", include("pckb.core.urls")),
    path("healthz", healthz, name="healthz"),
    path("tai-khoan/", include("pckb.accounts.urls")),
    path("to-chuc/", include("pckb.directory.urls")),
    path("don-vi-hanh-chinh/", include("pckb.geo.urls")),
    path("nhat-ky/", include("pckb.audit.urls")),
    path("tap-huan/", include("pckb.training.urls")),
    path("thong-bao/", include("pckb.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
]

"""The project's URL wiring: the start page, each installed app's pages under the prefix its registration
names, and the API."""

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from pckb.api.urls import api
from pckb.core import registry
from pckb.core.views import healthz

urlpatterns = [
    path("", include("pckb.core.urls")),
    path("healthz", healthz, name="healthz"),
    *(path(prefix, include(module)) for prefix, module in registry.url_modules()),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
]

"""``Cache-Control: no-store`` on what a browser, a proxy or a shared computer must not keep.

Pages, exports and API answers of a signed-in user (session or API token) and the delegates' personal-code
pages hold personal or classified data: they are never stored. Other dynamic answers get ``no-store`` too
unless their view chose a caching policy itself. Static files are served before this middleware runs."""

from django.utils.cache import patch_cache_control

#: Pages reached with a personal code (the delegate's page, tests, own certificate).
PERSONAL_PREFIXES = ("/tap-huan/ma/",)


def _personal(request) -> bool:
    if request.headers.get("Authorization"):
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return request.path.startswith(PERSONAL_PREFIXES)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _personal(request):
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(response, no_store=True, private=True)
        elif "Cache-Control" not in response:
            patch_cache_control(response, no_store=True)
        return response

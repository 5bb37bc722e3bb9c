"""The crawler: log in as every demo role, visit every page and API endpoint, and prove that no object
outside the role's scope or clearance ever appears — not on a list, a detail page, a form's choices, an
export, a history panel, nor in the API — and that every such object answers 404."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pckb.core import access
from pckb.directory.models import Agency, Committee, Decision, Person
from pckb.protection.models import Target
from pckb.training.models import Conference
from tests.support.demo import ROLES

#: Models whose names are checked for leaks, and the attribute that names them.
NAMED = [
    (Person, "full_name"),
    (Committee, "name"),
    (Agency, "name"),
    (Decision, "number"),
    (Conference, "title"),
    (Target, "name"),
]
SKIP_PATTERNS = {"logout", "set_language", "javascript-catalog", "healthz"}


def static_urls() -> list[str]:
    """Every URL pattern that takes no argument (list pages, forms, start page, API lists)."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name and p.name not in SKIP_PATTERNS:
                route = prefix + str(p.pattern)
                if "<" not in route and not re.search(r"[\^\$\(]", route):
                    found.append("/" + route)

    walk(get_resolver().url_patterns)
    return sorted(set(found))


def object_urls(obj, forms: bool = True) -> list[str]:
    label = obj._meta.model_name
    urls = [obj.get_absolute_url()]
    for suffix in ("edit", "delete") if forms else ():
        try:
            urls.append(reverse(f"{obj._meta.app_label}:{label}_{suffix}", args=[obj.pk]))
        except Exception:  # noqa: BLE001, S112 - the model has no such page
            continue
    return urls


API_PREFIX = {
    Person: "people",
    Committee: "committees",
    Agency: "agencies",
    Decision: "decisions",
    Conference: "training/conferences",
    Target: "protection/targets",
}


def forbidden_and_visible(user) -> tuple[set[str], set[str]]:
    forbidden, visible = set(), set()
    for model, attr in NAMED:
        shown = access.restrict(model.objects.all(), user, access.VIEW)
        visible |= {getattr(o, attr) for o in shown}
        forbidden |= {getattr(o, attr) for o in model.objects.exclude(pk__in=shown.values("pk"))}
    # A hidden name that is part of a visible one (e.g. a short agency name) cannot be told apart.
    forbidden = {f for f in forbidden if len(f) >= 6 and not any(f in v for v in visible)}
    return forbidden, visible


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("username", ROLES)
def test_no_object_outside_scope_or_clearance_appears(client, users, username, api_client):
    user = users[username]
    client.force_login(user)
    api = api_client(username)
    forbidden, _visible = forbidden_and_visible(user)
    if username == "vptt.quocgia":
        assert not forbidden, "the national office sees everything"
    else:
        assert forbidden, "every other demo role has something it must not see"

    pages = static_urls()
    pages += [
        f"{u}?export=csv"
        for u in pages
        if u.endswith(("/ban-chi-dao/", "/co-quan/", "/can-bo/", "/muc-tieu/", "/danh-gia-rui-ro/"))
    ]
    pages += [f"/api/v1/{p}/?page_size=500" for p in API_PREFIX.values()]
    hidden_objects = []
    for model, _attr in NAMED:
        shown_ids = set(access.restrict(model.objects.all(), user, access.VIEW).values_list("pk", flat=True))
        for n, obj in enumerate(model.objects.filter(pk__in=shown_ids).order_by("pk")):
            # Every detail page; the edit and delete forms of a few objects per model.
            pages += object_urls(obj, forms=n < 3)
            pages.append(f"/api/v1/{API_PREFIX[model]}/{obj.pk}")
        hidden_objects += list(model.objects.exclude(pk__in=shown_ids))
    for committee in access.restrict(Committee.objects.all(), user):
        pages += [
            f"{committee.get_absolute_url()}?ngay=20/09/2025",
            f"/api/v1/committees/{committee.pk}/members",
        ]

    visited = 0
    for url in pages:
        response = (api if url.startswith("/api/") else client).get(url)
        assert response.status_code in {200, 302, 404, 405}, (url, response.status_code)
        if response.status_code != 200:
            continue
        visited += 1
        text = body(response)
        leaked = [name for name in forbidden if name in text]
        assert not leaked, f"{username} sees {leaked[:3]} on {url}"
    assert visited > 10

    for n, obj in enumerate(hidden_objects):
        for url in object_urls(obj, forms=n % 10 == 0):
            assert client.get(url).status_code == 404, (username, url)
        assert api.get(f"/api/v1/{API_PREFIX[type(obj)]}/{obj.pk}").status_code == 404

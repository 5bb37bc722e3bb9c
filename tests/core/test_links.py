"""Every link shown is a link that opens: log in as each demo role, start at the start page and follow every
link inside the product (breadth first, a bounded number of pages), and fail on any 403 or 404 — a button
that leads to a refusal is a defect (the link must be computed from the same check as the page it opens)."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.support.demo import ROLES

#: Pages visited per role; the demo's pages are reached well within it.
LIMIT = 400
#: Links that are not pages to read: they act (log out, change language) or stream a file of every row.
SKIP = (
    re.compile(r"^/tai-khoan/dang-xuat/"),
    re.compile(r"^/i18n/"),
    re.compile(r"^/static/"),
    re.compile(r"^/api/v1/"),
    re.compile(r"[?&]xuat="),  # exports are checked by the export tests
)
HREF = re.compile(r'href="([^"#][^"]*)"')


def internal_links(html: str) -> list[str]:
    found = []
    for raw in HREF.findall(html):
        url = urldefrag(raw.replace("&amp;", "&"))[0]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/"):
            continue
        if any(p.search(url) for p in SKIP):
            continue
        found.append(url)
    return found


@pytest.mark.parametrize("username", [r for r in ROLES if r != "quantri"])
def test_every_link_shown_opens(client, users, username):
    client.force_login(users[username])
    seen = {"/"}
    queue = deque(["/"])
    refused = []
    visited = 0
    while queue and visited < LIMIT:
        url = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code in (403, 404):
            refused.append((url, response.status_code, getattr(response, "referrer", "")))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in internal_links(response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    assert not refused, f"{username}: links shown that are refused: {refused}"
    assert visited > 5


@pytest.mark.parametrize("username", [r for r in ROLES if r != "quantri"])
def test_every_map_popup_link_opens(client, users, username):
    """The map's popups link each target and event stop to its record: every one of them opens."""
    client.force_login(users[username])
    response = client.get("/bao-ve/ban-do/du-lieu.geojson", {"zoom": "16", "su_kien": "tat-ca"})
    if response.status_code == 404:  # a role without the register has no map
        assert "/bao-ve/ban-do/" not in client.get("/").content.decode()
        return
    urls = {f["properties"]["url"] for f in response.json()["features"] if "url" in f["properties"]}
    assert urls, f"{username}: the demo shows something on the map"
    refused = [url for url in urls if client.get(url).status_code != 200]
    assert not refused, f"{username}: map links refused: {refused}"

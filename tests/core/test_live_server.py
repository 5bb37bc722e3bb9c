"""Concurrent requests from one signed-in browser do not fail on the embedded database.

A browser sends several requests at once (a form post while an htmx suggestion is still loading), and
a request may save the session (the idle timeout's refresh). On SQLite each request must wait for the
other's write lock, as production does with ``busy_timeout``, rather than fail with "database table is
locked" and answer 500 (which the training walk-through met in CI).
"""

from __future__ import annotations

import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_requests_of_one_session_all_succeed(live_server, client, django_user_model):
    from pckb.core.choices import Classification

    user = django_user_model.objects.create_user(
        username="dong.thoi", password="mat-khau-rat-dai-1", clearance=Classification.NORMAL
    )
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    def fetch(_: int) -> int:
        request = urllib.request.Request(live_server.url + "/", headers={"Cookie": cookie})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback only)
                return response.status
        except urllib.error.HTTPError as err:
            return err.code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(fetch, range(48)))
    assert statuses == [200] * 48

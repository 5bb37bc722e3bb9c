"""Shared fixtures. The demo organisation is loaded once per test session into the test database; each
test runs in a transaction that is rolled back, so tests see the same demo data and never each other's."""

from pathlib import Path

import pytest

from tests.support.demo import DEMO_PASSWORD


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Build the .mo files from the committed .po files, as `make test` and `pckb setup` do."""
    from django.core.management import call_command

    call_command("compile_translations", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    from pckb.demo.services import demo_load

    with django_db_blocker.unblock():
        demo_load(
            password=DEMO_PASSWORD, accounts_file=Path(tmp_path_factory.mktemp("demo")) / "accounts.txt"
        )


@pytest.fixture
def users(db):
    from pckb.accounts.models import User

    return {u.username: u for u in User.objects.select_related("scope_unit", "person")}


@pytest.fixture
def login(client, users):
    """``login("vptt.cantho")`` logs the test client in as that demo account and returns the user."""

    def _login(username: str):
        user = users[username]
        client.force_login(user)
        return user

    return _login


@pytest.fixture
def api_client(users):
    """An API client with a bearer token for a demo account: ``api_client("vptt.cantho").get(url)``."""
    from django.test import Client

    from pckb.accounts.services import api_token_issue

    def _client(username: str) -> Client:
        key, _token = api_token_issue(user=users[username])
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    return _client


@pytest.fixture(autouse=True)
def fresh_cache():
    """On the production path the cache is Redis, which a test's database rollback does not undo: rate-limit
    counters left by one test (failed logins from 127.0.0.1) would refuse the next test's requests. Each test
    starts with an empty Redis cache (the database cache of the embedded default rolls back by itself)."""
    from django.conf import settings

    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        from django.core.cache import cache

        cache.clear()
    yield


@pytest.fixture
def one_window(monkeypatch):
    """Hold the rate limiter's clock in the middle of one window: 31 requests on a slow machine could
    otherwise straddle the minute boundary and be counted in two windows."""
    import time

    from pckb.core import ratelimit

    held = (int(time.time() // 60) + 0.5) * 60
    monkeypatch.setattr(ratelimit, "_now", lambda: held)

"""The whole API, driven by schemathesis from its own OpenAPI document, in-process (WSGI): whatever a
client sends, the answer is never a server error. Bounded so the run stays short on one core."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode

#: Generated cases per operation, account and generation mode (valid and invalid requests).
EXAMPLES = 25


@pytest.fixture
def api_schema(db, settings):
    from django.core import signals
    from django.db import close_old_connections

    from pckb.api.urls import api

    settings.ALLOWED_HOSTS = ["localhost", "testserver"]  # schemathesis' WSGI client sends Host: localhost
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = WSGIHandler()
    # As Django's test client does: keep the test's connection (and its transaction) across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schema
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _bearer(user) -> dict:
    from pckb.accounts.services import api_token_issue

    key, _token = api_token_issue(user=user)
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def national_office(users):
    return _bearer(users["vptt.quocgia"])


@pytest.fixture
def provincial_office(users):
    return _bearer(users["vptt.cantho"])


BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    suppress_health_check=list(HealthCheck),
)


def _server_errors(schema, headers: dict) -> list[str]:
    """Drive every operation with valid and invalid generated requests; return each 5xx found."""
    found: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        strategy = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @BOUNDED
        @given(case=strategy)
        def run(case):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                found.append(f"{response.status_code} {case.as_curl_command(headers=headers)}")

        run()
    return found


def test_national_office_never_gets_a_server_error(api_schema, national_office):
    assert _server_errors(api_schema, national_office) == []


def test_provincial_office_never_gets_a_server_error(api_schema, provincial_office):
    assert _server_errors(api_schema, provincial_office) == []

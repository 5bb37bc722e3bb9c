"""Fixtures of the live tests: the demo organisation committed to the test database (servers in other
threads and processes read it), a visible and an invisible object for the Cần Thơ standing office."""

from __future__ import annotations

import pytest

from tests.support.demo import DEMO_PASSWORD


@pytest.fixture
def demo(transactional_db, tmp_path):
    """The demo organisation, loaded into the (flushed) test database for this test."""
    from pckb.demo.services import demo_load

    demo_load(password=DEMO_PASSWORD, accounts_file=tmp_path / "demo-accounts.txt")


@pytest.fixture
def cantho(demo):
    from pckb.accounts.models import User

    return User.objects.select_related("scope_unit", "person").get(username="vptt.cantho")


@pytest.fixture
def targets(cantho):
    """A key target the Cần Thơ office sees (Cần Thơ) and one it does not (TP.HCM)."""
    from pckb.core import access
    from pckb.protection.models import Target

    visible = access.restrict(Target.objects.all(), cantho).order_by("pk").first()
    hidden = Target.objects.exclude(pk__in=access.restrict(Target.objects.all(), cantho).values("pk"))
    hidden = hidden.order_by("pk").first()
    assert visible is not None and hidden is not None
    return visible, hidden


@pytest.fixture
def fresh_broker():
    from pckb.live.broker import reset_broker

    reset_broker()
    yield
    reset_broker()

"""Domain events leave on commit; outermost services own a durable transaction; services raise domain
errors, which pages and the API map to 404/403."""

from __future__ import annotations

import pytest
from django.db import transaction

from pckb.core import errors, events, services
from pckb.directory.models import Agency
from pckb.geo.models import AdministrativeUnit

SEEN: list[dict] = []


@events.receiver("test.happened")
def _record(**payload):
    SEEN.append(payload)


@events.receiver("test.happened")
def _explode(**payload):
    raise RuntimeError("a broken handler")


@events.receiver("test.happened")
def _record_again(**payload):
    SEEN.append({"again": payload["n"]})


@pytest.fixture(autouse=True)
def _clear():
    SEEN.clear()


@pytest.mark.django_db(transaction=True)
def test_handlers_run_after_commit_only_and_a_broken_one_stops_no_other():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        events.emit("test.happened", n=1)
        1 / 0  # noqa: B018 - the transaction fails
    assert SEEN == []

    with transaction.atomic():
        events.emit("test.happened", n=2)
        assert SEEN == []  # not before the commit
    assert SEEN == [{"n": 2}, {"again": 2}]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_an_outer_transaction_rolls_back_after_an_inner_one_succeeded():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        with transaction.atomic():
            events.emit("test.happened", n=3)
        1 / 0  # noqa: B018
    assert SEEN == []


def test_registering_the_same_handler_twice_keeps_one():
    before = len(events.handlers_for("test.happened"))
    events.receiver("test.happened")(_record)
    assert len(events.handlers_for("test.happened")) == before == 3


def test_outermost_service_is_durable_and_a_nested_one_joins(db):
    assert not services.in_service_transaction()
    with services.service_transaction():
        assert transaction.get_connection().atomic_blocks[-1].durable
        with services.service_transaction():
            assert not transaction.get_connection().atomic_blocks[-1].durable
    # Django itself refuses a durable block inside an application transaction
    with pytest.raises(RuntimeError), transaction.atomic(), transaction.atomic(durable=True):
        pass


def test_a_nested_service_write_rolls_back_with_its_caller(users):
    actor = users["vptt.cantho"]
    unit = AdministrativeUnit.objects.get(code="P92")
    with pytest.raises(ZeroDivisionError), services.service_transaction():
        services.object_create(
            actor=actor, instance=Agency(name="Cơ quan thử lồng nhau", kind="other", unit=unit)
        )
        1 / 0  # noqa: B018
    assert not Agency.objects.filter(name="Cơ quan thử lồng nhau").exists()


def test_services_raise_domain_errors_not_http_ones(users):
    hcm_agency = Agency.objects.filter(unit__code="P79").first()
    with pytest.raises(errors.NotFound) as exc:
        services.object_update(actor=users["vptt.cantho"], instance=hcm_agency, changes={"phone": "1"})
    assert "Không tìm thấy" in str(exc.value)
    with pytest.raises(errors.PermissionDenied):
        services.object_update(actor=users["xa.ninhkieu"], instance=hcm_agency, changes={"phone": "1"})
    hcm_agency.refresh_from_db()
    assert hcm_agency.phone != "1"


@pytest.mark.django_db(transaction=True)
def test_coalesced_events_run_once_per_transaction_and_again_after_a_rolled_back_savepoint():
    with transaction.atomic():
        for _ in range(5):
            events.emit("test.happened", coalesce=True, n=4)
        events.emit("test.happened", coalesce=True, n=5)  # another payload is another event
    assert SEEN == [{"n": 4}, {"again": 4}, {"n": 5}, {"again": 5}]

    SEEN.clear()
    with transaction.atomic():
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            events.emit("test.happened", coalesce=True, n=6)
            1 / 0  # noqa: B018 - the savepoint, and the event scheduled in it, roll back
        events.emit("test.happened", coalesce=True, n=6)
    assert SEEN == [{"n": 6}, {"again": 6}]

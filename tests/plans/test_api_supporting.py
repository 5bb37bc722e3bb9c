"""A task's supporting agencies (cơ quan phối hợp) through the API: read as the reader may see them, set on
create and update through the task's services, each agency checked through the access layer, audited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pckb.directory.models import Agency
from pckb.plans.models import Task
from tests.plans.builders import (
    TODAY,
    build_plans,
    hcm_police,
    health,
    make_item,
    make_plan,
    make_task,
    police,
)
from tests.support.api import patch, post
from tests.support.mixins import last_audit

OFFICE = "vptt.cantho"
TASKS = "/api/v1/plans/tasks/"


@pytest.fixture
def plans(db):
    return build_plans()


def new_task(items, **extra):
    return {
        "item": items["in"].pk,
        "title": "Nhiệm vụ phối hợp thử nghiệm",
        "lead_agency": police().pk,
        "deadline": TODAY.isoformat(),
        **extra,
    }


def test_get_and_list_show_supporting_agencies(api_client, plans):
    _plans, _items, tasks = plans
    office = api_client(OFFICE)
    assert office.get(f"{TASKS}{tasks['in'].pk}").json()["supporting_agencies"] == [health().pk]
    rows = office.get(TASKS, {"q": "Nhiệm vụ thử nghiệm Cần Thơ"}).json()["items"]
    assert [r["supporting_agencies"] for r in rows] == [[health().pk]]
    children = office.get(f"/api/v1/plans/items/{tasks['in'].item_id}/tasks").json()
    assert children[0]["supporting_agencies"] == [health().pk]


def test_an_unseen_supporting_agency_is_neither_named_nor_counted(api_client, plans):
    """TP.HCM's police supports a Cần Thơ task (set nationally): Cần Thơ's office never sees it."""
    _plans, _items, tasks = plans
    tasks["in"].supporting_agencies.add(hcm_police())
    response = api_client(OFFICE).get(f"{TASKS}{tasks['in'].pk}")
    assert response.json()["supporting_agencies"] == [health().pk]
    assert str(hcm_police().pk) not in str(response.json()["supporting_agencies"])
    national = api_client("vptt.quocgia").get(f"{TASKS}{tasks['in'].pk}").json()
    assert national["supporting_agencies"] == sorted([health().pk, hcm_police().pk])


def test_create_with_supporting_agencies_is_audited(api_client, plans):
    _plans, items, _tasks = plans
    # The lead agency sent as supporting too is dropped: it is never both.
    body = new_task(items, supporting_agencies=[health().pk, police().pk])
    response = post(api_client(OFFICE), TASKS, body)
    assert response.status_code == 201, response.content
    assert response.json()["supporting_agencies"] == [health().pk]
    task = Task.objects.get(pk=response.json()["id"])
    assert list(task.supporting_agencies.all()) == [health()]
    entry = last_audit()
    assert entry.action == "create" and entry.object_id == str(task.pk)
    assert entry.after["supporting_agencies"] == [health().pk]


def test_out_of_scope_agency_is_refused_by_name_of_field(api_client, plans):
    _plans, items, _tasks = plans
    before = Task.objects.count()
    body = new_task(items, supporting_agencies=[health().pk, hcm_police().pk])
    response = post(api_client(OFFICE), TASKS, body)
    assert response.status_code == 422, response.content
    [message] = response.json()["detail"]["supporting_agencies"]
    assert message.startswith("Cơ quan phối hợp:") and str(hcm_police().pk) in message
    assert "Hồ Chí Minh" not in response.content.decode()
    assert Task.objects.count() == before


@pytest.mark.parametrize("value", [[0], [9_000_000_000_000], ["x"], None, [1] * 201])
def test_malformed_list_is_422(api_client, plans, value):
    _plans, items, _tasks = plans
    before = Task.objects.count()
    response = post(api_client(OFFICE), TASKS, new_task(items, supporting_agencies=value))
    assert response.status_code == 422, response.content
    assert "supporting_agencies" in response.json()["detail"]
    assert Task.objects.count() == before


def test_patch_replaces_the_list_and_audits_it(api_client, plans):
    _plans, _items, tasks = plans
    task = tasks["in"]
    # Fire prevention (another agency the office may see) replaces health.
    fire = (
        Agency.objects.filter(unit__code="P92", merged_into__isnull=True)
        .exclude(pk__in=[police().pk, health().pk])
        .first()
    )
    response = patch(api_client(OFFICE), f"{TASKS}{task.pk}", {"supporting_agencies": [fire.pk]})
    assert response.status_code == 200, response.content
    assert response.json()["supporting_agencies"] == [fire.pk]
    assert list(task.supporting_agencies.all()) == [fire]
    entry = last_audit()
    assert entry.action == "update" and entry.object_id == str(task.pk)
    assert entry.before["supporting_agencies"] == [health().pk]
    assert entry.after["supporting_agencies"] == [fire.pk]
    # A PATCH without the list leaves it as it is.
    response = patch(api_client(OFFICE), f"{TASKS}{task.pk}", {"title": "Nhiệm vụ thử nghiệm đổi tên"})
    assert response.status_code == 200 and response.json()["supporting_agencies"] == [fire.pk]


def test_patch_keeps_an_agency_the_editor_cannot_see(api_client, plans):
    """Emptying the list removes what the office may see; TP.HCM's police is not the office's to remove."""
    _plans, _items, tasks = plans
    task = tasks["in"]
    task.supporting_agencies.add(hcm_police())
    response = patch(api_client(OFFICE), f"{TASKS}{task.pk}", {"supporting_agencies": []})
    assert response.status_code == 200, response.content
    assert response.json()["supporting_agencies"] == []
    assert list(task.supporting_agencies.all()) == [hcm_police()]


def test_patch_with_out_of_scope_agency_changes_nothing(api_client, plans):
    _plans, _items, tasks = plans
    task = tasks["in"]
    body = {"title": "Không được đổi", "supporting_agencies": [hcm_police().pk]}
    response = patch(api_client(OFFICE), f"{TASKS}{task.pk}", body)
    assert response.status_code == 422
    assert "supporting_agencies" in response.json()["detail"]
    task.refresh_from_db()
    assert task.title == "Nhiệm vụ thử nghiệm Cần Thơ" and list(task.supporting_agencies.all()) == [health()]


def test_web_edit_keeps_an_agency_the_editor_cannot_see(client, login, plans):
    """The same service behind the edit page: a hidden supporting agency survives the office's edit."""
    _plans, _items, tasks = plans
    task = tasks["in"]
    task.supporting_agencies.add(hcm_police())
    login(OFFICE)
    data = {
        "item": task.item_id,
        "title": "Nhiệm vụ thử nghiệm Cần Thơ",
        "lead_agency": police().pk,
        "supporting_agencies": [],
        "deadline": task.deadline.strftime("%d/%m/%Y"),
    }
    response = client.post(reverse("plans:task_edit", args=[task.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(task.supporting_agencies.all()) == [hcm_police()]


def test_list_reads_the_lists_in_a_constant_number_of_queries(api_client, db):
    plan = make_plan("Kế hoạch đếm truy vấn thử nghiệm")
    item = make_item(plan, "Q-1", "Nội dung đếm truy vấn")
    office = api_client(OFFICE)
    office.get(TASKS, {"q": "đếm truy vấn"})  # first use: the token, the search index's presence

    def count(n):
        for i in range(n):
            make_task(item, f"Nhiệm vụ đếm truy vấn {i}", police(), supporting=[health()])
        with CaptureQueriesContext(connection) as queries:
            response = office.get(TASKS, {"q": "đếm truy vấn", "page_size": 100})
        assert response.status_code == 200
        assert all(r["supporting_agencies"] == [health().pk] for r in response.json()["items"])
        return len(queries)

    small = count(2)
    large = count(5)
    assert small == large, (small, large)

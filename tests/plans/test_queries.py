"""The plans pages run a fixed number of queries, whatever the number of tasks, agencies and updates."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pckb.plans.models import Task
from tests.plans.builders import health, make_task, make_update, police


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_plan_pages_do_not_grow_with_tasks(client, login, db):
    task = Task.objects.filter(item__plan__committee__unit__code="P92", updates__isnull=False).first()
    item, plan = task.item, task.item.plan
    urls = [
        "/",
        plan.get_absolute_url(),
        item.get_absolute_url(),
        task.get_absolute_url(),
        "/ke-hoach/nhiem-vu/",
        "/ke-hoach/nhiem-vu/qua-han/",
        "/api/v1/plans/tasks/",
    ]
    login("vptt.cantho")
    for url in urls:
        client.get(url)
    before = [count(client, url) for url in urls]
    for i in range(40):
        extra = make_task(item, f"Nhiệm vụ thêm {i}", police(), days=i - 20, supporting=[health()])
        make_update(extra, percent=10)
        make_update(task, percent=min(100, i))
    assert [count(client, url) for url in urls] == before

"""One task list per agency: an inspection finding and a corrective action after an incident become tasks of
the plans module through one service, once each, for the agency that owns them, under the right committee;
who may not add tasks or see the source gets a 404."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pckb.plans.models import Task
from pckb.protection.models import Inspection
from pckb.response.models import CorrectiveAction
from tests.plans.builders import committee
from tests.protection.test_plans import finding, police, targets
from tests.response.test_incident import closed_incident, health

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def url(app_label, model, pk):
    return reverse("plans:task_from_source", args=[app_label, model, pk])


def test_a_finding_becomes_one_task_of_its_owner_agency(client, users):
    target = targets()["ct"]
    inspection = Inspection.objects.create(
        target=target, date=TODAY, inspecting_agency=police("ct"), participants="Đoàn kiểm tra Sigma"
    )
    item = finding(inspection, police("ct"), due_in=10)
    client.force_login(users["vptt.cantho"])
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert url("protection", "finding", item.pk) in page
    response = client.post(url("protection", "finding", item.pk))
    task = Task.objects.get(source_id=item.pk, source_type__model="finding")
    assert response["Location"] == task.get_absolute_url()
    assert task.committee == committee("P92")
    assert task.lead_agency == police("ct") and task.deadline == TODAY + dt.timedelta(days=10)
    assert task.title == "Khắc phục sau kiểm tra: Thay camera cổng chính"
    assert task.item is None
    # Now the finding links to its task, and a second try is refused with nothing added.
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert task.get_absolute_url() in page and url("protection", "finding", item.pk) not in page
    again = client.post(url("protection", "finding", item.pk), follow=True)
    assert "Việc này đã được giao thành nhiệm vụ." in again.content.decode()
    assert Task.objects.filter(source_id=item.pk, source_type__model="finding").count() == 1
    # The task is in the police's one task list.
    listing = client.get(reverse("plans:task_list"), {"agency": police("ct").pk, "per_page": 100})
    assert task.get_absolute_url() in listing.content.decode()


def test_a_corrective_action_after_an_incident_becomes_a_task(client, users):
    incident = closed_incident("Sự cố thử khắc phục thành nhiệm vụ", "P92")
    action = CorrectiveAction.objects.create(
        incident=incident, action="Bổ sung camera bến xe", agency=health("P92"), due_date=TODAY
    )
    client.force_login(users["vptt.cantho"])
    assert (
        url("response", "correctiveaction", action.pk)
        in client.get(action.get_absolute_url()).content.decode()
    )
    client.post(url("response", "correctiveaction", action.pk))
    task = Task.objects.get(source_id=action.pk, source_type__model="correctiveaction")
    assert task.committee == incident.committee and task.lead_agency == health("P92")
    assert task.get_absolute_url() in client.get(action.get_absolute_url()).content.decode()


def test_who_may_not_add_tasks_or_see_the_source_gets_404(client, users):
    target = targets()["ct"]
    inspection = Inspection.objects.create(
        target=target, date=TODAY, inspecting_agency=police("ct"), participants="Đoàn kiểm tra Sigma"
    )
    item = finding(inspection, police("ct"))
    before = Task.objects.count()
    client.force_login(users["lanhdao.cantho"])  # reads the inspection, adds no task
    assert (
        url("protection", "finding", item.pk)
        not in client.get(inspection.get_absolute_url()).content.decode()
    )
    assert client.post(url("protection", "finding", item.pk)).status_code == 404
    client.force_login(users["vptt.hcm"])  # may add tasks, but not see Cần Thơ's finding
    assert client.post(url("protection", "finding", item.pk)).status_code == 404
    client.force_login(users["vptt.cantho"])
    assert client.post(url("directory", "person", 1)).status_code == 404  # not an outcome
    assert client.post(url("khong", "ton-tai", 1)).status_code == 404
    assert client.get(url("protection", "finding", item.pk)).status_code == 405
    assert Task.objects.count() == before

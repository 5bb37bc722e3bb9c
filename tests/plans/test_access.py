"""What people of each role see and may do in the plans module: a focal point only its own agency's tasks,
progress with an evidence file served through the access layer, the standing office's confirmation, the
to-do items and the overdue list, and a higher committee reading what a lower one implements."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pckb.accounts.models import User
from pckb.core.todo import todo_items
from pckb.directory.models import Agency
from pckb.plans.choices import TaskStatus
from pckb.plans.models import PlanItem, ProgressUpdate, Task
from tests.plans.builders import TODAY, hcm_police, health, make_item, make_plan, make_task, police
from tests.support.mixins import last_audit

FOCAL = "daumoi.cantho"  # focal point of the Cần Thơ health department
OFFICE = "vptt.cantho"


@pytest.fixture
def own(db):
    plan = make_plan("Kế hoạch kiểm thử quyền")
    item = make_item(plan, "K-1", "Nội dung kiểm thử quyền")
    return {
        "plan": plan,
        "item": item,
        "health_lead": make_task(item, "Y tế chủ trì kiểm thử", health(), days=3),
        "health_supports": make_task(
            item, "Công an chủ trì, Y tế phối hợp kiểm thử", police(), supporting=[health()]
        ),
        "police_only": make_task(item, "Chỉ Công an kiểm thử", police(), days=-4),
    }


def test_focal_point_sees_only_its_agency_tasks(client, login, own):
    login(FOCAL)
    page = client.get(reverse("plans:task_list"), {"q": "kiểm thử", "per_page": 100}).content.decode()
    assert "Y tế chủ trì kiểm thử" in page
    assert "Công an chủ trì, Y tế phối hợp kiểm thử" in page
    assert "Chỉ Công an kiểm thử" not in page
    assert client.get(own["police_only"].get_absolute_url()).status_code == 404
    assert client.get(own["health_lead"].get_absolute_url()).status_code == 200
    # …and the plan and its item, which are the committee's, not the agency's.
    assert client.get(own["plan"].get_absolute_url()).status_code == 200


def test_focal_point_reports_progress_with_a_file(client, login, own, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = own["health_supports"]
    login(FOCAL)
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Báo cáo tiến độ" in page and "Xác nhận hoàn thành" not in page
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban kiem thu", "application/pdf")
    response = client.post(
        reverse("plans:progressupdate_add"),
        {
            "task": task.pk,
            "date": TODAY.strftime("%d/%m/%Y"),
            "text": "Đã phối hợp khám",
            "percent": 100,
            "evidence": upload,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task.refresh_from_db()
    assert task.status == TaskStatus.AWAITING and task.percent == 100
    update = ProgressUpdate.objects.get(task=task)
    assert update.reported_by
    download = client.get(reverse("plans:evidence", args=[update.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    login("vptt.hcm")
    assert client.get(reverse("plans:evidence", args=[update.pk])).status_code == 404


def test_focal_point_cannot_report_on_another_agency_task(client, login, own):
    login(FOCAL)
    task = own["police_only"]
    response = client.post(
        reverse("plans:progressupdate_add"),
        {"task": task.pk, "date": TODAY.strftime("%d/%m/%Y"), "text": "Thử báo cáo hộ", "percent": 50},
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not ProgressUpdate.objects.filter(task=task).exists()
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_bad_percent_is_refused_in_vietnamese(client, login, own):
    login(FOCAL)
    task = own["health_lead"]
    response = client.post(
        reverse("plans:progressupdate_add"),
        {"task": task.pk, "date": TODAY.strftime("%d/%m/%Y"), "text": "Quá trăm", "percent": 150},
    )
    assert response.status_code == 200 and "100" in response.content.decode()
    assert not ProgressUpdate.objects.filter(task=task).exists()


def test_office_confirms_a_task_reported_complete(client, login, own, users):
    task = own["health_lead"]
    confirm = reverse("plans:task_confirm", args=[task.pk])
    login(OFFICE)
    client.post(confirm)  # not reported complete yet: refused, nothing changes
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED
    from pckb.plans.services import progress_report

    progress_report(
        actor=users[FOCAL], update=ProgressUpdate(task=task, date=TODAY, text="Xong", percent=100)
    )
    login(FOCAL)
    assert client.post(confirm).status_code == 404  # a focal point does not confirm
    login(OFFICE)
    response = client.post(confirm, follow=True)
    assert "Đã xác nhận hoàn thành" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.confirmed_on is not None
    assert last_audit().object_id == str(task.pk) and last_audit().after["status"] == "done"


def test_api_focal_point_reports_and_cannot_confirm(api_client, own):
    focal = api_client(FOCAL)
    task = own["health_lead"]
    response = focal.post(
        "/api/v1/plans/updates/",
        {"task": task.pk, "date": TODAY.isoformat(), "text": "Đang làm", "percent": 40},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Task.objects.get(pk=task.pk).status == TaskStatus.IN_PROGRESS
    other = focal.post(
        "/api/v1/plans/updates/",
        {"task": own["police_only"].pk, "date": TODAY.isoformat(), "text": "Hộ", "percent": 40},
        content_type="application/json",
    )
    assert other.status_code == 422
    assert (
        focal.post(f"/api/v1/plans/tasks/{task.pk}/confirm", {}, content_type="application/json").status_code
        == 404
    )
    ids = {t["id"] for t in focal.get("/api/v1/plans/tasks/", {"page_size": 100}).json()["items"]}
    assert task.pk in ids and own["police_only"].pk not in ids


def test_todo_lists_late_and_due_tasks_for_each_user(own, users):
    office = [i.text for i in todo_items(users[OFFICE])]
    assert any("Quá hạn 4 ngày: Chỉ Công an kiểm thử" in t for t in office)
    assert any("Y tế chủ trì kiểm thử" in t and "Hạn" in t for t in office)
    assert not any("Công an chủ trì, Y tế phối hợp kiểm thử" in t for t in office)  # due in 20 days
    focal = [i.text for i in todo_items(users[FOCAL])]
    assert any("Y tế chủ trì kiểm thử" in t for t in focal)
    assert not any("Chỉ Công an kiểm thử" in t for t in focal)
    assert not any("kiểm thử" in i.text for i in todo_items(users["vptt.hcm"]))


def test_overdue_page(client, login, own):
    Task.objects.filter(pk=own["health_lead"].pk).update(deadline=TODAY - dt.timedelta(days=2), status="done")
    login(OFFICE)
    page = client.get(reverse("plans:task_overdue")).content.decode()
    assert "Chỉ Công an kiểm thử" in page and "4 ngày" in page
    assert "Y tế chủ trì kiểm thử" not in page  # done: not late
    login(FOCAL)
    assert "Chỉ Công an kiểm thử" not in client.get(reverse("plans:task_overdue")).content.decode()


def test_national_office_sees_which_provinces_implement_its_items(client, login, users):
    national_item = PlanItem.objects.filter(
        plan__committee__level="national", implemented_by__isnull=False
    ).first()
    provincial = national_item.implemented_by.first()
    login("vptt.quocgia")
    page = client.get(national_item.get_absolute_url()).content.decode()
    assert "Kế hoạch cấp dưới thực hiện nội dung này" in page
    assert provincial.get_absolute_url() in page
    assert client.get(provincial.plan.get_absolute_url()).status_code == 200  # reads the lower plan
    login(OFFICE)
    page = client.get(provincial.get_absolute_url()).content.decode()
    assert national_item.get_absolute_url() not in page  # the national item is outside Cần Thơ's scope
    # …but Cần Thơ chose it by name (plans.selectors.implementable_items): named, not linked.
    assert f"{national_item.plan} — {national_item}" in page
    login("vptt.hcm")
    assert client.get(provincial.get_absolute_url()).status_code == 404


def test_item_cannot_implement_an_item_of_its_own_plan(own):
    from django.core.exceptions import ValidationError

    item = PlanItem(plan=own["plan"], number="K-2", title="Tự thực hiện", implements=own["item"])
    with pytest.raises(ValidationError, match="cấp trên"):
        item.full_clean()


def test_demo_has_tasks_in_every_state(db):
    states = set(
        Task.objects.filter(item__plan__committee__unit__code="P92").values_list("status", flat=True)
    )
    assert states >= {s.value for s in TaskStatus}
    late = [t for t in Task.objects.all() if t.is_overdue()]
    assert late and User.objects.filter(username=FOCAL).exists()


def test_grants_of_each_role(users):
    from pckb.core import access
    from pckb.plans.models import Plan

    def actions(username, model):
        return set(access.actions_for(users[username], model))

    assert actions(OFFICE, Task) == set(access.ALL_ACTIONS)
    assert actions(OFFICE, ProgressUpdate) == {"view", "add", "export"}  # never changed or deleted
    assert actions("lanhdao.cantho", Plan) == {"view", "export"}
    assert actions(FOCAL, Plan) == actions(FOCAL, PlanItem) == actions(FOCAL, Task) == {"view"}
    assert actions(FOCAL, ProgressUpdate) == {"view", "add"}
    assert actions("xa.ninhkieu", ProgressUpdate) == {"view"}
    assert actions("quantri", Task) == set()


def agency_choices(response) -> set[str]:
    """The names the task list's agency filter offers."""
    html = response.content.decode()
    select = re.search(r'<select name="agency".*?</select>', html, flags=re.S).group(0)
    return {name.strip() for name in re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)}


def test_agency_filter_lists_lead_and_supporting_tasks(client, login, own):
    login(OFFICE)
    page = client.get(reverse("plans:task_list"), {"agency": health().pk, "per_page": 100}).content.decode()
    assert "Y tế chủ trì kiểm thử" in page
    assert "Công an chủ trì, Y tế phối hợp kiểm thử" in page
    assert "Chỉ Công an kiểm thử" not in page


def test_agency_filter_offers_the_agencies_the_user_may_see_and_only_those(client, login, own):
    # A Cần Thơ task led by an agency of another province: the office sees the task, not that agency.
    make_task(own["item"], "Phối hợp liên tỉnh kiểm thử", hcm_police())
    idle = Agency.objects.create(
        name="Ban kiểm thử không có nhiệm vụ", kind=police().kind, unit=police().unit
    )
    login(OFFICE)
    offered = agency_choices(client.get(reverse("plans:task_list")))
    assert {health().name, police().name, idle.name} <= offered
    assert hcm_police().name not in offered
    # A focal point of the health department: the agencies of its province, whatever its own tasks.
    login(FOCAL)
    offered = agency_choices(client.get(reverse("plans:task_list")))
    assert {health().name, police().name, idle.name} <= offered
    assert hcm_police().name not in offered


def test_agency_filter_takes_any_agency_the_user_may_see_and_refuses_others(client, login, api_client, own):
    # An agency the user may see with no task is a valid choice with nothing to find; one the user may not
    # see is refused.
    idle = Agency.objects.create(name="Ban kiểm thử chưa có nhiệm vụ", kind=police().kind, unit=police().unit)
    api = api_client(OFFICE)
    assert api.get("/api/v1/plans/tasks/", {"agency": health().pk}).json()["items"]
    assert api.get("/api/v1/plans/tasks/", {"agency": idle.pk}).json()["items"] == []
    refused = api.get("/api/v1/plans/tasks/", {"agency": hcm_police().pk})
    assert refused.status_code == 422 and "agency" in refused.json()["detail"]
    login(OFFICE)
    page = client.get(reverse("plans:task_list"), {"agency": health().pk}).content.decode()
    assert f'<option value="{health().pk}" selected>' in page and "Y tế chủ trì kiểm thử" in page

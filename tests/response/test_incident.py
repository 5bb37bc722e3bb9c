"""Incidents: the permission matrix (web and API), opening from a report, plan activation into per-agency
checklists, acknowledgement (once), escalation on the timer, the append-only log, closure, the after-action
review with corrective actions, and the live-refresh fragments."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pckb.audit.models import AuditEntry
from pckb.core import events
from pckb.core.choices import Classification
from pckb.core.todo import todo_items
from pckb.directory.models import Agency, Position
from pckb.notifications.models import Notification
from pckb.response import services
from pckb.response.choices import ActionStatus, IncidentStatus, LogKind, PlanStatus, ReportStatus
from pckb.response.models import (
    ChecklistItem,
    CorrectiveAction,
    Incident,
    IncidentLogEntry,
    PlanPhase,
    PlanStep,
)
from tests.response.test_crud import committee, make_plan, make_report, police
from tests.support.mixins import (
    APITestCases,
    ChildMatrix,
    ReadOnlyAPIMatrix,
    ViewTestCases,
)


def make_incident(title, code, classification=Classification.NORMAL, **extra):
    return Incident.objects.create(
        title=title, committee=committee(code), classification=classification, **extra
    )


def health(code):
    return Agency.objects.filter(unit__code=code, name__startswith="Sở Y tế").order_by("pk").first()


def approved_plan(title="Phương án thử kích hoạt", code="P92", classification=Classification.NORMAL):
    """An approved plan of two phases: police steps (ack, escalating to the head) and a health step."""
    plan = make_plan(title, code, classification)
    head = Position.objects.filter(committee=plan.committee, role="head").first()
    first = PlanPhase.objects.create(plan=plan, order=1, title="Tiếp nhận")
    second = PlanPhase.objects.create(plan=plan, order=2, title="Xử lý ban đầu")
    PlanStep.objects.create(
        phase=first,
        order=1,
        agency=police(code),
        action="Xác minh tin báo thử",
        due_minutes=5,
        needs_ack=True,
        escalate_after=10,
        escalate_to=head,
    )
    PlanStep.objects.create(
        phase=second, order=1, agency=police(code), action="Lập vành đai thử", due_minutes=20, needs_ack=False
    )
    PlanStep.objects.create(
        phase=second,
        order=2,
        agency=health(code),
        action="Chuẩn bị xe cứu thương thử",
        due_minutes=30,
        needs_ack=True,
        escalate_after=15,
        escalate_to=head,
    )
    plan.status = PlanStatus.APPROVED
    plan.save()
    return plan


def closed_incident(title, code, classification=Classification.NORMAL):
    return make_incident(
        title,
        code,
        classification,
        status=IncidentStatus.CLOSED,
        closed_at=timezone.now(),
        closure_summary="Đã xử lý xong",
    )


# --- The permission matrix --------------------------------------------------------------------------------
class TestIncident(
    ViewTestCases,
    ViewTestCases.ListView,
    ViewTestCases.GetView,
    ViewTestCases.CreateView,
    ViewTestCases.EditView,
    ViewTestCases.ClassifiedView,
    APITestCases,
    APITestCases.Read,
):
    """Incidents have no delete (a record): every other page and the read API through the generic matrix."""

    model = Incident
    namespace = "response"
    base = "incident"
    prefix = "response/incidents"
    marker = "thử nghiệm"

    def create_objects(self, users):
        return {
            "scoped": make_incident("Sự cố thử nghiệm Cần Thơ", "P92"),
            "outside": make_incident("Sự cố thử nghiệm TP.HCM", "P79"),
            "classified": make_incident("Sự cố thử nghiệm mật", "P92", Classification.CONFIDENTIAL),
        }

    def valid_data(self, users):
        return {
            "title": "Sự cố thử nghiệm vật khả nghi",
            "committee": committee("P92").pk,
            "opened_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            "classification": 0,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "committee": committee("P79").pk}

    def edit_changes(self, obj):
        return {"commander_title": "Phó Trưởng ban thường trực"}

    def into_other_scope(self, users):
        return {"committee": committee("P79").pk}


def test_incident_api_create_update_and_no_delete(api_client, users):
    client = api_client("vptt.cantho")
    url = "/api/v1/response/incidents/"
    data = {
        "title": "Sự cố thử qua API",
        "committee": committee("P92").pk,
        "opened_at": timezone.now().isoformat(),
        "measures": "b,a",
    }
    response = client.post(url, data, content_type="application/json")
    assert response.status_code == 201, response.content
    incident = Incident.objects.get(pk=response.json()["id"])
    assert incident.measures == "a,b"
    assert IncidentLogEntry.objects.filter(incident=incident, kind=LogKind.SYSTEM).exists()
    bad = client.patch(f"{url}{incident.pk}", {"measures": "a,zz"}, content_type="application/json")
    assert bad.status_code == 422 and "measures" in bad.json()["detail"]
    response = client.patch(f"{url}{incident.pk}", {"measures": "c"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["measures"] == "c"
    assert client.delete(f"{url}{incident.pk}").status_code == 405
    outside = {**data, "committee": committee("P79").pk}
    assert client.post(url, outside, content_type="application/json").status_code == 422
    assert api_client("lanhdao.cantho").post(url, data, content_type="application/json").status_code == 403


class TestLogEntry(ChildMatrix):
    model = IncidentLogEntry
    namespace = "response"
    base = "incidentlogentry"

    def create_objects(self, users):
        entries = {}
        for key, (code, level) in {
            "scoped": ("P92", 0),
            "outside": ("P79", 0),
            "classified": ("P92", Classification.CONFIDENTIAL),
        }.items():
            incident = make_incident(f"Sự cố nhật ký {key}", code, level)
            entries[key] = IncidentLogEntry.objects.create(incident=incident, text=f"Diễn biến {key}")
        return entries


class TestCorrectiveAction(ReadOnlyAPIMatrix):
    model = CorrectiveAction
    namespace = "response"
    base = "correctiveaction"
    prefix = "response/corrective-actions"
    marker = "thử nghiệm"

    def create_objects(self, users):
        self.incidents = {
            "in": closed_incident("Sự cố đã xong Cần Thơ", "P92"),
            "out": closed_incident("Sự cố đã xong TP.HCM", "P79"),
            "secret": closed_incident("Sự cố mật đã xong", "P92", Classification.CONFIDENTIAL),
        }
        due = timezone.localdate() + dt.timedelta(days=30)

        def action(key, code):
            return CorrectiveAction.objects.create(
                incident=self.incidents[key],
                action=f"Khắc phục thử nghiệm {key}",
                agency=police(code),
                due_date=due,
            )

        return {
            "scoped": action("in", "P92"),
            "outside": action("out", "P79"),
            "classified": action("secret", "P92"),
        }

    def valid_data(self, users):
        return {
            "incident": self.incidents["in"].pk,
            "action": "Khắc phục thử nghiệm: bổ sung camera",
            "agency": police("P92").pk,
            "due_date": (timezone.localdate() + dt.timedelta(days=10)).strftime("%d/%m/%Y"),
            "status": "open",
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "incident": self.incidents["out"].pk, "agency": police("P79").pk}

    def edit_changes(self, obj):
        return {"result": "Đã bổ sung"}

    def deletable(self, users):
        return CorrectiveAction.objects.create(
            incident=self.incidents["in"],
            action="Khắc phục thử nghiệm để xóa",
            agency=police("P92"),
            due_date=timezone.localdate(),
        )

    def into_other_scope(self, users):
        return {"incident": self.incidents["out"].pk, "agency": police("P79").pk}


# --- Opening, activation, acknowledgement ---------------------------------------------------------------
def test_report_opens_an_incident_and_another_is_attached(client, users):
    report = make_report("Tin báo thử: vali bỏ quên ở bến tàu", "P92", place_text="Bến tàu thử")
    client.force_login(users["tiepnhan.cantho"])
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Mở sự cố" in page
    response = client.post(reverse("response:report_open_incident", args=[report.pk]))
    incident = Incident.objects.get(reports=report)
    assert response.url == incident.get_absolute_url()
    report.refresh_from_db()
    assert report.status == ReportStatus.INCIDENT and incident.place_text == "Bến tàu thử"
    assert incident.committee == committee("P92")
    assert "Mở sự cố từ" in IncidentLogEntry.objects.filter(incident=incident).first().text

    second = make_report("Tin báo thử thứ hai cùng vụ", "P92")
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Gộp vào sự cố" in page
    client.post(reverse("response:report_attach", args=[second.pk]), {"incident": incident.pk})
    second.refresh_from_db()
    assert second.status == ReportStatus.ATTACHED and second.incident == incident
    # A closed report offers neither action again; the page links to its incident.
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Mở sự cố" not in page and incident.get_absolute_url() in page
    assert client.post(reverse("response:report_open_incident", args=[second.pk])).status_code == 302
    assert Incident.objects.filter(reports=second).count() == 1


def test_focal_point_and_commune_cannot_open_incidents(client, users):
    report = make_report("Tin báo thử cho đầu mối", "P92")
    for username in ("daumoi.cantho", "xa.ninhkieu"):
        client.force_login(users[username])
        assert client.post(reverse("response:report_open_incident", args=[report.pk])).status_code == 404
    assert not Incident.objects.filter(reports=report).exists()


def test_activation_builds_each_agencys_checklist_in_one_action(
    client, users, django_capture_on_commit_callbacks
):
    plan = approved_plan()
    incident = make_incident("Sự cố thử kích hoạt", "P92")
    client.force_login(users["tiepnhan.cantho"])
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Kích hoạt phương án" in page and plan.title in page
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("response:incident_activate", args=[incident.pk]), {"plan": plan.pk})
    items = list(ChecklistItem.objects.filter(incident=incident).order_by("order"))
    assert [i.action for i in items] == [
        "Xác minh tin báo thử",
        "Lập vành đai thử",
        "Chuẩn bị xe cứu thương thử",
    ]
    first = items[0]
    assert before <= first.activated_at <= timezone.now()
    assert first.due_at == first.activated_at + dt.timedelta(minutes=5)
    assert first.escalate_at == first.activated_at + dt.timedelta(minutes=10)
    assert items[1].escalate_at is None and not items[1].needs_ack
    assert items[2].agency == health("P92")
    # The health department's focal point is told (in-app), once.
    focal = users["daumoi.cantho"]
    assert Notification.objects.filter(recipient=focal, event="response.checklist_assigned").count() == 1
    # Activating the same plan twice is refused; nothing is added.
    response = client.post(
        reverse("response:incident_activate", args=[incident.pk]), {"plan": plan.pk}, follow=True
    )
    assert "đã được kích hoạt" in response.content.decode()
    assert ChecklistItem.objects.filter(incident=incident).count() == 3


def test_draft_or_classified_plans_are_not_activated(users):
    incident = make_incident("Sự cố thử phương án dự thảo", "P92")
    draft = make_plan("Phương án dự thảo", "P92")
    actor = users["vptt.cantho"]
    with pytest.raises(services.ValidationError):
        services.plan_activate(actor=actor, incident=incident, plan=draft)
    secret = approved_plan("Phương án mật", classification=Classification.CONFIDENTIAL)
    with pytest.raises(services.ValidationError):
        services.plan_activate(actor=actor, incident=incident, plan=secret)
    outside = approved_plan("Phương án TP.HCM", code="P79")
    with pytest.raises(services.ValidationError):
        services.plan_activate(actor=actor, incident=incident, plan=outside)
    assert not ChecklistItem.objects.filter(incident=incident).exists()


def activated(users, title="Sự cố thử việc cơ quan"):
    incident = make_incident(title, "P92")
    services.plan_activate(actor=users["vptt.cantho"], incident=incident, plan=approved_plan())
    return incident


def test_focal_point_sees_and_acts_only_on_own_agency_items(client, users):
    incident = activated(users)
    police_item = ChecklistItem.objects.get(incident=incident, action="Xác minh tin báo thử")
    health_item = ChecklistItem.objects.get(incident=incident, agency=health("P92"))
    other = make_incident("Sự cố không có việc của Sở Y tế", "P92")
    client.force_login(users["daumoi.cantho"])
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Chuẩn bị xe cứu thương thử" in page and "Xác minh tin báo thử" not in page
    assert reverse("response:checklistitem_ack", args=[health_item.pk]) in page
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.post(reverse("response:checklistitem_ack", args=[police_item.pk])).status_code == 404
    client.post(reverse("response:checklistitem_ack", args=[health_item.pk]))
    health_item.refresh_from_db()
    assert health_item.acknowledged_at is not None and health_item.acknowledged_by == users["daumoi.cantho"]
    # The start page lists the agency's item while unacknowledged, and no longer after.
    assert not [i for i in todo_items(users["daumoi.cantho"]) if "xe cứu thương" in i.text]
    client.post(reverse("response:checklistitem_done", args=[health_item.pk]))
    health_item.refresh_from_db()
    assert health_item.done_at is not None
    # The API gives the focal point its own items only.
    from tests.support.mixins import token_client

    rows = token_client(users["daumoi.cantho"]).get("/api/v1/response/checklist-items/").json()["items"]
    assert health_item.pk in {r["id"] for r in rows}
    assert {r["agency_id"] for r in rows} == {health("P92").pk}


def test_acknowledgement_is_recorded_once(client, users):
    incident = activated(users)
    item = ChecklistItem.objects.get(incident=incident, action="Xác minh tin báo thử")
    assert any("Xác minh tin báo thử" in i.text for i in todo_items(users["vptt.cantho"]))
    api = (
        reverse("api-1.0.0:checklistitem_ack", args=[item.pk])
        if False
        else f"/api/v1/response/checklist-items/{item.pk}/ack"
    )
    from tests.support.mixins import token_client

    client_api = token_client(users["vptt.cantho"])
    assert client_api.post(api).status_code == 200
    again = client_api.post(api)
    assert again.status_code == 422 and "đã được xác nhận" in str(again.json())
    acks = AuditEntry.objects.filter(object_id=str(item.pk), object_type="response.checklistitem")
    assert acks.count() == 1


def test_unacknowledged_item_escalates_once_on_its_timer(users):
    incident = activated(users, "Sự cố thử báo cấp trên")
    item = ChecklistItem.objects.get(incident=incident, action="Xác minh tin báo thử")
    start = item.activated_at
    assert services.checklist_escalate(now=start + dt.timedelta(minutes=9)) == 0
    assert services.checklist_escalate(now=start + dt.timedelta(minutes=11)) == 1
    item.refresh_from_db()
    assert item.escalated_at == start + dt.timedelta(minutes=11)
    recipients = Notification.objects.filter(event="response.checklist_escalated", object_id=str(incident.pk))
    assert recipients.exists()
    # Holders of the head's seat who may see the incident, or else the standing office of Cần Thơ.
    usernames = {n.recipient.username for n in recipients}
    assert usernames and "vptt.hcm" not in usernames
    assert IncidentLogEntry.objects.filter(incident=incident, text__contains="chưa xác nhận").count() == 1
    # Idempotent: running again (or later) escalates nothing more.
    count = recipients.count()
    assert services.checklist_escalate(now=start + dt.timedelta(minutes=30)) == 1  # the health item (15 min)
    assert services.checklist_escalate(now=start + dt.timedelta(minutes=60)) == 0
    assert Notification.objects.filter(event="response.checklist_escalated").count() >= count
    item.refresh_from_db()
    assert item.escalated_at == start + dt.timedelta(minutes=11)


def test_acknowledged_or_closed_items_do_not_escalate(users):
    incident = activated(users, "Sự cố thử đã xác nhận")
    for item in ChecklistItem.objects.filter(incident=incident, needs_ack=True):
        services.checklist_acknowledge(actor=users["vptt.cantho"], item=item)
    closed = activated(users, "Sự cố thử đã kết thúc")
    services.incident_close(actor=users["vptt.cantho"], incident=closed, summary="Xong")
    later = timezone.now() + dt.timedelta(hours=2)
    assert services.checklist_escalate(now=later) == 0


def test_escalation_task_calls_the_service(db):
    from pckb.response import tasks

    assert tasks.checklist_escalate_task.call_local() is None


# --- Log, closure, review -------------------------------------------------------------------------------
def test_log_is_append_only_and_corrections_are_new_entries(client, users):
    incident = make_incident("Sự cố thử nhật ký", "P92")
    client.force_login(users["lanhdao.cantho"])
    add = reverse("response:incidentlogentry_add")
    when = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    client.post(
        add, {"incident": incident.pk, "occurred_at": when, "text": "Lực lượng đến hiện trường lúc 9h"}
    )
    entry = IncidentLogEntry.objects.get(incident=incident, kind=LogKind.ENTRY)
    assert entry.author == users["lanhdao.cantho"]
    client.post(
        add,
        {
            "incident": incident.pk,
            "occurred_at": when,
            "text": "Đến lúc 9h05, không phải 9h",
            "corrects": entry.pk,
        },
    )
    correction = IncidentLogEntry.objects.get(incident=incident, kind=LogKind.CORRECTION)
    assert correction.corrects == entry
    entry.refresh_from_db()
    assert entry.text == "Lực lượng đến hiện trường lúc 9h"
    # No edit or delete anywhere: no page, no API verb.
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "Ghi đính chính" in page and "/sua/" not in page and "/xoa/" not in page
    assert client.get(f"/ung-pho/nhat-ky-su-co/{entry.pk}/sua/").status_code == 404
    from tests.support.mixins import token_client

    api = token_client(users["vptt.cantho"])
    assert api.delete(f"/api/v1/response/log-entries/{entry.pk}").status_code == 405
    assert (
        api.patch(f"/api/v1/response/log-entries/{entry.pk}", {}, content_type="application/json").status_code
        == 405
    )
    created = api.post(
        "/api/v1/response/log-entries/",
        {"incident": incident.pk, "occurred_at": timezone.now().isoformat(), "text": "Ghi qua API"},
        content_type="application/json",
    )
    assert created.status_code == 201
    # A focal point or an inspector cannot write in the log.
    assert (
        token_client(users["thanhtra"])
        .post(
            "/api/v1/response/log-entries/",
            {"incident": incident.pk, "occurred_at": timezone.now().isoformat(), "text": "Không được"},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_close_review_and_overdue_corrective_actions(client, users):
    incident = activated(users, "Sự cố thử kết thúc")
    client.force_login(users["vptt.cantho"])
    client.post(
        reverse("response:incident_close", args=[incident.pk]),
        {"summary": "Vật khả nghi là hành lý thất lạc."},
    )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED and incident.closure_summary
    # Closed: no edit, no activation, no acknowledgement.
    assert client.get(reverse("response:incident_edit", args=[incident.pk])).status_code == 404
    item = ChecklistItem.objects.filter(incident=incident, needs_ack=True).first()
    client.post(reverse("response:checklistitem_ack", args=[item.pk]))
    item.refresh_from_db()
    assert item.acknowledged_at is None
    client.post(
        reverse("response:incident_review", args=[incident.pk]), {"text": "Phối hợp tốt; cần thêm loa."}
    )
    incident.refresh_from_db()
    assert incident.review_text.startswith("Phối hợp tốt") and incident.reviewed_at
    late = CorrectiveAction.objects.create(
        incident=incident,
        action="Bổ sung loa cầm tay thử",
        agency=police("P92"),
        due_date=timezone.localdate() - dt.timedelta(days=3),
    )
    CorrectiveAction.objects.create(
        incident=incident,
        action="Tập huấn lại thử",
        agency=police("P92"),
        due_date=timezone.localdate() + dt.timedelta(days=30),
    )
    page = client.get(reverse("response:correctiveaction_list") + "?status=overdue").content.decode()
    assert "Bổ sung loa cầm tay thử" in page and "Tập huấn lại thử" not in page
    client.post(
        reverse("response:correctiveaction_edit", args=[late.pk]),
        {
            "incident": incident.pk,
            "action": late.action,
            "agency": late.agency_id,
            "due_date": late.due_date.strftime("%d/%m/%Y"),
            "status": ActionStatus.DONE,
            "result": "Đã bổ sung",
        },
    )
    late.refresh_from_db()
    assert late.status == ActionStatus.DONE and late.closed_on == timezone.localdate()


def test_corrective_action_needs_a_closed_incident(client, users):
    incident = make_incident("Sự cố thử chưa kết thúc", "P92")
    client.force_login(users["vptt.cantho"])
    response = client.post(
        reverse("response:correctiveaction_add"),
        {
            "incident": incident.pk,
            "action": "Việc quá sớm",
            "agency": police("P92").pk,
            "due_date": "01/12/2030",
            "status": "open",
        },
    )
    assert response.status_code == 200 and "sau khi sự cố đã kết thúc" in response.content.decode()
    assert not CorrectiveAction.objects.filter(incident=incident).exists()


def test_commander_and_measures_are_logged(client, users):
    incident = make_incident("Sự cố thử chỉ huy", "P92")
    client.force_login(users["vptt.cantho"])
    data = {
        "title": incident.title,
        "committee": incident.committee_id,
        "opened_at": timezone.localtime(incident.opened_at).strftime("%d/%m/%Y %H:%M"),
        "commander_title": "Phó Trưởng ban thường trực",
        "commander_name": "Nguyễn Văn Thử",
        "commander_decision": "12/QĐ-BCĐ ngày 03/12/2026",
        "measures": ["b", "a"],
        "classification": 0,
    }
    client.post(reverse("response:incident_edit", args=[incident.pk]), data)
    incident.refresh_from_db()
    assert incident.measures == "a,b" and incident.commander_decision.startswith("12/QĐ")
    texts = list(IncidentLogEntry.objects.filter(incident=incident).values_list("text", flat=True))
    assert any("Nguyễn Văn Thử" in t for t in texts) and any("Bao vây" in t for t in texts)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Bao vây, phong tỏa" in page


# --- Live refresh: regions, fragments, the event --------------------------------------------------------
def test_regions_have_ids_and_fragments_with_the_same_permission(client, users):
    incident = activated(users, "Sự cố thử vùng trang")
    client.force_login(users["vptt.cantho"])
    page = client.get(incident.get_absolute_url()).content.decode()
    for region, slug in (
        ("incident-board", "bang"),
        ("incident-checklist", "viec"),
        ("incident-log", "nhat-ky"),
    ):
        assert f'id="{region}"' in page
        url = reverse("response:incident_region", args=[incident.pk, slug])
        assert url in page
        fragment = client.get(url).content.decode()
        assert fragment.lstrip().startswith("<section") and f'id="{region}"' in fragment
        assert "<html" not in fragment
    assert client.get(reverse("response:incident_region", args=[incident.pk, "khac"])).status_code == 404
    client.force_login(users["vptt.hcm"])
    assert client.get(reverse("response:incident_region", args=[incident.pk, "viec"])).status_code == 404


def test_every_change_announces_the_incident(users, django_capture_on_commit_callbacks):
    seen = []

    @events.receiver(services.INCIDENT_CHANGED)
    def listen(incident_id, kind):
        seen.append((incident_id, kind))

    try:
        actor = users["vptt.cantho"]
        with django_capture_on_commit_callbacks(execute=True):
            incident = services.incident_open(
                actor=actor, incident=Incident(title="Sự cố thử sự kiện", committee=committee("P92"))
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.plan_activate(actor=actor, incident=incident, plan=approved_plan())
        item = ChecklistItem.objects.filter(incident=incident, needs_ack=True).first()
        with django_capture_on_commit_callbacks(execute=True):
            services.checklist_acknowledge(actor=actor, item=item)
        with django_capture_on_commit_callbacks(execute=True):
            services.log_entry_add(actor=actor, entry=IncidentLogEntry(incident=incident, text="Thử"))
        with django_capture_on_commit_callbacks(execute=True):
            services.incident_close(actor=actor, incident=incident, summary="Xong")
    finally:
        events._handlers[services.INCIDENT_CHANGED].remove(listen)
    assert [kind for _id, kind in seen] == ["opened", "activated", "acknowledged", "log", "closed"]
    assert {i for i, _k in seen} == {incident.pk}


def test_classified_incident_hidden_from_normal_clearance_and_other_province(client, users):
    secret = make_incident("Sự cố thử mật", "P92", Classification.CONFIDENTIAL)
    services.plan_activate(actor=users["vptt.cantho"], incident=secret, plan=approved_plan())
    item = ChecklistItem.objects.filter(incident=secret).first()
    client.force_login(users["daumoi.cantho"])  # cleared for Thường only
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.post(reverse("response:checklistitem_ack", args=[item.pk])).status_code == 404
    assert not Notification.objects.filter(
        recipient=users["daumoi.cantho"], object_id=str(secret.pk)
    ).exists()
    client.force_login(users["vptt.hcm"])
    assert client.get(secret.get_absolute_url()).status_code == 404

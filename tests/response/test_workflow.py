"""Plan approval and versions, forwarding with its deadline, closing as unfounded, the to-do item."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pckb.audit.models import AuditEntry
from pckb.core.todo import todo_items
from pckb.response.choices import PlanStatus, ReportStatus
from pckb.response.models import PlanPhase, PlanStep, Report, ReportForwarding, ScenarioPlan
from tests.response.test_crud import committee, make_plan, make_report, police


def draft_with_step(title="Phương án thử duyệt"):
    plan = make_plan(title, "P92")
    phase = PlanPhase.objects.create(plan=plan, title="Xử lý ban đầu")
    PlanStep.objects.create(phase=phase, agency=police("P92"), action="Lập vành đai", due_minutes=15)
    return plan


def test_leader_approves_and_new_version_supersedes(client, users):
    plan = draft_with_step()
    client.force_login(users["vptt.cantho"])  # the standing office drafts but does not approve
    assert client.post(reverse("response:scenarioplan_approve", args=[plan.pk])).status_code == 404
    client.force_login(users["lanhdao.cantho"])
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Phê duyệt" in page
    client.post(reverse("response:scenarioplan_approve", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_at is not None
    assert AuditEntry.objects.order_by("-seq").first().object_id == str(plan.pk)

    client.force_login(users["vptt.cantho"])
    response = client.post(reverse("response:scenarioplan_new_version", args=[plan.pk]))
    newer = ScenarioPlan.objects.get(previous=plan)
    assert response.url == newer.get_absolute_url()
    assert newer.version == 2 and newer.status == PlanStatus.DRAFT
    assert PlanStep.objects.filter(phase__plan=newer).count() == 1
    # The approved version cannot be edited in place.
    assert client.get(reverse("response:scenarioplan_edit", args=[plan.pk])).status_code == 404
    step = PlanStep.objects.get(phase__plan=plan)
    assert client.get(reverse("response:planstep_edit", args=[step.pk])).status_code == 404
    assert (
        reverse("response:scenarioplan_edit", args=[plan.pk])
        not in client.get(plan.get_absolute_url()).content.decode()
    )

    client.force_login(users["lanhdao.cantho"])
    client.post(reverse("response:scenarioplan_approve", args=[newer.pk]))
    plan.refresh_from_db()
    newer.refresh_from_db()
    assert newer.status == PlanStatus.APPROVED and plan.status == PlanStatus.SUPERSEDED


def test_plan_without_steps_is_not_approved(client, users):
    plan = make_plan("Phương án rỗng", "P92")
    client.force_login(users["lanhdao.cantho"])
    response = client.post(reverse("response:scenarioplan_approve", args=[plan.pk]), follow=True)
    assert "chưa có bước" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_leader_outside_scope_cannot_approve(client, users):
    plan = make_plan("Phương án TP.HCM", "P79")
    client.force_login(users["lanhdao.cantho"])
    assert client.post(reverse("response:scenarioplan_approve", args=[plan.pk])).status_code == 404


def test_register_numbers_are_per_unit_and_year(db):
    first = make_report("Tin thứ nhất", "P92")
    second = make_report("Tin thứ hai", "P92")
    other = make_report("Tin TP.HCM", "P79")
    assert second.register_seq == first.register_seq + 1
    assert other.register_seq == (Report.objects.filter(receiving_unit__code="P79").count())
    assert first.register_number == f"{first.register_seq:03d}/{first.register_year}/TB"


def test_late_report_shows_overdue_and_todo_until_forwarded(client, users):
    report = make_report("Tin báo chậm chuyển", "P92", received_at=timezone.now() - dt.timedelta(minutes=45))
    leader = users["lanhdao.cantho"]
    client.force_login(users["vptt.cantho"])
    assert "Quá hạn chuyển" in client.get(report.get_absolute_url()).content.decode()
    assert any(str(report) in item.text for item in todo_items(users["vptt.cantho"]))
    assert any(str(report) in item.text for item in todo_items(leader))
    assert not any(str(report) in item.text for item in todo_items(users["vptt.hcm"]))

    response = client.post(
        reverse("response:reportforwarding_add"),
        {
            "report": report.pk,
            "forwarded_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            "committee": committee("P92").pk,
            "method": "phone",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED and report.first_forwarded_at is not None
    assert ReportForwarding.objects.filter(report=report).count() == 1
    assert not any(str(report) in item.text for item in todo_items(users["vptt.cantho"]))
    assert "Quá hạn chuyển" in client.get(report.get_absolute_url()).content.decode()  # forwarded late


@pytest.mark.parametrize("minutes,late", [(60, False), (10, True)])
def test_forward_deadline_is_configurable(db, settings, minutes, late):
    settings.PCKB_REPORT_FORWARD_MINUTES = minutes
    report = make_report("Tin báo hạn", "P92", received_at=timezone.now() - dt.timedelta(minutes=30))
    assert report.forward_late() is late


def test_forwarding_needs_a_recipient_and_nothing_changes(client, users):
    report = make_report("Tin báo thiếu nơi nhận", "P92")
    client.force_login(users["vptt.cantho"])
    response = client.post(
        reverse("response:reportforwarding_add"),
        {
            "report": report.pk,
            "forwarded_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            "method": "phone",
        },
    )
    assert response.status_code == 200 and "Chọn cơ quan nhận" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED and not report.forwardings.exists()


def test_close_as_unfounded_needs_a_reason(client, users):
    report = make_report("Tin báo không có cơ sở", "P92")
    client.force_login(users["vptt.cantho"])
    client.post(reverse("response:report_close", args=[report.pk]), {"reason": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED
    client.post(reverse("response:report_close", args=[report.pk]), {"reason": "Đã kiểm tra: túi đồ bỏ quên"})
    report.refresh_from_db()
    assert report.status == ReportStatus.UNFOUNDED and report.closure_reason
    client.force_login(users["lanhdao.cantho"])  # leaders read, they do not close
    other = make_report("Tin báo khác", "P92")
    assert client.post(reverse("response:report_close", args=[other.pk]), {"reason": "x"}).status_code == 404


def test_agency_focal_and_commune_see_plans_not_reports(client, users):
    report = make_report("Tin báo kín", "P92")
    for username in ("daumoi.cantho", "xa.ninhkieu"):
        client.force_login(users[username])
        assert client.get(report.get_absolute_url()).status_code == 404
        assert client.get(reverse("response:report_list")).status_code == 404

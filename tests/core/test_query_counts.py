"""Query counts per page are pinned (an N+1 fails here) and do not grow with the data."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pckb.coordination.models import Regulation
from pckb.deployment.models import PlanningRun, TeamType
from pckb.directory.models import Agency, Committee, Person
from pckb.documents.models import Document, Meeting
from pckb.plans.models import Plan, Task
from pckb.protection.models import Inspection, ProtectedEvent, ProtectionPlan, Target
from pckb.reports.models import PeriodicReport
from pckb.response.models import Incident, Report, ScenarioPlan
from pckb.training.models import Conference, Invitation, Participant
from tests.support.demo import CAN_THO_COMMITTEE

PINNED = json.loads((Path(__file__).parent / "query_counts.json").read_text())
#: Pages of the nation, read by the national office (Cần Thơ's office gets a 404 on them).
NATIONAL_PINNED = {"/bao-cao/tong-hop/": 10}


def pages():
    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    person = Person.objects.filter(agency__unit__code="P92", classification=0).first()
    agency = Agency.objects.get(name="Công an thành phố Cần Thơ")
    conference = Conference.objects.get(title__startswith="Hội nghị tập huấn công tác", start__year=2024)
    event = ProtectedEvent.objects.get(unit__code="P92", title__startswith="Đoàn công tác Trung ương")
    return {
        "home": "/",
        "committee_list": "/to-chuc/ban-chi-dao/",
        "committee_detail": committee.get_absolute_url(),
        "agency_list": "/to-chuc/co-quan/",
        "agency_detail": agency.get_absolute_url(),
        "person_list": "/to-chuc/can-bo/",
        "person_search": "/to-chuc/can-bo/?q=nguyen",
        "person_detail": person.get_absolute_url(),
        "decision_list": "/to-chuc/quyet-dinh/",
        "audit_list": "/nhat-ky/",
        "api_people": "/api/v1/people/",
        "api_committee_members": f"/api/v1/committees/{committee.pk}/members",
        "conference_list": "/tap-huan/hoi-nghi/",
        "conference_detail": conference.get_absolute_url(),
        "checkin": f"/tap-huan/hoi-nghi/{conference.pk}/diem-danh/",
        "results": f"/tap-huan/hoi-nghi/{conference.pk}/ket-qua/",
        "coverage": "/tap-huan/do-bao-phu/",
        "target_list": "/bao-ve/muc-tieu/",
        "target_detail": Target.objects.get(name="Cảng hàng không quốc tế Cần Thơ").get_absolute_url(),
        "target_overdue": "/bao-ve/muc-tieu/qua-han-danh-gia/",
        "api_targets": "/api/v1/protection/targets/",
        "event_list": "/bao-ve/su-kien/",
        "event_detail": event.get_absolute_url(),
        "event_report": f"{event.get_absolute_url()}bao-cao/",
        "api_events": "/api/v1/protection/events/",
        "map": "/bao-ve/ban-do/",
        "map_data": "/bao-ve/ban-do/du-lieu.geojson?su_kien=tat-ca&zoom=6&bbox=102,8,110,23.5",
        "api_map": "/api/v1/protection/map?su_kien=tat-ca&zoom=6&bbox=102,8,110,23.5",
        "api_event_tasks": f"/api/v1/protection/events/{event.pk}/tasks",
        "protectionplan_list": "/bao-ve/phuong-an/",
        "protectionplan_detail": ProtectionPlan.objects.get(
            title="Phương án bảo vệ Bệnh viện Đa khoa Cái Khế"
        ).get_absolute_url(),
        "protectionplan_overdue": "/bao-ve/phuong-an/qua-han-ra-soat/",
        "api_protectionplans": "/api/v1/protection/plans/",
        "inspection_list": "/bao-ve/kiem-tra/",
        "inspection_detail": Inspection.objects.filter(target__unit__path__startswith="/VN/92/")
        .order_by("pk")
        .first()
        .get_absolute_url(),
        "finding_overdue": "/bao-ve/kiem-tra/khac-phuc-qua-han/",
        "api_findings": "/api/v1/protection/inspections/findings/",
        "plan_list": "/ke-hoach/ke-hoach/",
        "plan_detail": Plan.objects.filter(committee=committee, classification=0).first().get_absolute_url(),
        "planitem_detail": Task.objects.filter(
            item__plan__committee=committee, supporting_agencies__isnull=False
        )
        .first()
        .item.get_absolute_url(),
        "task_list": "/ke-hoach/nhiem-vu/",
        "task_detail": Task.objects.filter(item__plan__committee=committee, updates__isnull=False)
        .first()
        .get_absolute_url(),
        "task_overdue": "/ke-hoach/nhiem-vu/qua-han/",
        "api_tasks": "/api/v1/plans/tasks/",
        "scenarioplan_list": "/ung-pho/phuong-an/",
        "scenarioplan_detail": ScenarioPlan.objects.order_by("pk").first().get_absolute_url(),
        "report_list": "/ung-pho/tin-bao/",
        "report_detail": Report.objects.order_by("pk").first().get_absolute_url(),
        "api_reports": "/api/v1/response/reports/",
        "regulation_list": "/phoi-hop/quy-che/",
        "regulation_detail": Regulation.objects.get(committee=committee).get_absolute_url(),
        "agency_duties": f"/phoi-hop/trach-nhiem/?agency={agency.pk}",
        "api_regulations": "/api/v1/coordination/regulations/",
        "planningrun_list": "/bo-tri-luc-luong/phuong-an/",
        "planningrun_detail": PlanningRun.objects.order_by("pk").first().get_absolute_url(),
        "teamtype_list": "/bo-tri-luc-luong/loai-to-doi/",
        "teamtype_detail": TeamType.objects.order_by("pk").first().get_absolute_url(),
        "api_runs": "/api/v1/deployment/runs/",
        "incident_list": "/ung-pho/su-co/",
        "incident_detail": Incident.objects.order_by("pk").first().get_absolute_url(),
        "incident_map": Incident.objects.order_by("pk").first().get_absolute_url() + "ban-do/?bang=bom:suv",
        "incident_map_data": Incident.objects.order_by("pk").first().get_absolute_url()
        + "ban-do/du-lieu.geojson",
        "checklistitem_list": "/ung-pho/viec-su-co/",
        "correctiveaction_list": "/ung-pho/khac-phuc/",
        "api_checklist_items": "/api/v1/response/checklist-items/",
        "reportschedule_list": "/bao-cao/lich/",
        "reportschedule_detail": PeriodicReport.objects.get(
            schedule__committee=committee
        ).schedule.get_absolute_url(),
        "periodicreport_list": "/bao-cao/bao-cao/",
        "periodicreport_detail": PeriodicReport.objects.get(schedule__committee=committee).get_absolute_url(),
        "reports_dashboard": "/bao-cao/bang-dieu-khien/",
        "api_periodicreports": "/api/v1/reports/reports/",
        "document_list": "/van-ban/van-ban/",
        "document_detail": Document.objects.get(number="18/KH-BCĐ-DEMO").get_absolute_url(),
        "register_incoming": "/van-ban/so-den/",
        "documents_all": "/van-ban/tat-ca/",
        "meeting_detail": Meeting.objects.get(title__startswith="Họp Ban Chỉ đạo sơ kết").get_absolute_url(),
        "api_documents": "/api/v1/documents/documents/",
    }


def count_queries(client, url) -> int:
    """Queries of one request to ``url``, after a first one: the session's once-a-minute refresh (a write,
    pckb.accounts.middleware.SessionRefreshMiddleware) and per-process caches are not the page's own cost,
    and a test that ran for over a minute since signing in would otherwise count them on its next page."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", sorted(PINNED))
def test_query_count_is_pinned(client, login, name):
    login("vptt.cantho")
    url = pages()[name]
    client.get(url)  # warm caches that are not per request (content types, permissions)
    assert count_queries(client, url) == PINNED[name], f"{name}: update query_counts.json only on purpose"


@pytest.mark.parametrize("url", sorted(NATIONAL_PINNED))
def test_national_query_count_is_pinned(client, login, url):
    login("vptt.quocgia")
    client.get(url)
    assert count_queries(client, url) == NATIONAL_PINNED[url], f"{url}: pin changed on purpose?"


def test_query_counts_do_not_grow_with_data(client, login):
    login("vptt.cantho")
    urls = pages()
    before = {
        name: count_queries(client, urls[name])
        for name in (
            "person_list",
            "agency_list",
            "api_people",
            "committee_detail",
            "person_search",
            "conference_detail",
            "checkin",
            "results",
        )
    }
    agency = Agency.objects.get(name="Công an thành phố Cần Thơ")
    conference = Conference.objects.get(pk=int(urls["conference_detail"].rstrip("/").rsplit("/", 1)[1]))
    for i in range(120):
        person = Person.objects.create(full_name=f"Nguyễn Văn Thêm {i}", title="Chuyên viên", agency=agency)
        extra = Agency.objects.create(name=f"Cơ quan thêm {i}", kind="other", unit=agency.unit)
        if i < 20:
            invitation = Invitation.objects.create(conference=conference, agency=extra, quota=2)
            Participant.objects.create(conference=conference, person=person, invitation=invitation)
    after = {name: count_queries(client, urls[name]) for name in before}
    assert after == before

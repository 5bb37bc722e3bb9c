"""The responsibility matrix as the standing office and the committee leader use it: edited as a grid (every
fault at once, nothing saved on a fault), put in force by the leader only when each content has one lead,
changed through a new version, read per agency, and used to pre-fill an event's tasks and a plan's steps."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pckb.audit.models import AuditEntry
from pckb.coordination.choices import Duty, RegulationStatus
from pckb.coordination.models import Function, Regulation, Responsibility
from pckb.geo.models import AdministrativeUnit
from pckb.protection.models import EventTask, ProtectedEvent
from pckb.response.models import PlanPhase, PlanStep, ScenarioPlan
from tests.coordination.builders import (
    committee,
    hcm_police,
    health,
    make_cell,
    make_function,
    make_regulation,
    police,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def regulation():
    reg = make_regulation("Quy chế phối hợp thử nghiệm ma trận", parties=[police(), health()])
    row = make_function(reg, "Tiếp nhận, xử lý tin báo", scenario_type="bomb_threat")
    make_cell(row, police(), Duty.LEAD)
    make_cell(row, health(), Duty.INFORM)
    return reg


def matrix_url(reg):
    return reverse("coordination:regulation_matrix", args=[reg.pk])


def grid(reg, **cells) -> dict:
    """The editor's POST: every cell as it is, then ``cells`` ({field name: duty})."""
    data = {}
    for function in reg.functions.all():
        for agency in reg.parties.all():
            current = Responsibility.objects.filter(function=function, agency=agency).first()
            data[f"c{function.pk}_{agency.pk}"] = current.duty if current else ""
    data.update(cells)
    return data


def duties(reg) -> dict:
    return {
        (c.function.title, c.agency.name): c.duty
        for c in Responsibility.objects.filter(function__regulation=reg).select_related("function", "agency")
    }


def test_the_lead_moves_and_a_content_is_added_in_one_save(client, login, regulation):
    login("vptt.cantho")
    row = regulation.functions.get()
    page = client.get(matrix_url(regulation)).content.decode()
    assert "Tiếp nhận, xử lý tin báo" in page and "Sở Y tế thành phố Cần Thơ" in page
    before = AuditEntry.objects.count()
    response = client.post(
        matrix_url(regulation),
        grid(
            regulation,
            **{
                f"c{row.pk}_{police().pk}": Duty.SUPPORT,
                f"c{row.pk}_{health().pk}": Duty.LEAD,
                "n0_title": "Sơ cứu, cấp cứu người bị nạn",
                f"n0_{health().pk}": Duty.LEAD,
                f"n0_{police().pk}": Duty.SUPPORT,
            },
        ),
    )
    assert response.status_code == 302
    assert duties(regulation) == {
        ("Tiếp nhận, xử lý tin báo", "Công an thành phố Cần Thơ"): Duty.SUPPORT,
        ("Tiếp nhận, xử lý tin báo", "Sở Y tế thành phố Cần Thơ"): Duty.LEAD,
        ("Sơ cứu, cấp cứu người bị nạn", "Sở Y tế thành phố Cần Thơ"): Duty.LEAD,
        ("Sơ cứu, cấp cứu người bị nạn", "Công an thành phố Cần Thơ"): Duty.SUPPORT,
    }
    # Two cells changed, one content and two cells added: each write has its audit entry.
    assert AuditEntry.objects.count() - before == 5
    shown = client.get(regulation.get_absolute_url()).content.decode()
    assert "Sơ cứu, cấp cứu người bị nạn" in shown and "<strong>C</strong> = Chủ trì" in shown


def test_every_fault_is_reported_at_once_and_nothing_is_saved(client, login, regulation):
    login("vptt.cantho")
    row = regulation.functions.get()
    before = duties(regulation)
    response = client.post(
        matrix_url(regulation),
        grid(
            regulation,
            **{
                f"c{row.pk}_{health().pk}": Duty.LEAD,  # a second lead
                f"n1_{police().pk}": Duty.LEAD,  # a new row without its title
                "n2_title": "tiếp nhận, xử lý tin báo",  # a content the regulation has
            },
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "“Tiếp nhận, xử lý tin báo”: chỉ một cơ quan chủ trì." in page
    assert "Nội dung mới 1: nhập tên nội dung phối hợp." in page
    assert "quy chế đã có nội dung “tiếp nhận, xử lý tin báo”" in page
    assert duties(regulation) == before
    assert regulation.functions.count() == 1


def test_only_the_leader_puts_it_in_force_and_only_with_a_lead_everywhere(client, login, regulation):
    url = reverse("coordination:regulation_in_force", args=[regulation.pk])
    login("vptt.cantho")
    assert "Ban hành" not in client.get(regulation.get_absolute_url()).content.decode()
    assert client.post(url).status_code == 404
    make_function(regulation, "Sơ tán người dân khỏi khu vực nguy hiểm", order=2)
    login("lanhdao.cantho")
    assert "Ban hành" in client.get(regulation.get_absolute_url()).content.decode()
    response = client.post(url, follow=True)
    assert "Các nội dung chưa có cơ quan chủ trì: Sơ tán người dân khỏi khu vực nguy hiểm." in (
        response.content.decode()
    )
    regulation.refresh_from_db()
    assert regulation.status == RegulationStatus.DRAFT
    Function.objects.filter(regulation=regulation, order=2).delete()
    client.post(url)
    regulation.refresh_from_db()
    assert regulation.status == RegulationStatus.IN_FORCE and regulation.in_force_at is not None
    # In force: the grid, the edit form and the row pages are closed to the standing office.
    login("vptt.cantho")
    assert client.get(matrix_url(regulation)).status_code == 404
    assert client.get(reverse("coordination:regulation_edit", args=[regulation.pk])).status_code == 404
    assert "Sửa ma trận trách nhiệm" not in client.get(regulation.get_absolute_url()).content.decode()


def test_a_new_version_copies_the_matrix_and_supersedes_the_old_one_when_in_force(client, login, regulation):
    login("lanhdao.cantho")
    client.post(reverse("coordination:regulation_in_force", args=[regulation.pk]))
    login("vptt.cantho")
    response = client.post(reverse("coordination:regulation_new_version", args=[regulation.pk]))
    draft = Regulation.objects.get(previous=regulation)
    assert response["Location"] == draft.get_absolute_url()
    assert draft.version == 2 and draft.status == RegulationStatus.DRAFT
    assert {k: v for k, v in duties(draft).items()} == duties(regulation)
    assert set(draft.parties.all()) == {police(), health()}
    login("lanhdao.cantho")
    client.post(reverse("coordination:regulation_in_force", args=[draft.pk]))
    regulation.refresh_from_db()
    draft.refresh_from_db()
    assert (regulation.status, draft.status) == (RegulationStatus.SUPERSEDED, RegulationStatus.IN_FORCE)


def test_an_agency_sees_what_it_leads_supports_and_is_told(client, login, users, regulation):
    login("lanhdao.cantho")
    client.post(reverse("coordination:regulation_in_force", args=[regulation.pk]))
    hcm = make_regulation("Quy chế thử nghiệm TP.HCM", "P79", parties=[hcm_police()])
    make_cell(make_function(hcm, "Nội dung chỉ của TP.HCM"), hcm_police(), Duty.LEAD)
    Regulation.objects.filter(pk=hcm.pk).update(status=RegulationStatus.IN_FORCE)
    login("daumoi.cantho")  # the health department's focal point: its own agency by default
    page = client.get(reverse("coordination:agency_duties")).content.decode()
    assert users["daumoi.cantho"].person.agency == health()
    assert "Được thông báo (1)" in page and "Tiếp nhận, xử lý tin báo" in page
    assert "Nội dung chỉ của TP.HCM" not in page
    assert "Công an Thành phố Hồ Chí Minh" not in page
    login("vptt.hcm")
    page = client.get(reverse("coordination:agency_duties"), {"agency": police().pk}).content.decode()
    assert "Tiếp nhận, xử lý tin báo" not in page


def _event():
    start = timezone.now() + dt.timedelta(days=3)
    event = ProtectedEvent(
        kind="central",
        title="Đoàn công tác thử nghiệm quy chế",
        start=start,
        end=start + dt.timedelta(days=1),
        unit=AdministrativeUnit.objects.get(code="P92"),
        lead_agency=police(),
    )
    event.full_clean()
    event.save()
    return event


def test_an_event_and_a_draft_plan_are_prefilled_from_the_regulation_in_force(client, login, regulation):
    event = _event()
    login("vptt.cantho")
    row = regulation.functions.get()
    option = f'<option value="{row.pk}">Tiếp nhận, xử lý tin báo — '
    # A draft's contents are not offered; once in force they are.
    assert option not in client.get(event.get_absolute_url()).content.decode()
    Regulation.objects.filter(pk=regulation.pk).update(status=RegulationStatus.IN_FORCE)
    assert option in client.get(event.get_absolute_url()).content.decode()
    url = reverse("coordination:event_prefill", args=[event.pk])
    client.post(url, {"function": row.pk})
    client.post(url, {"function": row.pk})  # twice: the tasks are not doubled
    tasks = EventTask.objects.filter(event=event)
    # The lead is given a task; an agency only to be informed is not.
    assert [(t.agency, t.task) for t in tasks] == [(police(), "Chủ trì: Tiếp nhận, xử lý tin báo")]
    assert tasks.get().due == timezone.localtime(event.start).date()

    plan = ScenarioPlan.objects.create(
        title="Phương án thử nghiệm quy chế", scenario_type="bomb_threat", committee=committee("P92")
    )
    response = client.post(reverse("coordination:plan_prefill", args=[plan.pk]), {"function": row.pk})
    assert response.status_code == 302
    phase = PlanPhase.objects.get(plan=plan)
    assert phase.title == "Phân công theo quy chế phối hợp: Tiếp nhận, xử lý tin báo"
    assert [(s.agency, s.action) for s in PlanStep.objects.filter(phase=phase)] == [
        (police(), "Chủ trì: Tiếp nhận, xử lý tin báo"),
        (health(), "Nhận thông báo về: Tiếp nhận, xử lý tin báo"),
    ]
    # The leader reads the event but adds no task: no panel, and the action is a 404.
    login("lanhdao.cantho")
    assert "Điền theo quy chế phối hợp" not in client.get(event.get_absolute_url()).content.decode()
    assert client.post(url, {"function": row.pk}).status_code == 404


def test_a_content_of_another_province_cannot_prefill(client, login):
    event = _event()
    hcm = make_regulation("Quy chế thử nghiệm TP.HCM", "P79", parties=[hcm_police()])
    row = make_function(hcm, "Nội dung của TP.HCM")
    make_cell(row, hcm_police(), Duty.LEAD)
    Regulation.objects.filter(pk=hcm.pk).update(status=RegulationStatus.IN_FORCE)
    login("vptt.cantho")
    response = client.post(
        reverse("coordination:event_prefill", args=[event.pk]), {"function": row.pk}, follow=True
    )
    assert "Chọn một nội dung của quy chế phối hợp đang có hiệu lực." in response.content.decode()
    assert not EventTask.objects.filter(event=event).exists()

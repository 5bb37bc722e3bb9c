"""Reports as a standing office meets them: figures compiled from the data equal counts made independently,
frozen at submission; the workflow draft → submitted → returned / accepted; a province never sees another's
report; the national office reads only what was sent; the roll-up; reminders; the DOCX carries the figures."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pckb.core import access
from pckb.core.errors import NotFound, PermissionDenied
from pckb.directory.models import Agency, Person
from pckb.notifications.models import Notification
from pckb.plans.choices import TaskStatus
from pckb.plans.models import Task
from pckb.reports import selectors, services, todo
from pckb.reports.choices import ReportKind, ReportStatus
from pckb.reports.models import PeriodicReport
from pckb.training.choices import ConferenceStatus
from pckb.training.models import Conference, Participant
from tests.plans.builders import committee, hcm_police, health, make_item, make_plan, make_task, police, saved
from tests.reports.builders import make_report, make_schedule

YEAR = 2019  # a past half-year of its own: open tasks are late, no demo data falls in it
TZ = timezone.get_current_timezone()


def _at(day, hour=8):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


@pytest.fixture
def period_data(db):
    """In Cần Thơ's first half of 2019: a held conference with 3 delegates (2 checked in), 4 plan tasks
    (1 done); and TP.HCM's conference and task, which Cần Thơ's report must not count."""
    ct = committee("P92")
    plan = make_plan("Kế hoạch thử nghiệm 2019")
    item = make_item(plan, "1", "Nội dung thử nghiệm")
    for k, (lead, status) in enumerate(
        [(police(), TaskStatus.DONE), (police(), None), (health(), None), (health(), None)]
    ):
        task = make_task(item, f"Nhiệm vụ thử nghiệm {k}", lead)
        Task.objects.filter(pk=task.pk).update(
            deadline=dt.date(YEAR, 3, 1 + k), status=status or TaskStatus.IN_PROGRESS
        )
    hcm_item = make_item(make_plan("Kế hoạch TP.HCM thử nghiệm", code="P79"), "1", "Nội dung TP.HCM")
    hcm_task = make_task(hcm_item, "Nhiệm vụ TP.HCM", hcm_police())
    Task.objects.filter(pk=hcm_task.pk).update(deadline=dt.date(YEAR, 3, 1))
    for code, n in (("P92", 3), ("P79", 2)):
        c = committee(code)
        conference = saved(
            Conference(
                committee=c,
                title=f"Hội nghị thử nghiệm {code}",
                start=_at(dt.date(YEAR, 4, 2)),
                end=_at(dt.date(YEAR, 4, 2), 17),
                venue="Hội trường thử nghiệm",
                venue_unit=c.unit,
                status=ConferenceStatus.HELD,
            )
        )
        people = Person.objects.filter(agency__unit__path__startswith=c.unit.path, classification=0).order_by(
            "pk"
        )[:n]
        for k, person in enumerate(people):
            Participant.objects.create(
                conference=conference,
                person=person,
                checked_in_at=_at(dt.date(YEAR, 4, 2)) if k < 2 else None,
            )
    return ct


def _values(sections):
    return {f"{s['key']}.{f['key']}": f["value"] for s in sections for f in s["figures"]}


def test_compiled_figures_equal_independent_counts(period_data, users):
    schedule = make_schedule("P92", kind=ReportKind.HALF_YEAR, year=YEAR)
    values = _values(selectors.compile_for(users["vptt.cantho"], schedule))
    path = period_data.unit.path
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 6, 30)
    tasks = Task.objects.filter(
        committee__unit__path__startswith=path, deadline__range=(start, end)
    )
    conferences = Conference.objects.filter(
        committee__unit__path__startswith=path,
        start__date__range=(start, end),
        status__in=["held", "reported"],
    )
    attended = Participant.objects.filter(conference__in=conferences, checked_in_at__isnull=False)
    assert values["plans.tasks"] == tasks.count() == 4
    assert values["plans.done"] == tasks.filter(status="done").count() == 1
    assert (
        values["plans.late"]
        == tasks.exclude(status="done").filter(deadline__lt=timezone.localdate()).count()
        == 3
    )
    assert values["training.conferences"] == conferences.count() == 1
    assert values["training.people"] == attended.count() == 2
    assert (
        values["training.agencies"]
        == Agency.objects.filter(unit__path__startswith=path, merged_into__isnull=True).count()
    )
    assert values["training.agencies_trained"] == len(
        set(attended.values_list("person__agency_id", flat=True))
    )
    section = next(s for s in selectors.compile_for(users["vptt.cantho"], schedule) if s["key"] == "plans")
    rows = {r[0]: r[1:] for r in section["table"]["rows"]}
    assert rows["Công an thành phố Cần Thơ"] == [2, 1, 1]
    assert rows["Sở Y tế thành phố Cần Thơ"] == [2, 0, 2]


def test_submitted_snapshot_is_frozen(period_data, users):
    office = users["vptt.cantho"]
    report = make_report(make_schedule("P92", kind=ReportKind.HALF_YEAR, year=YEAR))
    services.report_submit(actor=office, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at is not None
    before = _values(selectors.compiled_sections(office, report))
    item = make_item(make_plan("Kế hoạch thêm sau khi gửi"), "1", "Nội dung thêm")
    late = make_task(item, "Nhiệm vụ thêm sau khi gửi", police())
    Task.objects.filter(pk=late.pk).update(deadline=dt.date(YEAR, 5, 1))
    assert _values(selectors.compile_for(office, report.schedule))["plans.tasks"] == before["plans.tasks"] + 1
    report.refresh_from_db()
    assert _values(selectors.compiled_sections(office, report)) == before
    # …and a sent report can no longer be edited (its edit page is a 404 for its own office).
    assert not access.can(office, access.CHANGE, report)
    with pytest.raises(NotFound):  # not changeable any more
        services.report_submit(actor=office, report=report)


def test_workflow_return_with_comment_then_accept(users, client, login):
    office, national = users["vptt.cantho"], users["vptt.quocgia"]
    report = make_report(make_schedule("P92"))
    with pytest.raises(NotFound):  # a draft does not exist for the higher committee
        services.report_accept(actor=national, report=report)
    services.report_submit(actor=office, report=report)
    with pytest.raises(PermissionDenied):  # nobody reviews their own report
        services.report_accept(actor=office, report=report)
    with pytest.raises(ValidationError):
        services.report_return(actor=national, report=report, comment="  ")
    assert PeriodicReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    services.report_return(actor=national, report=report, comment="Bổ sung số liệu tập huấn cấp xã.")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.snapshot is None
    assert Notification.objects.filter(recipient=office, event="reports.returned").exists()
    # Returned: the province edits it again; the national office no longer reads it.
    assert access.can(office, access.CHANGE, report)
    assert not access.can(national, access.VIEW, report)
    services.report_submit(actor=office, report=report)
    login("vptt.quocgia")
    response = client.post(reverse("reports:periodicreport_accept", args=[report.pk]), {"comment": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by


def test_province_never_sees_another_province_report(users, client, login, api_client):
    drafted = make_report(make_schedule("P92"), title="Báo cáo thử nghiệm dự thảo")
    sent = make_report(make_schedule("P92"), title="Báo cáo thử nghiệm đã gửi")
    services.report_submit(actor=users["vptt.cantho"], report=sent)
    login("vptt.hcm")
    for report in (drafted, sent):
        assert client.get(report.get_absolute_url()).status_code == 404
        assert (
            client.get(reverse("reports:periodicreport_document", args=[report.pk, "docx"])).status_code
            == 404
        )
        assert api_client("vptt.hcm").get(f"/api/v1/reports/reports/{report.pk}").status_code == 404
    assert (
        api_client("vptt.hcm")
        .post(f"/api/v1/reports/reports/{sent.pk}/accept", {}, content_type="application/json")
        .status_code
        == 404
    )


def test_national_reads_only_sent_reports(users, client, login, api_client):
    drafted = make_report(make_schedule("P92"), title="Báo cáo thử nghiệm dự thảo")
    sent = make_report(make_schedule("P92"), title="Báo cáo thử nghiệm đã gửi")
    services.report_submit(actor=users["vptt.cantho"], report=sent)
    login("vptt.quocgia")
    assert client.get(drafted.get_absolute_url()).status_code == 404
    assert client.get(sent.get_absolute_url()).status_code == 200
    listed = client.get(reverse("reports:periodicreport_list"), {"q": "thử nghiệm"}).content.decode()
    assert "Báo cáo thử nghiệm đã gửi" in listed and "Báo cáo thử nghiệm dự thảo" not in listed
    api = api_client("vptt.quocgia")
    assert api.get(f"/api/v1/reports/reports/{drafted.pk}").status_code == 404
    assert api.get(f"/api/v1/reports/reports/{sent.pk}/figures").status_code == 200
    # The national office cannot edit a province's report, sent or not.
    assert client.get(reverse("reports:periodicreport_edit", args=[sent.pk])).status_code == 404
    # The province's own leader reads its draft.
    login("lanhdao.cantho")
    assert client.get(drafted.get_absolute_url()).status_code == 200


def test_rollup_lists_provinces_and_adds_up_sent_reports(users, client, login):
    national = users["vptt.quocgia"]
    ct = make_schedule("P92", kind=ReportKind.HALF_YEAR, year=2044, due=dt.date(2044, 7, 10))
    hcm = make_schedule("P79", kind=ReportKind.HALF_YEAR, year=2044, due=dt.date(2044, 7, 10))
    ct_report = make_report(ct)
    make_report(hcm)  # a draft: never counted above
    services.report_submit(actor=users["vptt.cantho"], report=ct_report)
    rollup = selectors.rollup(national, ReportKind.HALF_YEAR, dt.date(2044, 1, 1), dt.date(2044, 6, 30))
    by_name = {r.committee.unit.code: r for r in rollup.rows}
    assert by_name["P92"].report is not None and by_name["P79"].report is None
    ct_report.refresh_from_db()
    assert rollup.totals == _values(ct_report.snapshot["sections"])
    login("vptt.quocgia")
    page = client.get(reverse("reports:rollup"), {"period": "half_year:2044-01-01:2044-06-30"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and "Chưa gửi" in text
    # The national report compiled from the sent ones carries the same totals.
    national_report = make_report(make_schedule("VN", kind=ReportKind.HALF_YEAR, year=2044))
    assert _values(selectors.compiled_sections(national, national_report)) == rollup.totals


def test_docx_and_pdf_carry_the_figures(period_data, users, client, login):
    from docx import Document

    report = make_report(
        make_schedule("P92", kind=ReportKind.HALF_YEAR, year=YEAR),
        title="Báo cáo sơ kết thử nghiệm",
        results="Kết quả thử nghiệm nổi bật.",
    )
    services.report_submit(actor=users["vptt.cantho"], report=report)
    login("vptt.cantho")
    response = client.get(reverse("reports:periodicreport_document", args=[report.pk, "docx"]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Kết quả thử nghiệm nổi bật." in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(cells + [text])
    row = cells.index("Lượt người được tập huấn")
    assert cells[row + 1] == "2"
    row = cells.index("Nhiệm vụ quá hạn chưa hoàn thành")
    assert cells[row + 1] == "3"
    pdf = client.get(reverse("reports:periodicreport_document", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_reminders_are_idempotent_and_todo_lists_due_reports(users):
    today = dt.date(2045, 3, 20)
    now = _at(today, 9)
    soon = make_schedule("P92", kind=ReportKind.QUARTERLY, year=2045, due=today + dt.timedelta(days=3))
    late = make_schedule("P92", kind=ReportKind.MONTHLY, year=2045, due=today - dt.timedelta(days=2))
    sent = make_schedule("P92", kind=ReportKind.AD_HOC, year=2045, due=today + dt.timedelta(days=1))
    services.report_submit(actor=users["vptt.cantho"], report=make_report(sent))
    created = services.report_reminders_send(now=now)
    office = users["vptt.cantho"]
    mine = Notification.objects.filter(recipient=office, event__startswith="reports.due")
    assert {n.object_id for n in mine} == {str(soon.pk), str(late.pk)}
    assert created >= 2
    assert services.report_reminders_send(now=now) == 0  # a second run sends nothing new
    assert not Notification.objects.filter(
        recipient=users["vptt.hcm"], event__startswith="reports.due"
    ).exists()
    items = list(todo.reports_due(office, now))
    urls = {i.url: i.level for i in items}
    assert urls[soon.get_absolute_url()] == "warning"
    assert urls[late.get_absolute_url()] == "danger"
    assert sent.get_absolute_url() not in urls


def test_dashboard_and_rollup_pages_open(client, login):
    login("vptt.cantho")
    page = client.get(reverse("reports:dashboard"))
    assert page.status_code == 200
    assert "Tiến độ kế hoạch theo cơ quan chủ trì" in page.content.decode()
    login("vptt.quocgia")
    page = client.get(reverse("reports:rollup"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cần Thơ" in text and "Hồ Chí Minh" in text  # the demo's sent six-monthly reports


def test_a_module_adds_a_section_without_editing_reports(users):
    from pckb.reports import sections

    def drills(user, scope_path, start, end):
        return {"figures": [sections.figure("held", "Cuộc diễn tập đã tổ chức", 3)], "ratios": []}

    sections.register("drills", "Diễn tập", drills, order=35)
    try:
        compiled = selectors.compile_for(users["vptt.cantho"], make_schedule("P92"))
        keys = [s["key"] for s in compiled]
        assert keys.index("drills") == keys.index("protection") + 1
        assert _values(compiled)["drills.held"] == 3
    finally:
        sections._providers.pop("drills")


def test_a_mat_report_prints_mat_under_its_number(users, client, login):
    from pckb.core.choices import Classification
    from tests.support.documents import docx_marks, pdf_marks

    login("vptt.cantho")
    for level, mark in ((Classification.NORMAL, ""), (Classification.CONFIDENTIAL, "MẬT")):
        report = make_report(make_schedule("P92"), classification=level)
        url = reverse("reports:periodicreport_document", args=[report.pk, "docx"])
        assert docx_marks(client.get(url).content) == [mark]
        pdf = client.get(reverse("reports:periodicreport_document", args=[report.pk, "pdf"]))
        assert pdf_marks(pdf.content) == [mark]

"""Protected events and delegations: the permission matrix of the event and its children (web and API), the
agency focal point's own-agency rule for tasks and status lines, the calendar, the iCalendar feed, the
start page's to-do items and the demo. Each matrix class builds its own events: a Thường one in Cần Thơ, one
in TP.HCM and a Mật one in Cần Thơ."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from pckb.core import access
from pckb.core.choices import Classification
from pckb.directory.models import Agency
from pckb.geo.models import AdministrativeUnit
from pckb.protection.choices import EventKind, TaskStatus
from pckb.protection.models import EventStatus, EventStop, EventTask, ProtectedEvent, Target
from tests.support.mixins import (
    OUTSIDER,
    WRITER,
    APITestCases,
    ChildMatrix,
    FullMatrix,
    ViewTestCases,
    last_audit,
    thuong_twin,
    token_client,
)

FOCAL = "daumoi.cantho"  # the focal point of Sở Y tế thành phố Cần Thơ
START = timezone.now().replace(microsecond=0) + dt.timedelta(days=20)
TODAY = timezone.localdate()


def unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def agency(name: str, province: str = "thành phố Cần Thơ") -> Agency:
    return Agency.objects.get(name=f"{name} {province}")


def police(where: str) -> Agency:
    return agency("Công an", "thành phố Cần Thơ" if where == "ct" else "Thành phố Hồ Chí Minh")


def event(where: str, classification: int = 0, title: str | None = None, start=START) -> ProtectedEvent:
    e = ProtectedEvent(
        kind=EventKind.CENTRAL,
        title=title or f"Đoàn Omega thử {where} {classification}",
        start=start,
        end=start + dt.timedelta(days=1),
        unit=unit("P92" if where == "ct" else "P79"),
        lead_agency=police(where),
        classification=classification,
    )
    e.full_clean()
    e.save()
    return e


def three(make) -> dict:
    return {
        "scoped": make(event("ct"), "ct"),
        "outside": make(event("hcm"), "hcm"),
        "classified": make(event("ct", Classification.CONFIDENTIAL), "ct"),
    }


def task(e, owner: Agency, due_in: int = 2, status=TaskStatus.TODO, text="Bố trí kíp cấp cứu Omega"):
    return EventTask.objects.create(
        event=e, agency=owner, task=text, due=TODAY + dt.timedelta(days=due_in), status=status
    )


def body(response) -> str:
    return response.content.decode()


class _DateTimeForm:
    def form_data(self, client, obj) -> dict:
        data = super().form_data(client, obj)
        for name in ("start", "end", "time"):
            if name in data:
                data[name] = timezone.localtime(getattr(obj, name)).strftime("%d/%m/%Y %H:%M")
        return data


# --- Permission matrix -----------------------------------------------------------------------------------
class TestProtectedEvent(_DateTimeForm, FullMatrix):
    model = ProtectedEvent
    namespace = "protection"
    base = "protectedevent"
    prefix = "protection/events"
    marker = "Omega"
    api_patch = {"summary": "Khoảng 30 thành viên"}

    def create_objects(self, users):
        return three(lambda e, _where: e)

    def valid_data(self, users):
        return {
            "kind": "international",
            "title": "Đoàn Omega khách quốc tế mới",
            "start": "10/03/2027 08:00",
            "end": "11/03/2027 17:00",
            "unit": "P92",
            "lead_agency": police("ct").pk,
            "classification": 0,
        }

    def out_of_scope_data(self, users):
        return {**self.valid_data(users), "unit": "P79", "lead_agency": police("hcm").pk}

    def edit_changes(self, obj):
        return {"summary": "Khoảng 25 thành viên, 6 xe"}

    def into_other_scope(self, users):
        return {"unit": "P79"}

    def deletable(self, users):
        return event("ct", title="Đoàn Omega để xóa")

    def api_valid(self, users):
        return {
            "kind": "political",
            "title": "Sự kiện Omega qua API",
            "start": "2027-03-10T08:00:00+07:00",
            "end": "2027-03-10T11:30:00+07:00",
            "unit": unit("P92").pk,
            "lead_agency": police("ct").pk,
        }

    def api_out_of_scope(self, users):
        return {**self.api_valid(users), "unit": unit("P79").pk, "lead_agency": police("hcm").pk}

    def api_into_other_scope(self, users):
        return {"unit": unit("P79").pk}

    def test_end_before_start_is_refused(self, client, login, users):
        login(WRITER)
        before = ProtectedEvent.objects.count()
        response = client.post(self.url("add"), {**self.valid_data(users), "end": "09/03/2027 08:00"})
        assert "Thời gian kết thúc phải sau thời gian bắt đầu" in body(response)
        assert ProtectedEvent.objects.count() == before

    def test_children_api_of_a_classified_event_is_404(self, users):
        e = self.classified(users)
        task(e, police("ct"))
        for part in ("tasks", "stops", "statuses"):
            url = f"/api/v1/protection/events/{e.pk}/{part}"
            assert token_client(users[WRITER]).get(url).status_code == 200
            assert token_client(thuong_twin(users)).get(url).status_code == 404
        url = f"/api/v1/protection/events/{self.scoped(users).pk}/tasks"
        assert token_client(users[OUTSIDER]).get(url).status_code == 404


class TestEventTask(ChildMatrix, ViewTestCases.EditView, APITestCases, APITestCases.Read):
    model = EventTask
    namespace = "protection"
    base = "eventtask"
    prefix = "protection/events/tasks"
    marker = "Omega"

    def create_objects(self, users):
        return three(lambda e, where: task(e, police(where), text=f"Dẫn đường Omega {e.title}"))

    def edit_changes(self, obj):
        return {"task": "Dẫn đường và bảo vệ Omega suốt lịch trình"}

    def into_other_scope(self, users):
        return {"event": self.outside(users).event_id}


class TestEventStop(_DateTimeForm, ChildMatrix, ViewTestCases.EditView, APITestCases, APITestCases.Read):
    model = EventStop
    namespace = "protection"
    base = "eventstop"
    prefix = "protection/events/stops"
    marker = "Omega"

    def create_objects(self, users):
        def stop(e, where):
            return EventStop.objects.create(
                event=e,
                time=e.start + dt.timedelta(hours=2),
                place=f"Hội trường Omega {where}",
                place_unit=unit("X31135" if where == "ct" else "X26743"),
                activity="Làm việc",
            )

        return three(stop)

    def edit_changes(self, obj):
        return {"activity": "Làm việc với Ban Chỉ đạo"}

    def into_other_scope(self, users):
        return {"event": self.outside(users).event_id}

    def test_stop_needs_a_target_or_a_place(self, client, login, users):
        login(WRITER)
        e = self.scoped(users).event
        before = EventStop.objects.count()
        data = {"event": e.pk, "time": timezone.localtime(e.start).strftime("%d/%m/%Y %H:%M")}
        response = client.post(self.url("add"), data)
        assert "Chọn mục tiêu trong sổ hoặc ghi tên địa điểm" in body(response)
        response = client.post(self.url("add"), {**data, "place": "Bến Ninh Kiều"})
        assert "Chọn xã, phường nơi có địa điểm" in body(response)
        assert EventStop.objects.count() == before

    def test_stop_at_a_mat_target_is_hidden_below_clearance(self, client, users):
        e = self.scoped(users).event
        secret = Target.objects.filter(unit__path__startswith="/VN/92/", classification=1).first()
        stop = EventStop.objects.create(event=e, time=e.start, target=secret, activity="Khảo sát")
        client.force_login(users[WRITER])
        assert secret.name in body(client.get(e.get_absolute_url()))
        client.force_login(thuong_twin(users))
        page = body(client.get(e.get_absolute_url()))
        assert secret.name not in page and "Hội trường Omega ct" in page
        assert client.get(self.url("edit", stop.pk)).status_code == 404


class TestEventStatus(ChildMatrix, ViewTestCases.EditView, APITestCases, APITestCases.Read):
    model = EventStatus
    namespace = "protection"
    base = "eventstatus"
    prefix = "protection/events/statuses"
    marker = "Omega"

    def create_objects(self, users):
        return three(
            lambda e, where: EventStatus.objects.create(
                event=e,
                day=timezone.localdate(e.start),
                agency=police(where),
                text=f"Tình hình Omega ổn định {where}",
            )
        )

    def edit_changes(self, obj):
        return {"text": "Tình hình Omega ổn định, không phát sinh"}

    def into_other_scope(self, users):
        return {"event": self.outside(users).event_id}


# --- The agency focal point writes only for its own agency -----------------------------------------------
@pytest.fixture
def shared_event(db):
    """A Cần Thơ event with a task of Sở Y tế (the focal point's agency) and one of the police."""
    e = event("ct", title="Đoàn Omega phối hợp")
    own = task(e, agency("Sở Y tế"), text="Kíp cấp cứu đi theo đoàn Omega")
    other = task(e, police("ct"), text="Dẫn đường đoàn Omega")
    return e, own, other


def test_focal_point_marks_only_own_agency_task_done(client, login, shared_event):
    e, own, other = shared_event
    login(FOCAL)
    page = body(client.get(e.get_absolute_url()))
    assert f"/bao-ve/nhiem-vu/{own.pk}/hoan-thanh/" in page
    assert f"/bao-ve/nhiem-vu/{other.pk}/hoan-thanh/" not in page
    assert "Giao nhiệm vụ" not in page  # it assigns no tasks
    assert client.post(f"/bao-ve/nhiem-vu/{other.pk}/hoan-thanh/").status_code == 404
    assert client.get(f"/bao-ve/nhiem-vu/{other.pk}/sua/").status_code == 404
    response = client.post(f"/bao-ve/nhiem-vu/{own.pk}/hoan-thanh/", {"note": "Đã bố trí 2 xe"})
    assert response.status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, own.progress_note) == (TaskStatus.DONE, "Đã bố trí 2 xe")
    assert other.status == TaskStatus.TODO
    entry = last_audit()
    assert entry.action == "update" and entry.object_id == str(own.pk) and entry.username == FOCAL


def test_focal_point_edits_only_the_progress_of_its_task(client, login, shared_event):
    _e, own, _other = shared_event
    login(FOCAL)
    form = client.get(f"/bao-ve/nhiem-vu/{own.pk}/sua/").context["form"]
    assert set(form.fields) == {"status", "progress_note"}
    response = client.post(
        f"/bao-ve/nhiem-vu/{own.pk}/sua/",
        {"status": "doing", "progress_note": "Đang liên hệ bệnh viện", "task": "Việc khác"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "doing" and own.task == "Kíp cấp cứu đi theo đoàn Omega"


def test_focal_point_reports_status_for_its_own_agency_only(client, login, users, shared_event):
    e, _own, _other = shared_event
    login(FOCAL)
    url = f"/bao-ve/su-kien/{e.pk}/bao-cao/"
    day = timezone.localdate(e.start).strftime("%d/%m/%Y")
    form = client.get(url).context["form"]
    assert list(form.fields["agency"].queryset) == [agency("Sở Y tế")]
    # Posting another agency's id is refused, nothing saved.
    response = client.post(url, {"agency": police("ct").pk, "day": day, "text": "Giả báo cáo"})
    assert response.status_code == 200 and "error-summary" in body(response)
    assert not EventStatus.objects.filter(event=e).exists()
    response = client.post(url, {"agency": agency("Sở Y tế").pk, "day": day, "text": "Kíp trực sẵn sàng"})
    assert response.status_code == 302
    # A second report the same day replaces the line (one line per agency and day).
    client.post(url, {"agency": agency("Sở Y tế").pk, "day": day, "text": "Kíp trực, không có ca cấp cứu"})
    lines = list(EventStatus.objects.filter(event=e))
    assert [line.text for line in lines] == ["Kíp trực, không có ca cấp cứu"]
    # The police's line, written by the office, is not the focal point's to change.
    office_line = EventStatus.objects.create(event=e, day=lines[0].day, agency=police("ct"), text="Ổn định")
    assert client.get(f"/bao-ve/tinh-hinh/{office_line.pk}/sua/").status_code == 404
    assert client.get(f"/bao-ve/tinh-hinh/{lines[0].pk}/sua/").status_code == 200
    api = token_client(users[FOCAL])
    response = api.patch(
        f"/api/v1/protection/events/statuses/{office_line.pk}",
        {"text": "Sửa"},
        content_type="application/json",
    )
    assert response.status_code == 404
    office_line.refresh_from_db()
    assert office_line.text == "Ổn định"


def test_status_day_outside_the_event_is_refused(client, login, shared_event):
    e, _own, _other = shared_event
    login(WRITER)
    day = (timezone.localdate(e.end) + dt.timedelta(days=5)).strftime("%d/%m/%Y")
    response = client.post(
        f"/bao-ve/su-kien/{e.pk}/bao-cao/", {"agency": police("ct").pk, "day": day, "text": "Ổn định"}
    )
    assert "Ngày báo cáo phải trong thời gian của sự kiện" in body(response)
    assert not EventStatus.objects.filter(event=e).exists()


# --- Start page to-do, calendar, iCalendar ---------------------------------------------------------------
def test_todo_shows_tasks_due_soon_to_the_agency_and_the_office(client, login, shared_event):
    e, own, other = shared_event
    far = task(e, agency("Sở Y tế"), due_in=9, text="Việc Omega còn xa")
    done = task(e, agency("Sở Y tế"), due_in=1, status=TaskStatus.DONE, text="Việc Omega đã xong")
    late = task(e, agency("Sở Y tế"), due_in=-1, text="Việc Omega quá hạn")
    login(FOCAL)
    page = body(client.get("/"))
    assert own.task in page and late.task in page and "Quá hạn" in page
    assert other.task not in page and far.task not in page and done.task not in page
    login(WRITER)
    page = body(client.get("/"))
    assert own.task in page and other.task in page and far.task not in page
    login("lanhdao.cantho")  # reads, but is not asked to act
    assert own.task not in body(client.get("/"))
    login(OUTSIDER)
    assert own.task not in body(client.get("/"))


def test_calendar_and_start_page_show_events_in_scope_and_clearance(client, users):
    soon = timezone.now() + dt.timedelta(days=3)
    open_event = event("ct", title="Sự kiện Omega công khai", start=soon)
    secret_event = event("ct", Classification.CONFIDENTIAL, title="Sự kiện Omega mật", start=soon)
    month = timezone.localtime(soon).strftime("%Y-%m")
    client.force_login(users[WRITER])
    calendar = body(client.get("/lich/", {"thang": month}))
    assert open_event.title in calendar and secret_event.title in calendar
    assert open_event.get_absolute_url() in calendar
    assert open_event.title in body(client.get("/"))
    client.force_login(thuong_twin(users))
    calendar = body(client.get("/lich/", {"thang": month}))
    assert open_event.title in calendar and secret_event.title not in calendar
    assert secret_event.title not in body(client.get("/"))
    client.force_login(users[OUTSIDER])
    assert open_event.title not in body(client.get("/lich/", {"thang": month}))


def test_icalendar_feed_is_scoped_and_built_by_the_library(client, users):
    tricky = event("ct", title="Đoàn Omega\nEND:VEVENT\nBEGIN:VEVENT;SUMMARY:giả")
    secret_event = event("ct", Classification.CONFIDENTIAL, title="Đoàn Omega mật")
    past = event("ct", title="Đoàn Omega đã qua", start=timezone.now() - dt.timedelta(days=30))
    client.force_login(users[WRITER])
    response = client.get("/bao-ve/su-kien/lich.ics")
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    summaries = {str(e["summary"]) for e in cal.walk("VEVENT")}
    assert tricky.title in summaries and secret_event.title in summaries and past.title not in summaries
    mine = next(e for e in cal.walk("VEVENT") if str(e["summary"]) == tricky.title)
    assert mine["dtstart"].dt == tricky.start and str(mine["location"]) == str(tricky.unit)
    assert mine["url"].endswith(tricky.get_absolute_url())
    client.force_login(thuong_twin(users))
    low = {
        str(e["summary"])
        for e in Calendar.from_ical(client.get("/bao-ve/su-kien/lich.ics").content).walk("VEVENT")
    }
    assert tricky.title in low and secret_event.title not in low
    client.force_login(users[OUTSIDER])
    other = Calendar.from_ical(client.get("/bao-ve/su-kien/lich.ics").content).walk("VEVENT")
    assert tricky.title not in {str(e["summary"]) for e in other}


def test_after_action_note_waits_for_the_event(client, login):
    login(WRITER)
    e = event("ct", title="Đoàn Omega sắp tới")
    data = {
        "kind": e.kind,
        "title": e.title,
        "start": timezone.localtime(e.start).strftime("%d/%m/%Y %H:%M"),
        "end": timezone.localtime(e.end).strftime("%d/%m/%Y %H:%M"),
        "unit": "P92",
        "lead_agency": e.lead_agency_id,
        "classification": 0,
        "after_action": "Rút kinh nghiệm trước",
    }
    response = client.post(f"/bao-ve/su-kien/{e.pk}/sua/", data)
    assert "Chỉ ghi rút kinh nghiệm khi sự kiện đã bắt đầu" in body(response)
    e.refresh_from_db()
    assert e.after_action == ""


def test_commune_officer_reads_but_cannot_write(client, login, shared_event):
    e, own, _other = shared_event
    officer = login("xa.ninhkieu")
    assert not access.restrict(ProtectedEvent.objects.filter(pk=e.pk), officer).exists()  # a province event
    assert client.get(e.get_absolute_url()).status_code == 404
    local = ProtectedEvent.objects.create(
        kind=EventKind.POLITICAL,
        title="Lễ hội Omega phường Ninh Kiều",
        start=START,
        end=START + dt.timedelta(hours=5),
        unit=unit("X31135"),
        lead_agency=police("ct"),
    )
    page = body(client.get(local.get_absolute_url()))
    assert local.title in page and "Báo cáo tình hình" not in page
    assert client.get(f"/bao-ve/su-kien/{local.pk}/bao-cao/").status_code == 404
    assert client.post(f"/bao-ve/nhiem-vu/{own.pk}/hoan-thanh/").status_code == 404


def test_demo_holds_a_past_visit_and_an_upcoming_international_event(db):
    now = timezone.now()
    past = ProtectedEvent.objects.get(unit__code="P92", end__lt=now, kind=EventKind.CENTRAL)
    assert past.after_action and past.stops.count() >= 4 and past.statuses.exists()
    assert not past.tasks.exclude(status=TaskStatus.DONE).exists()
    upcoming = ProtectedEvent.objects.get(unit__code="P79", start__gt=now, kind=EventKind.INTERNATIONAL)
    assert (
        upcoming.stops.filter(target__isnull=False).exists() and upcoming.stops.filter(target=None).exists()
    )
    assert upcoming.tasks.exclude(status=TaskStatus.DONE).count() >= 3


def test_event_page_queries_do_not_grow_with_its_rows(client, login, shared_event):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    e, _own, _other = shared_event
    EventStatus.objects.create(event=e, day=timezone.localdate(e.start), agency=police("ct"), text="Ổn định")
    EventStop.objects.create(event=e, time=e.start, place="Điểm Omega", place_unit=unit("X31135"))
    login(WRITER)
    client.get(e.get_absolute_url())

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(e.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for n, name in enumerate(("Sở Y tế", "Sở Xây dựng", "Sở Ngoại vụ")):
        task(e, agency(name), text=f"Việc Omega thêm {n}")
        EventStatus.objects.create(
            event=e, day=timezone.localdate(e.start), agency=agency(name), text="Ổn định"
        )
        EventStop.objects.create(event=e, time=e.start, place=f"Điểm Omega {n}", place_unit=unit("X31135"))
    assert count() == before


def test_report_form_offers_a_day_of_the_event(client, login):
    past = event("ct", title="Đoàn Omega đã về", start=timezone.now() - dt.timedelta(days=10))
    login(WRITER)
    form = client.get(f"/bao-ve/su-kien/{past.pk}/bao-cao/").context["form"]
    assert form.initial["day"] == timezone.localdate(past.end).strftime("%d/%m/%Y")


def test_stop_at_a_target_outside_the_readers_scope_is_not_named(client, login):
    """A Ninh Kiều event visiting a Cái Răng target: the Ninh Kiều officer reads the event, not the target."""
    local = ProtectedEvent.objects.create(
        kind=EventKind.POLITICAL,
        title="Lễ hội Omega phường Ninh Kiều",
        start=START,
        end=START + dt.timedelta(hours=5),
        unit=unit("X31135"),
        lead_agency=police("ct"),
    )
    elsewhere = Target.objects.filter(unit__code="X31186", classification=0).first()
    EventStop.objects.create(event=local, time=START, target=elsewhere, activity="Tham quan")
    login(WRITER)
    assert elsewhere.name in body(client.get(local.get_absolute_url()))
    login("xa.ninhkieu")
    page = body(client.get(local.get_absolute_url()))
    assert "Tham quan" in page and elsewhere.name not in page
    assert elsewhere.get_absolute_url() not in page


def test_new_stop_starts_at_the_event_start(client, login):
    e = event("ct", title="Đoàn Omega lịch trình")
    login(WRITER)
    page = body(client.get(f"/bao-ve/diem-dung/them/?event={e.pk}"))
    assert timezone.localtime(e.start).strftime("%d/%m/%Y %H:%M") in page
    login(OUTSIDER)  # another province's event gives nothing away
    page = body(client.get(f"/bao-ve/diem-dung/them/?event={e.pk}"))
    assert timezone.localtime(e.start).strftime("%d/%m/%Y %H:%M") not in page

"""A committee meeting: attendance from the committee's composition on the meeting's date, and its
conclusions turned into plan tasks in one action — visible to the lead agency's focal point in its one task
list, linked back to the meeting, with the meeting's classification."""

from django.urls import reverse

from pckb.core.choices import Classification
from pckb.directory.selectors import memberships_on
from pckb.documents.models import Conclusion, MeetingAttendance
from pckb.plans.models import Task
from tests.documents.builders import health, make_conclusion, make_meeting, police

OFFICE = "vptt.cantho"


def test_conclusions_become_tasks_in_one_action(client, login):
    meeting = make_meeting("Cuộc họp giao việc thử nghiệm")
    first = make_conclusion(meeting, 1, "Y tế thử nghiệm chủ trì", health(), days=5)
    first.supporting_agencies.set([police()])
    make_conclusion(meeting, 2, "Công an thử nghiệm chủ trì", police(), days=-1)
    login(OFFICE)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Giao kết luận thành nhiệm vụ" in page
    response = client.post(reverse("documents:meeting_assign", args=[meeting.pk]), follow=True)
    assert "Đã giao 2 nhiệm vụ" in response.content.decode()
    tasks = {c.number: c.task for c in Conclusion.objects.filter(meeting=meeting).select_related("task")}
    assert tasks[1].lead_agency == health() and list(tasks[1].supporting_agencies.all()) == [police()]
    assert tasks[1].committee == meeting.committee and tasks[1].item is None
    assert tasks[1].source == Conclusion.objects.get(meeting=meeting, number=1)
    # Nothing left to assign: the button is gone and a second post changes nothing.
    assert "Giao kết luận thành nhiệm vụ" not in client.get(meeting.get_absolute_url()).content.decode()
    client.post(reverse("documents:meeting_assign", args=[meeting.pk]))
    assert (
        Task.objects.filter(source_id__in=[c.pk for c in Conclusion.objects.filter(meeting=meeting)]).count()
        == 2
    )
    # The task's page names its source and links it.
    task_page = client.get(tasks[1].get_absolute_url()).content.decode()
    assert meeting.get_absolute_url() in task_page
    # The health focal point sees its task in its one list, not the police's.
    login("daumoi.cantho")
    listing = client.get(
        reverse("plans:task_list"), {"q": "thử nghiệm chủ trì", "per_page": 100}
    ).content.decode()
    assert "Y tế thử nghiệm chủ trì" in listing and "Công an thử nghiệm chủ trì" not in listing


def test_focal_point_cannot_assign(client, login):
    meeting = make_meeting("Cuộc họp không giao được")
    make_conclusion(meeting, 1, "Kết luận chờ giao", health())
    login("daumoi.cantho")
    assert "Giao kết luận thành nhiệm vụ" not in client.get(meeting.get_absolute_url()).content.decode()
    assert client.post(reverse("documents:meeting_assign", args=[meeting.pk])).status_code == 404
    assert not Conclusion.objects.get(meeting=meeting).task_id


def test_tasks_of_a_secret_meeting_are_secret(login, users, client):
    from pckb.documents.services import meeting_conclusions_assign

    meeting = make_meeting("Cuộc họp Mật thử nghiệm", classification=Classification.CONFIDENTIAL)
    make_conclusion(meeting, 1, "Nhiệm vụ Mật thử nghiệm", health())
    [task] = meeting_conclusions_assign(actor=users[OFFICE], meeting=meeting)
    assert task.classification == Classification.CONFIDENTIAL
    login("daumoi.cantho")  # cleared for Thường only, although its agency leads the task
    assert client.get(task.get_absolute_url()).status_code == 404


def test_attendance_from_the_composition_on_the_meeting_date(client, login):
    meeting = make_meeting("Cuộc họp điểm danh thử nghiệm", days=-2)
    login(OFFICE)
    page = client.get(reverse("documents:meeting_attendance", args=[meeting.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.rows, "the Cần Thơ committee has members on that date"
    seats = {name: "present" for name, _row in form.rows}
    first_name = form.rows[0][0]
    seats[first_name] = "excused"
    response = client.post(reverse("documents:meeting_attendance", args=[meeting.pk]), seats)
    assert response.status_code == 302
    rows = MeetingAttendance.objects.filter(meeting=meeting)
    held = {m.position_id for m in memberships_on(meeting.committee, meeting.date)}
    assert rows.count() == len(form.rows) and {r.position_id for r in rows} <= held
    assert rows.filter(status="excused").count() == 1
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "Vắng có lý do" in detail


def test_demo_meeting_has_two_conclusions_turned_into_tasks(db):
    conclusions = Conclusion.objects.filter(meeting__title__startswith="Họp Ban Chỉ đạo sơ kết")
    assert conclusions.count() == 2 and all(c.task_id for c in conclusions)

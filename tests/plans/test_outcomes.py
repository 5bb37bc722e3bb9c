"""Tasks from other sources through the one service, the overdue alerts to the lead agency's focal points
(once per task per day, tested with a given ``now``), and the follow-up letter (công văn đôn đốc) as DOCX."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pckb.notifications.models import Notification
from pckb.plans.models import Task
from pckb.plans.services import overdue_focal_alerts, task_from_outcome
from tests.plans.builders import TODAY, committee, hcm_police, health, make_item, make_plan, make_task, police

OFFICE = "vptt.cantho"
FOCAL = "daumoi.cantho"  # Sở Y tế Cần Thơ


def test_task_from_outcome_keeps_scope_and_source(users):
    from pckb.directory.models import Decision

    source = Decision.objects.filter(committee=committee("P92"), classification=0).first()
    task = task_from_outcome(
        actor=users[OFFICE],
        committee=committee("P92"),
        title="Nhiệm vụ từ nguồn khác thử nghiệm",
        lead_agency=health(),
        deadline=TODAY + dt.timedelta(days=9),
        supporting=[police(), health()],
        source=source,
    )
    task.refresh_from_db()
    assert task.item is None and task.committee == committee("P92") and task.source == source
    assert task.source_label == str(source)
    assert list(task.supporting_agencies.all()) == [police()]  # the lead is never also supporting


def test_task_from_outcome_refuses_agencies_outside_scope(users):
    with pytest.raises(ValidationError):
        task_from_outcome(
            actor=users[OFFICE],
            committee=committee("P92"),
            title="Giao cho cơ quan tỉnh khác",
            lead_agency=hcm_police(),
            deadline=TODAY,
        )
    assert not Task.objects.filter(title="Giao cho cơ quan tỉnh khác").exists()


def test_plan_tasks_take_their_plan_committee(db):
    item = make_item(make_plan("Kế hoạch kiểm tra Ban giao"), "B-1", "Nội dung kiểm tra Ban")
    task = make_task(item, "Nhiệm vụ kiểm tra Ban", police())
    assert task.committee == committee("P92")


def test_overdue_alerts_once_per_task_per_day(users):
    late = make_task(
        make_item(make_plan("Kế hoạch cảnh báo thử nghiệm"), "C-1", "Nội dung cảnh báo"),
        "Nhiệm vụ y tế quá hạn thử nghiệm",
        health(),
        days=-3,
    )
    now = timezone.now()
    mine = Notification.objects.filter(recipient=users[FOCAL], event="plans.task_overdue")
    overdue_focal_alerts(now=now)
    overdue_focal_alerts(now=now + dt.timedelta(hours=2))  # same day: nothing new
    titles = list(mine.values_list("title", flat=True))
    assert sum("Nhiệm vụ y tế quá hạn thử nghiệm" in t for t in titles) == 1
    overdue_focal_alerts(now=now + dt.timedelta(days=1))  # the next day: once more
    assert mine.filter(title__contains="Nhiệm vụ y tế quá hạn thử nghiệm").count() == 2
    late.status = "done"
    late.save(update_fields=["status"])
    overdue_focal_alerts(now=now + dt.timedelta(days=2))
    assert mine.filter(title__contains="Nhiệm vụ y tế quá hạn thử nghiệm").count() == 2


def test_followup_letter_docx_per_agency(client, login):
    from docx import Document as Docx

    item = make_item(make_plan("Kế hoạch đôn đốc thử nghiệm"), "D-1", "Nội dung đôn đốc")
    make_task(item, "Nhiệm vụ y tế chậm thử nghiệm", health(), days=-6)
    login(OFFICE)
    page = client.get(reverse("plans:task_overdue")).content.decode()
    url = reverse("plans:task_followup_letter", args=[committee("P92").pk, health().pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    text = "\n".join(p.text for p in Docx(io.BytesIO(response.content)).paragraphs)
    tables = "\n".join(
        c.text for t in Docx(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells
    )
    assert "Kính gửi: Sở Y tế thành phố Cần Thơ" in text
    assert "Nhiệm vụ y tế chậm thử nghiệm" in tables and "V/v đôn đốc" in tables
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in tables
    # A focal point may not export; another province gets a 404.
    login(FOCAL)
    assert client.get(url).status_code == 404
    login("vptt.hcm")
    assert client.get(url).status_code == 404


def test_followup_letter_is_mat_when_a_listed_task_is(client, login):
    from docx import Document as Docx

    from pckb.core.choices import Classification
    from tests.support.documents import docx_marks

    url = reverse("plans:task_followup_letter", args=[committee("P92").pk, health().pk])
    login(OFFICE)
    item = make_item(make_plan("Kế hoạch đôn đốc thường"), "D-1", "Nội dung đôn đốc")
    make_task(item, "Nhiệm vụ y tế chậm thường", health(), days=-6)
    assert docx_marks(client.get(url).content) == [""]
    # A task of a Mật plan is listed too: the letter is as secret as the strictest task it lists.
    secret = make_item(
        make_plan("Kế hoạch đôn đốc mật", classification=Classification.CONFIDENTIAL), "M-1", "Mật"
    )
    make_task(secret, "Nhiệm vụ y tế chậm mật", health(), days=-4)
    response = client.get(url)
    document = Docx(io.BytesIO(response.content))
    assert "Nhiệm vụ y tế chậm mật" in "".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert docx_marks(response.content) == ["MẬT"]

"""Downloads of a conference as the organiser opens them: attendance and results (XLSX), the report (DOCX,
PDF), certificates (PDF), the iCalendar feed and the training-coverage page."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from pckb.audit.models import AuditEntry
from pckb.directory.models import Agency
from pckb.training import services
from pckb.training.models import Certificate
from tests.training.test_services import hau_giang, hcm, held_today, upcoming


def download(client, conference, kind: str):
    response = client.get(reverse("training:conference_file", args=[conference.pk, kind]))
    assert response.status_code == 200, response.content[:500]
    return response


def sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))


def pdf_pages(content: bytes, tmp_path) -> int:
    if shutil.which("pdfinfo"):
        path = tmp_path / "out.pdf"
        path.write_bytes(content)
        info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", content))


# --- Spreadsheets ---------------------------------------------------------------------------------------
def test_attendance_xlsx_lists_every_delegate(client, login):
    login("vptt.cantho")
    conference = hau_giang()
    response = download(client, conference, "diem-danh.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f'filename="hoi-nghi-{conference.pk}-diem-danh.xlsx"' in response["Content-Disposition"]
    header, *rows = sheet_rows(response.content)
    assert header[:2] == ("STT", "Họ và tên") and "Mã cá nhân" in header
    participants = conference.participants.select_related("person")
    assert len(rows) == participants.count() == 28
    assert [r[0] for r in rows] == list(range(1, 29))
    assert {r[5] for r in rows} == {p.code for p in participants}
    code_col = header.index("Mã cá nhân")
    present = {r[code_col] for r in rows if r[header.index("Có mặt")] == "Có"}
    assert present == {p.code for p in participants if p.checked_in_at}
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "export" and entry.object_id == str(conference.pk)


def test_attendance_xlsx_marks_absent_delegates(client, login):
    login("vptt.hcm")
    conference = hcm()
    header, *rows = sheet_rows(download(client, conference, "diem-danh.xlsx").content)
    absent = {p.code for p in conference.participants.filter(checked_in_at__isnull=True)}
    assert absent  # the TP.HCM demo has delegates who did not come
    assert {r[5] for r in rows if r[6] == "Không"} == absent


def test_results_xlsx_holds_each_delegate_with_scores(client, login):
    login("vptt.cantho")
    conference = hau_giang()
    header, *rows = sheet_rows(download(client, conference, "ket-qua.xlsx").content)
    assert header == ("STT", "Họ và tên", "Cơ quan", "Đầu vào (%)", "Đầu ra (%)", "Chỉ số tiến bộ")
    assert len(rows) == 28
    participant = conference.participants.select_related("person__agency").order_by("person__sort_key")[0]
    pre = participant.attempts.get(test__kind="pre")
    row = next(r for r in rows if r[1] == participant.person.full_name)
    assert row[2] == participant.person.agency.name
    assert row[3] == pytest.approx(round(100 * pre.score / pre.max_score, 1))


def test_downloads_outside_scope_are_404(client, login):
    login("vptt.hcm")
    for kind in ("diem-danh.xlsx", "ket-qua.xlsx", "bao-cao.docx"):
        url = reverse("training:conference_file", args=[hau_giang().pk, kind])
        assert client.get(url).status_code == 404


def test_unknown_download_is_404(client, login):
    login("vptt.cantho")
    assert client.get(reverse("training:conference_file", args=[hau_giang().pk, "x.zip"])).status_code == 404


# --- Report ---------------------------------------------------------------------------------------------
def test_report_docx_has_title_and_attendance_table(client, login):
    login("vptt.cantho")
    conference = hau_giang()
    document = Document(io.BytesIO(download(client, conference, "bao-cao.docx").content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    all_text = text + "\n" + "\n".join(" ".join(r) for r in cells)
    assert conference.title.lower()[1:] in all_text.lower()
    for invitation in conference.invitations.select_related("agency"):
        row = next(r for r in cells if invitation.agency.name in r)
        attended = invitation.participants.filter(checked_in_at__isnull=False).count()
        assert str(invitation.quota) in row and str(attended) in row


def test_report_pdf(client, login):
    login("vptt.cantho")
    response = download(client, hau_giang(), "bao-cao.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- Certificates ---------------------------------------------------------------------------------------
def test_certificates_pdf_has_one_page_per_valid_certificate(client, login, tmp_path):
    login("vptt.cantho")
    conference = hau_giang()
    keep = list(
        Certificate.objects.filter(participant__conference=conference)
        .order_by("pk")
        .values_list("pk", flat=True)
    )[:3]
    Certificate.objects.filter(participant__conference=conference).exclude(pk__in=keep).update(revoked=True)
    content = download(client, conference, "chung-nhan.pdf").content
    assert content.startswith(b"%PDF")
    assert pdf_pages(content, tmp_path) == 3


def test_certificates_pdf_without_certificates_says_so(client, login):
    login("vptt.cantho")
    conference = upcoming()
    response = client.get(reverse("training:conference_file", args=[conference.pk, "chung-nhan.pdf"]))
    assert response.status_code == 302 and response["Location"] == conference.get_absolute_url()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Chưa có giấy chứng nhận nào được cấp." in messages


def test_issue_certificates_on_the_page(client, login, users):
    login("vptt.cantho")
    conference = held_today(upcoming())
    conference.__class__.objects.filter(pk=conference.pk).update(requires_test=False)
    participant = conference.participants.order_by("pk").first()
    services.checkin(actor=users["vptt.cantho"], conference=conference, code=participant.code)
    url = reverse("training:certificates_issue", args=[conference.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert "Đã cấp 1 giấy chứng nhận." in [str(m) for m in response.wsgi_request._messages]
    response = client.post(url)
    assert "Đã cấp 0 giấy chứng nhận." in [str(m) for m in response.wsgi_request._messages]
    assert Certificate.objects.filter(participant__conference=conference).count() == 1
    login("lanhdao.cantho")
    assert client.post(url).status_code == 404


# --- Calendar -------------------------------------------------------------------------------------------
def _unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def test_icalendar_lists_upcoming_conferences_in_scope(client, login):
    login("vptt.cantho")
    response = client.get(reverse("training:calendar"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "RFC 5545 lines are folded at 75 octets"
    lines = _unfold(raw.decode("utf-8"))
    assert lines.count("BEGIN:VEVENT") == 1  # the two 2024 conferences are over
    conference = upcoming()
    start = conference.start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in lines
    assert start.endswith("010000Z")  # 08:00 in Cần Thơ is 01:00 UTC
    summary = next(line for line in lines if line.startswith("SUMMARY:"))
    assert summary == "SUMMARY:" + conference.title.replace(",", "\\,")
    assert any(line.startswith("URL:") and line.endswith(conference.get_absolute_url()) for line in lines)


def test_icalendar_folds_long_lines_without_breaking_characters(client, login):
    login("vptt.cantho")
    conference = upcoming()
    conference.__class__.objects.filter(pk=conference.pk).update(venue="Hội trường tầng ba " * 8)
    raw = client.get(reverse("training:calendar")).content
    physical = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in physical)
    assert any(line.startswith(b" ") for line in physical)
    for line in physical:
        line.decode("utf-8")  # no multi-byte character split across a fold
    location = next(line for line in _unfold(raw.decode("utf-8")) if line.startswith("LOCATION:"))
    assert location == "LOCATION:" + "Hội trường tầng ba " * 8


def test_icalendar_outside_scope_is_empty(client, login):
    login("vptt.hcm")
    lines = _unfold(client.get(reverse("training:calendar")).content.decode("utf-8"))
    assert "BEGIN:VEVENT" not in lines


def test_icalendar_needs_login(client, db):
    assert client.get(reverse("training:calendar")).status_code == 302


# --- Coverage -------------------------------------------------------------------------------------------
def test_coverage_lists_units_and_untrained_agencies(client, login, users):
    login("vptt.cantho")
    conference = held_today(upcoming())
    participant = conference.participants.select_related("person__agency").order_by("pk").first()
    trained = participant.person.agency
    services.checkin(actor=users["vptt.cantho"], conference=conference, code=participant.code)
    response = client.get(reverse("training:coverage"))
    assert response.status_code == 200
    untrained = {a.pk for a in response.context["untrained"]}
    assert trained.pk not in untrained
    in_scope = Agency.objects.filter(unit__path__startswith="/VN/92/", merged_into__isnull=True)
    assert response.context["untrained_count"] == in_scope.count() - 1
    rows = response.context["rows"]
    assert rows and all(r.unit.path.startswith("/VN/92/") for r in rows)
    assert sum(r.trained_people for r in rows) == 1
    assert sum(r.agencies for r in rows) == Agency.objects.filter(unit__path__startswith="/VN/92/").count()
    row = next(r for r in rows if trained.unit.path.startswith(r.unit.path))
    assert row.trained_agencies == 1
    assert set(row.by_topic) == set(
        conference.sessions.exclude(topic=None).values_list("topic__title", flat=True)
    )
    text = response.content.decode()
    assert row.unit.name in text
    untrained_name = next(a.name for a in response.context["untrained"])
    assert untrained_name in text


def test_coverage_respects_scope(client, login):
    login("vptt.hcm")
    response = client.get(reverse("training:coverage"))
    assert response.status_code == 200
    text = response.content.decode()
    names = {a.name for a in response.context["untrained"]}
    assert names and not any("Cần Thơ" in n or "Hậu Giang" in n for n in names)
    assert "Công an thành phố Cần Thơ" not in text and "Sở Y tế thành phố Cần Thơ" not in text
    assert all(r.unit.path.startswith("/VN/79/") for r in response.context["rows"])


def test_coverage_is_hidden_from_roles_without_delegate_access(client, login):
    login("quantri")
    assert client.get(reverse("training:coverage")).status_code == 404

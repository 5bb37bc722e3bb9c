"""Numbered situation reports of an incident: written by the office that handles it, numbered in turn, never
changed, and downloaded as DOCX/PDF in the Decree 30 layout with each agency's items in figures and only the
log lines since the previous report; hidden wherever the incident is."""

import io

import docx
import pytest
from django.urls import reverse

from pckb.audit.models import AuditEntry
from pckb.core.choices import Classification
from pckb.response import services
from pckb.response.models import ChecklistItem, IncidentLogEntry, SituationReport
from tests.response.test_incident import activated, make_incident
from tests.support.mixins import token_client

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def write(client, incident, situation):
    return client.post(
        reverse("response:situationreport_add") + f"?incident={incident.pk}",
        {"incident": incident.pk, "situation": situation, "measures": "", "proposals": "Đề nghị tăng cường"},
    )


def test_reports_are_numbered_and_the_document_tells_the_situation(client, users):
    incident = activated(users, "Sự cố thử báo cáo nhanh")
    client.force_login(users["tiepnhan.cantho"])
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Lập báo cáo nhanh" in page
    assert write(client, incident, "Đã phong tỏa khu vực thử").status_code == 302
    services.checklist_acknowledge(
        actor=users["vptt.cantho"],
        item=ChecklistItem.objects.filter(incident=incident, needs_ack=True).first(),
    )
    IncidentLogEntry.objects.create(incident=incident, text="Dòng diễn biến sau báo cáo số 1")
    assert write(client, incident, "Tình hình đã ổn định thử").status_code == 302
    first, second = SituationReport.objects.filter(incident=incident).order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert second.author == users["tiepnhan.cantho"].get_full_name()

    response = client.get(reverse("response:situationreport_file", args=[second.pk, "docx"]))
    assert response.status_code == 200
    text = text_of(response.content)
    assert "BÁO CÁO NHANH" in text and "Số: 2/BCN-BCĐ" in text
    assert "Tình hình đã ổn định thử" in text and "Đề nghị tăng cường" in text
    assert "Dòng diễn biến sau báo cáo số 1" in text
    assert "Kích hoạt" not in text  # the activation line belongs to report no. 1's period
    assert "Công an thành phố Cần Thơ" in text  # the agency table
    pdf = client.get(reverse("response:situationreport_file", args=[second.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="export", object_type="response.situationreport").count() == 2
    assert client.get(reverse("response:situationreport_file", args=[second.pk, "odt"])).status_code == 404


def test_a_report_is_never_changed_and_the_api_only_reads(users):
    incident = activated(users, "Sự cố thử chỉ đọc")
    report = services.situation_report_create(
        actor=users["vptt.cantho"], report=SituationReport(incident=incident, situation="Thử")
    )
    api = token_client(users["vptt.cantho"])
    url = f"/api/v1/response/situation-reports/{report.pk}"
    assert api.get(url).json()["number"] == 1
    assert api.patch(url, {"situation": "Sửa"}, content_type="application/json").status_code == 405
    assert api.delete(url).status_code == 405


def test_who_may_not_see_or_write_gets_404(client, users):
    incident = activated(users, "Sự cố thử quyền báo cáo nhanh")
    report = services.situation_report_create(
        actor=users["vptt.cantho"], report=SituationReport(incident=incident, situation="Thử quyền")
    )
    secret = make_incident("Sự cố thử mật báo cáo", "P92", Classification.CONFIDENTIAL)
    hidden = services.situation_report_create(
        actor=users["vptt.cantho"], report=SituationReport(incident=secret, situation="Thử mật")
    )
    file_url = reverse("response:situationreport_file", args=[report.pk, "docx"])
    client.force_login(users["daumoi.cantho"])  # sees the incident (its agency has items), not its reports
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Lập báo cáo nhanh" not in page and file_url not in page
    assert client.get(file_url).status_code == 404
    assert client.get(reverse("response:situationreport_add") + f"?incident={incident.pk}").status_code == 404
    client.force_login(users["vptt.hcm"])
    assert client.get(file_url).status_code == 404
    client.force_login(users["xa.ninhkieu"])
    assert client.get(reverse("response:situationreport_file", args=[hidden.pk, "pdf"])).status_code == 404
    before = SituationReport.objects.count()
    client.force_login(users["vptt.hcm"])
    assert write(client, incident, "Không được ghi").status_code in (200, 404)
    assert SituationReport.objects.count() == before


def test_a_report_on_a_mat_incident_prints_mat_under_its_number(client, users):
    from tests.support.documents import docx_marks, pdf_marks

    plain = activated(users, "Sự cố thử dấu mật thường")
    secret = make_incident("Sự cố thử dấu mật", "P92", Classification.CONFIDENTIAL)
    client.force_login(users["vptt.cantho"])
    for incident, mark in ((plain, ""), (secret, "MẬT")):
        report = services.situation_report_create(
            actor=users["vptt.cantho"], report=SituationReport(incident=incident, situation="Thử dấu mật")
        )
        docx_file = client.get(reverse("response:situationreport_file", args=[report.pk, "docx"]))
        assert docx_marks(docx_file.content) == [mark]
        pdf_file = client.get(reverse("response:situationreport_file", args=[report.pk, "pdf"]))
        assert pdf_marks(pdf_file.content) == [mark]

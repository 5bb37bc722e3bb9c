"""CAP 1.2: alerts we build validate against the official OASIS schema, a received alert becomes a report
on the intake page (every fault listed, nothing saved on a fault), and hostile XML reads nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pckb.audit.models import AuditEntry
from pckb.geo.models import AdministrativeUnit
from pckb.response import cap
from pckb.response.models import Report

SENT = dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC)


def alert(status="Actual", **info) -> cap.Alert:
    details = {
        "event": "Đe dọa đánh bom tại nơi đông người",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Likely",
        "category": ("Security", "CBRNE"),
        "headline": "Phát hiện vật khả nghi tại Bến xe trung tâm",
        "description": "Lực lượng chức năng đang phong tỏa khu vực, sơ tán người dân.",
        "instruction": "Tránh xa khu vực trong bán kính 300 m.",
        "sender_name": "Ban Chỉ đạo PCKB thành phố Cần Thơ (thử nghiệm)",
        "area_desc": "Phường Cái Khế, thành phố Cần Thơ",
        "circles": (cap.Circle(10.04516, 105.78682, 0.3),),
        **info,
    }
    return cap.Alert(
        identifier="PCKB-CT-2026-0001",
        sender="bcd.cantho@pckb.invalid",
        sent=SENT,
        status=status,
        msg_type="Alert",
        scope="Restricted",
        restriction="Các cơ quan thành viên Ban Chỉ đạo",
        info=(cap.Info(**details),),
    )


@pytest.mark.parametrize("status", ["Actual", "Exercise"])
def test_an_alert_we_build_is_valid_cap_1_2(status):
    xml = cap.to_xml(alert(status))
    assert cap.schema_errors(xml) == []
    text = xml.decode()
    assert "<sent>2026-12-06T16:30:00+07:00</sent>" in text  # local time with its offset, never Z
    assert f"<status>{status}</status>" in text
    assert "<circle>10.04516,105.78682 0.3</circle>" in text
    assert cap.parse(xml) == alert(status)


def test_every_schema_fault_is_named():
    xml = cap.to_xml(alert()).decode()
    broken = xml.replace("<status>Actual</status>", "<status>Real</status>").replace(
        "+07:00</sent>", "Z</sent>"
    )
    errors = cap.schema_errors(broken.encode())
    assert len(errors) == 2
    assert any("status" in e and "Real" in e for e in errors)
    assert any("sent" in e for e in errors)
    with pytest.raises(ValidationError) as raised:
        cap.parse(broken.encode())
    assert raised.value.messages[0] == "Tệp không đúng chuẩn CAP 1.2:"


def test_an_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("NOI-DUNG-BI-MAT")
    xml = (
        cap.to_xml(alert())
        .decode()
        .replace(
            "<?xml version='1.0' encoding='UTF-8'?>",
            f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file://{secret}">]>',
        )
        .replace("Lực lượng chức năng", "&x;")
    )
    with pytest.raises(ValidationError) as raised:
        cap.parse(xml.encode())
    assert raised.value.messages == ["Tệp CAP không được có khai báo DOCTYPE."]


def upload(xml: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("canh-bao.xml", xml, content_type="application/xml")


@pytest.mark.django_db
def test_the_intake_officer_records_a_received_alert_as_a_report(client, login):
    url = reverse("response:report_cap_import")
    login("tiepnhan.cantho")
    assert url in client.get(reverse("response:report_list")).content.decode()
    before = Report.objects.count()
    response = client.post(
        url, {"receiving_unit": "P92", "classification": 0, "cap_file": upload(cap.to_xml(alert()))}
    )
    assert response.status_code == 302
    report = Report.objects.latest("pk")
    assert Report.objects.count() == before + 1
    assert response["Location"] == report.get_absolute_url()
    assert report.channel == "agency" and report.receiving_unit.code == "P92"
    assert "Phát hiện vật khả nghi tại Bến xe trung tâm" in report.summary
    assert "PCKB-CT-2026-0001" in report.summary
    assert "bán kính 0.3 km" in report.assessment
    assert report.place_text == "Phường Cái Khế, thành phố Cần Thơ"
    assert AuditEntry.objects.filter(object_type="response.report", object_id=str(report.pk)).exists()


@pytest.mark.django_db
def test_a_faulty_alert_or_a_unit_outside_scope_saves_nothing(client, login):
    url = reverse("response:report_cap_import")
    login("tiepnhan.cantho")
    before = Report.objects.count()
    broken = cap.to_xml(alert()).replace(b"<urgency>Immediate</urgency>", b"<urgency>Soon</urgency>")
    page = client.post(url, {"receiving_unit": "P92", "classification": 0, "cap_file": upload(broken)})
    text = page.content.decode()
    assert page.status_code == 200 and "Tệp không đúng chuẩn CAP 1.2:" in text and "urgency" in text
    hcm = AdministrativeUnit.objects.get(code="P79")
    page = client.post(
        url, {"receiving_unit": hcm.code, "classification": 0, "cap_file": upload(cap.to_xml(alert()))}
    )
    assert page.status_code == 200 and "error-summary" in page.content.decode()
    page = client.post(
        url, {"receiving_unit": "P92", "classification": 0, "cap_file": upload(b"not xml at all")}
    )
    assert "Tệp không phải XML hợp lệ" in page.content.decode()
    assert Report.objects.count() == before


@pytest.mark.django_db
def test_roles_that_do_not_record_reports_see_no_import(client, login):
    url = reverse("response:report_cap_import")
    for username in ("daumoi.cantho", "lanhdao.cantho"):
        login(username)
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"receiving_unit": "P92", "cap_file": upload(cap.to_xml(alert()))}).status_code
            == 404
        )
    login("lanhdao.cantho")
    assert url not in client.get(reverse("response:report_list")).content.decode()

"""Control characters are refused wherever data comes in — form, API and CSV import — with a clear
Vietnamese message, and nothing is written."""

from django.core.files.uploadedfile import SimpleUploadedFile

from pckb.directory.models import Agency
from pckb.geo.models import AdministrativeUnit

CONTROL = "Không được chứa ký tự điều khiển"


def test_form_refuses_an_escape_character(client, login):
    login("vptt.cantho")
    before = Agency.objects.count()
    response = client.post(
        "/to-chuc/co-quan/them/",
        {"name": "Sở Nội vụ\x1b[2J thành phố Cần Thơ", "kind": "department", "unit": "P92"},
    )
    assert response.status_code == 200
    assert CONTROL in response.content.decode()
    assert Agency.objects.count() == before


def test_form_refuses_a_line_break_in_a_one_line_field(client, login):
    login("vptt.cantho")
    response = client.post(
        "/to-chuc/co-quan/them/", {"name": "Sở Nội vụ\r\nBEGIN:VEVENT", "kind": "department", "unit": "P92"}
    )
    assert "không được chứa dấu xuống dòng" in response.content.decode()
    assert not Agency.objects.filter(name__startswith="Sở Nội vụ\r").exists()


def test_api_refuses_control_characters(api_client):
    unit = AdministrativeUnit.objects.get(code="P92")
    before = Agency.objects.count()
    response = api_client("vptt.cantho").post(
        "/api/v1/agencies/",
        {"name": "Sở\x1b[31m Nội vụ", "kind": "other", "unit": unit.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert CONTROL in response.json()["detail"]["name"][0]
    assert Agency.objects.count() == before


def test_csv_import_refuses_a_nul_character_naming_line_and_column(client, login):
    login("vptt.cantho")
    before = Agency.objects.count()
    text = "Tên cơ quan,Loại,Mã địa bàn\nSở Tư pháp,other,P92\nSở\x00 Y tế,other,P92\n"
    response = client.post(
        "/to-chuc/co-quan/nhap/", {"file": SimpleUploadedFile("a.csv", text.encode(), "text/csv")}
    )
    page = response.content.decode()
    assert "Dòng 3, cột 1: " + CONTROL in page
    assert Agency.objects.count() == before


def test_csv_import_with_a_200000_character_cell_is_a_clear_error(client, login):
    login("vptt.cantho")
    before = Agency.objects.count()
    text = "Tên cơ quan,Loại,Mã địa bàn\n" + '"' + "A" * 200_000 + '",other,P92\n'
    response = client.post(
        "/to-chuc/co-quan/nhap/", {"file": SimpleUploadedFile("a.csv", text.encode(), "text/csv")}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dòng 2" in page and ("quá dài" in page or "dài quá" in page)
    assert Agency.objects.count() == before


def test_delegate_csv_import_with_a_huge_cell_is_a_clear_error(client, login):
    from django.urls import reverse

    from tests.training.test_services import upcoming

    conference = upcoming()
    login("vptt.cantho")
    before = conference.participants.count()
    text = "Họ và tên,Cơ quan,Chức vụ\n" + "B" * 200_000 + ",Công an thành phố Cần Thơ,Cán bộ\n"
    response = client.post(
        reverse("training:participant_import", args=[conference.pk]),
        {"file": SimpleUploadedFile("d.csv", text.encode(), "text/csv")},
    )
    assert response.status_code == 200
    assert "quá dài" in response.content.decode() or "dài quá" in response.content.decode()
    assert conference.participants.count() == before

"""CSV import: all or nothing, every fault with its line and column."""

from pckb.audit.models import AuditEntry
from pckb.directory.models import Agency, Person


def upload(client, url, text, name="du-lieu.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url, {"file": SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")})


def test_valid_file_imports_every_row_and_audits(client, login):
    login("vptt.cantho")
    csv_text = (
        "Tên cơ quan,Tên viết tắt,Loại,Mã địa bàn,Địa chỉ,Điện thoại,Thư điện tử\n"
        "Sở Nội vụ thành phố Cần Thơ,SNV,Sở, ban, ngành,P92,,,\n".replace(
            "Sở, ban, ngành", '"Sở, ban, ngành"'
        )
        + "Công an xã Thới Lai,,police,X31261,,,\n"
    )
    before = Agency.objects.count()
    response = upload(client, "/to-chuc/co-quan/nhap/", csv_text)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Agency.objects.count() == before + 2
    assert Agency.objects.get(short_name="SNV").kind == "department"
    assert AuditEntry.objects.order_by("-seq").first().action == "import"


def test_faulty_file_changes_nothing_and_names_line_and_column(client, login):
    login("vptt.cantho")
    csv_text = (
        "Họ và tên,Cấp bậc,Chức vụ,Cơ quan,Điện thoại cơ quan,Di động,Thư điện tử,Độ mật\n"
        "Trần Văn Một,,Chuyên viên,Công an thành phố Cần Thơ,,,,Thường\n"
        ",,Chuyên viên,Công an thành phố Cần Thơ,,,,\n"
        "Lê Văn Ba,,Chuyên viên,Công an Thành phố Hồ Chí Minh,,,,\n"
        "Phạm Văn Bốn,,Chuyên viên,Công an thành phố Cần Thơ,,,khong-phai-email,Tuyệt mật\n"
    )
    before = Person.objects.count()
    response = upload(client, "/to-chuc/can-bo/nhap/", csv_text)
    page = response.content.decode()
    assert response.status_code == 200
    assert Person.objects.count() == before, "nothing is written when any row is faulty"
    assert "Dòng 3, cột 1 (Họ và tên): Không được để trống." in page
    assert "Dòng 4, cột 4 (Cơ quan): Không tìm thấy cơ quan" in page
    assert "Dòng 5, cột 8 (Độ mật): Hệ thống không lưu tài liệu Tuyệt mật." in page
    assert "Trần Văn Một" not in {p.full_name for p in Person.objects.all()}


def test_model_validation_faults_are_reported_per_cell(client, login):
    login("vptt.cantho")
    csv_text = (
        "Họ và tên,Chức vụ,Cơ quan,Thư điện tử\n"
        "Phạm Văn Năm,Chuyên viên,Công an thành phố Cần Thơ,khong-phai-email\n"
    )
    page = upload(client, "/to-chuc/can-bo/nhap/", csv_text).content.decode()
    assert "Dòng 2, cột 4 (Thư điện tử):" in page


def test_unknown_column_and_wrong_encoding(client, login):
    login("vptt.cantho")
    page = upload(client, "/to-chuc/co-quan/nhap/", "Tên cơ quan,Màu sắc\nA,B\n").content.decode()
    assert "Dòng 1, cột 2 (Màu sắc): Tên cột không hợp lệ." in page
    assert "Thiếu cột bắt buộc" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    latin = SimpleUploadedFile("a.csv", b"T\xean c\xf4 quan\nS\xf4\n", "text/csv")  # Latin-1, not UTF-8
    page = client.post("/to-chuc/co-quan/nhap/", {"file": latin}).content.decode()
    assert "Tệp không phải mã UTF-8." in page


def test_wrong_file_type_is_refused(client, login):
    login("vptt.cantho")
    page = upload(client, "/to-chuc/co-quan/nhap/", "x", name="anh.png").content.decode()
    assert "Chỉ nhận tệp .csv hoặc .xlsx." in page


def test_readers_cannot_import(client, login):
    login("lanhdao.cantho")
    assert client.get("/to-chuc/co-quan/nhap/").status_code == 404


def test_vietnamese_headers_import_for_an_english_user(client, login):
    login("vptt.cantho")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = upload(
        client, "/to-chuc/co-quan/nhap/", "Tên cơ quan,Loại,Mã địa bàn\nSở Tư pháp Cần Thơ,department,P92\n"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Agency.objects.filter(name="Sở Tư pháp Cần Thơ").exists()

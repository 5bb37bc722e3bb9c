"""Imports and exports people can work with: one pass names every fault, a template to start from, an
export with every field the import takes (and that the import takes back unchanged), an XLSX laid out for
reading, Vietnamese file names."""

import csv
import io
import re
import urllib.parse

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from pckb.audit.models import AuditEntry
from pckb.directory.models import Agency, Person

PEOPLE = "/to-chuc/can-bo/"
PEOPLE_IMPORT = "/to-chuc/can-bo/nhap/"
PERSON_HEADER = "Họ và tên,Cấp bậc,Chức vụ,Cơ quan,Điện thoại cơ quan,Di động,Thư điện tử,Độ mật\n"


def upload(client, url, content, name="du-lieu.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(url, {"file": SimpleUploadedFile(name, data, "application/octet-stream")})


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def people_snapshot():
    return sorted(
        Person.objects.values_list(
            "pk",
            "full_name",
            "rank",
            "title",
            "agency_id",
            "office_phone",
            "mobile",
            "email",
            "classification",
        )
    )


def cantho_people():
    from pckb.accounts.models import User

    return Person.objects.filter(
        agency__unit__path__startswith=User.objects.get(username="vptt.cantho").scope_path
    )


def test_one_pass_reports_every_fault_of_every_row_and_writes_nothing(client, login):
    login("vptt.cantho")
    csv_text = (
        PERSON_HEADER + ",,Chuyên viên,Công an thành phố Cần Thơ,,,,\n"  # line 2: no name
        "Lê Văn Ba,,Chuyên viên,Cơ quan Không Có Thật,,,,\n"  # line 3: unknown agency
        "Phạm Văn Bốn,,Chuyên viên,Công an thành phố Cần Thơ,,,khong-phai-email,\n"  # line 4: bad e-mail
        "Võ Văn Năm,,,Công an thành phố Cần Thơ,,,sai@,Tuyệt mật\n"  # line 5: three faults
        "Đỗ Văn Sáu,,Chuyên viên,Công an thành phố Cần Thơ,,,,Thường\n"  # line 6: fine
    )
    before = people_snapshot()
    response = upload(client, PEOPLE_IMPORT, csv_text)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dòng 2, cột 1 (Họ và tên): Không được để trống." in page
    assert "Dòng 3, cột 4 (Cơ quan): Không tìm thấy cơ quan" in page
    # The model's own check (a valid e-mail) shows on the same pass as the cell faults of other rows.
    assert "Dòng 4, cột 7 (Thư điện tử):" in page
    assert "Dòng 5, cột 3 (Chức vụ): Không được để trống." in page
    assert "Dòng 5, cột 7 (Thư điện tử):" in page
    assert "Dòng 5, cột 8 (Độ mật): Hệ thống không lưu tài liệu Tuyệt mật." in page
    assert "Dòng 6" not in page
    assert "Tệp có 6 lỗi; chưa dữ liệu nào được ghi." in page
    assert people_snapshot() == before, "nothing is written when any row is faulty"


def test_the_template_has_the_exact_headers_and_an_example_row_that_imports(client, login):
    login("vptt.cantho")
    page = client.get(PEOPLE_IMPORT).content.decode()
    assert 'href="?mau=xlsx"' in page and 'href="?mau=csv"' in page
    response = client.get(PEOPLE_IMPORT, {"mau": "csv"})
    assert response.status_code == 200
    assert 'filename="mau-nhap-can-bo-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert ",".join(rows[0]) + "\n" == PERSON_HEADER
    assert len(rows) == 2 and rows[1][0] == "Nguyễn Văn Mẫu"

    xlsx = client.get(PEOPLE_IMPORT, {"mau": "xlsx"})
    ws = load_workbook(io.BytesIO(body(xlsx))).active
    assert [c.value for c in ws[1]] == PERSON_HEADER.strip().split(",")
    assert [c.value or "" for c in ws[2]] == rows[1]
    assert ws.freeze_panes == "A2"

    # Both templates, filled with nothing but their example, import as they are.
    before = Person.objects.count()
    assert upload(client, PEOPLE_IMPORT, body(response), "mau.csv").status_code == 302
    assert upload(client, PEOPLE_IMPORT, body(xlsx), "mau.xlsx").status_code == 302
    assert Person.objects.filter(full_name="Nguyễn Văn Mẫu").count() == 2
    assert Person.objects.count() == before + 2


def test_agency_template_headers(client, login):
    login("vptt.cantho")
    rows = list(
        csv.reader(
            io.StringIO(body(client.get("/to-chuc/co-quan/nhap/", {"mau": "csv"})).decode("utf-8-sig"))
        )
    )
    assert rows[0] == [
        "Tên cơ quan",
        "Tên viết tắt",
        "Loại",
        "Mã địa bàn",
        "Địa chỉ",
        "Điện thoại",
        "Thư điện tử",
    ]
    assert rows[1][3] == "P92", "the example unit is the user's own"


def test_people_export_reimports_unchanged(client, login):
    login("vptt.cantho")
    cantho_people().filter(pk=cantho_people().first().pk).update(
        email="mot.nguoi@example.gov.vn", office_phone="0292 3800 002", rank="Trung tá"
    )
    response = client.get(PEOPLE, {"export": "csv"})
    content = body(response)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Mã hệ thống",
        "Họ và tên",
        "Cấp bậc",
        "Chức vụ",
        "Cơ quan",
        "Điện thoại cơ quan",
        "Di động",
        "Thư điện tử",
        "Độ mật",
    ]
    assert len(rows) > 5, "the demo's people of Cần Thơ are exported"
    assert any(row[7] for row in rows[1:]), "contacts are part of the export"
    before = people_snapshot()
    response = upload(client, PEOPLE_IMPORT, content, "can-bo.csv")
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert people_snapshot() == before, "re-importing an export changes nothing"
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "import"
    assert f"0 mới, 0 cập nhật, {len(rows) - 1} không đổi" in entry.object_repr

    # The XLSX export (title, scope and date above the table) imports back unchanged too.
    xlsx = body(client.get(PEOPLE, {"export": "xlsx"}))
    assert upload(client, PEOPLE_IMPORT, xlsx, "can-bo.xlsx").status_code == 302
    assert people_snapshot() == before

    # A changed cell updates that one person.
    rows[1][3] = "Phó Trưởng phòng (đã đổi)"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    assert upload(client, PEOPLE_IMPORT, buffer.getvalue()).status_code == 302
    assert Person.objects.get(pk=int(rows[1][0])).title == "Phó Trưởng phòng (đã đổi)"
    assert Person.objects.count() == len(before)


def test_a_key_outside_the_users_reach_is_a_fault(client, login):
    login("vptt.cantho")
    outside = Person.objects.exclude(pk__in=cantho_people()).first()
    csv_text = (
        "Mã hệ thống," + PERSON_HEADER + f"{outside.pk},Ai Đó,,Chuyên viên,Công an thành phố Cần Thơ,,,,\n"
    )
    page = upload(client, PEOPLE_IMPORT, csv_text).content.decode()
    assert f"Dòng 2, cột 1 (Mã hệ thống): Không có bản ghi mã “{outside.pk}” mà bạn được sửa." in page
    assert Person.objects.get(pk=outside.pk).full_name != "Ai Đó"


def test_xlsx_export_has_title_scope_date_frozen_header_and_widths(client, login):
    login("vptt.cantho")
    response = client.get(PEOPLE, {"export": "xlsx"})
    ws = load_workbook(io.BytesIO(body(response))).active
    assert ws["A1"].value == "Danh sách cán bộ"
    assert ws["A1"].font.bold
    assert ws["A2"].value == "Phạm vi: Thành phố Cần Thơ"
    now = timezone.localtime()
    match = re.fullmatch(r"Ngày xuất: (\d\d/\d\d/\d{4}) (\d\d):(\d\d)", ws["A3"].value)
    assert match and match.group(1) == now.strftime("%d/%m/%Y")
    assert ws["A4"].value is None
    assert ws["A5"].value == "Mã hệ thống" and ws["B5"].value == "Họ và tên"
    assert ws["B5"].font.bold and ws["B5"].fill.fgColor.rgb.endswith("1F3864")
    assert ws.freeze_panes == "A6"
    assert ws.auto_filter.ref.startswith("A5:I")
    widths = {col: ws.column_dimensions[col].width for col in "ABCDEFGHI"}
    assert widths["B"] >= max(len(c.value or "") for c in ws["B"][5:]) + 1, "names fit their column"
    assert ws["E6"].alignment.wrap_text, "a long agency name wraps in its cell"
    assert widths["E"] > widths["A"], "the agency column is wider than the id"
    assert all(8 <= w <= 47 for w in widths.values())
    data = [c for row in ws.iter_rows(min_row=6) for c in row if c.value is not None]
    assert data and all(c.data_type == "s" for c in data), "every cell is text"


def test_national_scope_and_agency_export(client, login):
    login("vptt.quocgia")
    ws = load_workbook(io.BytesIO(body(client.get("/to-chuc/co-quan/", {"export": "xlsx"})))).active
    assert ws["A1"].value == "Danh sách cơ quan"
    assert ws["A2"].value == "Phạm vi: Toàn quốc"
    assert [c.value for c in ws[5]][:5] == [
        "Mã hệ thống",
        "Tên cơ quan",
        "Tên viết tắt",
        "Loại",
        "Mã địa bàn",
    ]
    assert ws["E6"].value == Agency.objects.get(pk=int(ws["A6"].value)).unit.code


def test_file_names_are_vietnamese_and_ascii_safe(client, login):
    login("vptt.cantho")
    today = timezone.localdate().strftime("%Y-%m-%d")
    for fmt in ("xlsx", "csv"):
        disposition = client.get(PEOPLE, {"export": fmt})["Content-Disposition"]
        assert disposition.startswith(f'attachment; filename="can-bo-{today}.{fmt}"')
        assert disposition.isascii()
        star = disposition.split("filename*=UTF-8''")[1]
        assert urllib.parse.unquote(star) == f"cán-bộ-{today}.{fmt}"
    disposition = client.get("/to-chuc/co-quan/", {"export": "xlsx"})["Content-Disposition"]
    assert f'filename="co-quan-{today}.xlsx"' in disposition


def test_csv_export_quote_reads_back(client, login):
    """A cell the export neutralised with a quote (a phone written "+84 …") imports back as it was."""
    login("vptt.cantho")
    person = cantho_people().first()
    Person.objects.filter(pk=person.pk).update(mobile="+84 900 000 000")
    content = body(client.get(PEOPLE, {"export": "csv"}))
    assert "'+84 900 000 000" in content.decode("utf-8-sig")
    assert upload(client, PEOPLE_IMPORT, content).status_code == 302
    person.refresh_from_db()
    assert person.mobile == "+84 900 000 000"


def test_agency_export_reimports_unchanged(client, login):
    login("vptt.cantho")
    before = sorted(Agency.objects.values_list())
    for fmt in ("csv", "xlsx"):
        content = body(client.get("/to-chuc/co-quan/", {"export": fmt}))
        response = upload(client, "/to-chuc/co-quan/nhap/", content, f"co-quan.{fmt}")
        assert response.status_code == 302, response.content.decode()[-3000:]
    assert sorted(Agency.objects.values_list()) == before


def test_a_long_cell_wraps_in_a_taller_row(client, login):
    login("vptt.cantho")
    person = cantho_people().first()
    Person.objects.filter(pk=person.pk).update(title="Chỉ huy trưởng " * 8)
    ws = load_workbook(io.BytesIO(body(client.get(PEOPLE, {"export": "xlsx"})))).active
    row = next(r[0].row for r in ws.iter_rows(min_row=6) if r[0].value == str(person.pk))
    assert ws.row_dimensions[row].height >= 45
    assert ws["D5"].value == "Chức vụ" and ws.column_dimensions["D"].width <= 47


def test_xlsx_faults_name_the_sheet_line_and_a_broken_workbook_is_refused(client, login):
    login("vptt.cantho")
    content = body(client.get(PEOPLE, {"export": "xlsx"}))
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    ws["H7"] = "khong-phai-email"  # the second person (sheet line 7, under the title rows)
    ws["B8"] = None  # the third person loses the name
    buffer = io.BytesIO()
    wb.save(buffer)
    before = people_snapshot()
    page = upload(client, PEOPLE_IMPORT, buffer.getvalue(), "can-bo.xlsx").content.decode()
    assert "Dòng 7, cột 8 (Thư điện tử):" in page
    assert "Dòng 8, cột 2 (Họ và tên): Không được để trống." in page
    assert people_snapshot() == before
    page = upload(client, PEOPLE_IMPORT, b"PK\x03\x04 not really a workbook", "hong.xlsx").content.decode()
    assert "Không đọc được tệp XLSX." in page


def test_delegates_import_reports_two_faults_of_one_row(client, login):
    from pckb.training.models import Conference

    login("vptt.cantho")
    conference = Conference.objects.get(status="invited")
    before = conference.participants.count()
    text = "Họ và tên,Cơ quan,Chức vụ\n,Cơ quan Không Có Thật,Chuyên viên\n"
    upload_file = SimpleUploadedFile("dai-bieu.csv", text.encode("utf-8"), "text/csv")
    page = client.post(f"/tap-huan/hoi-nghi/{conference.pk}/nhap-dai-bieu/", {"file": upload_file})
    page = page.content.decode()
    assert "Dòng 2, cột 1 (Họ và tên): Không được để trống." in page
    assert "Dòng 2, cột 2 (Cơ quan): Không tìm thấy cơ quan" in page
    assert conference.participants.count() == before

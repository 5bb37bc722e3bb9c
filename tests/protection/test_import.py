"""Key targets from CSV and XLSX: all or nothing, every fault with line and column in one pass, a template,
the export read back unchanged, and old (pre-2025) communes converted to today's — each conversion listed,
an ambiguous one refused with the candidates named. Also the CLI ``import_targets`` with its progress."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from pckb.audit.models import AuditEntry
from pckb.geo.conversion import convert_old_commune
from pckb.protection.models import Target

pytestmark = pytest.mark.django_db

TARGETS = "/bao-ve/muc-tieu/"
IMPORT = "/bao-ve/muc-tieu/nhap/"
HEADER = [
    "Tên mục tiêu",
    "Loại mục tiêu",
    "Mã xã, phường",
    "Xã cũ",
    "Huyện cũ",
    "Tỉnh cũ",
    "Địa chỉ",
    "Cơ quan quản lý (trong danh bạ)",
    "Cơ quan, tổ chức quản lý (ngoài danh bạ)",
    "Mức độ bảo vệ",
    "Cơ quan chịu trách nhiệm bảo vệ",
    "Vĩ độ",
    "Kinh độ",
    "Ghi chú bố trí, mặt bằng",
    "Độ mật",
]


def category_name() -> str:
    from pckb.protection.models import TargetCategory

    return TargetCategory.objects.filter(active=True).order_by("order", "id").first().name


def row(name, unit="", old=("", "", ""), level="Quan trọng", lat="", lon="", **extra) -> list[str]:
    cells = dict(zip(HEADER, [""] * len(HEADER), strict=True))
    cells.update(
        {
            "Tên mục tiêu": name,
            "Loại mục tiêu": extra.get("category", category_name()),
            "Mã xã, phường": unit,
            "Xã cũ": old[0],
            "Huyện cũ": old[1],
            "Tỉnh cũ": old[2],
            "Cơ quan, tổ chức quản lý (ngoài danh bạ)": extra.get("manager", "Công ty Thử Nghiệm"),
            "Mức độ bảo vệ": level,
            "Vĩ độ": lat,
            "Kinh độ": lon,
            "Độ mật": extra.get("classification", "Thường"),
        }
    )
    return [cells[h] for h in HEADER]


def as_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode("utf-8")


def upload(client, data: bytes, name="muc-tieu.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data, "application/octet-stream")})


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def snapshot():
    return sorted(
        Target.objects.values_list(
            "pk",
            "name",
            "category_id",
            "unit_id",
            "address",
            "managing_agency_id",
            "managing_name",
            "protection_level",
            "protecting_agency_id",
            "latitude",
            "longitude",
            "layout_notes",
            "classification",
        )
    )


def test_the_list_offers_import_and_the_template_has_the_exact_headers(client, login):
    login("vptt.cantho")
    assert f'href="{IMPORT}"' in client.get(TARGETS).content.decode()
    page = client.get(IMPORT).content.decode()
    assert "Xã cũ" in page and "bảng chuyển đổi năm 2025" in page
    template = body(client.get(IMPORT, {"mau": "csv"})).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(template)))
    assert rows[0] == HEADER
    assert rows[1][2].startswith("X"), "the example commune is a commune of the user's scope"
    before = Target.objects.count()
    assert upload(client, template.encode()).status_code == 302, "the example row imports as it is"
    assert Target.objects.count() == before + 1


def test_old_communes_are_converted_and_every_conversion_is_listed(client, login):
    login("vptt.cantho")
    rows = [
        row("Trạm Thử Chuyển Đổi Một", old=("Phường An Bình", "Quận Ninh Kiều", "Thành phố Cần Thơ")),
        row("Trạm Thử Chuyển Đổi Hai", old=("Thị trấn Ngã Sáu", "Huyện Châu Thành", "Hậu Giang")),
        row("Trạm Thử Mã Mới", unit="X31120"),
    ]
    response = upload(client, as_csv(rows))
    assert response.status_code == 200, response.content.decode()[-3000:]
    html = response.content.decode()
    assert "Địa bàn cũ đã chuyển sang xã, phường hiện nay" in html
    assert "Dòng 2: Phường An Bình, Quận Ninh Kiều, Thành phố Cần Thơ → Phường An Bình (X31150)" in html
    assert "Dòng 3: Thị trấn Ngã Sáu, Huyện Châu Thành, Tỉnh Hậu Giang → " in html
    assert "Dòng 4" not in html  # a row with today's code needs no conversion
    assert Target.objects.get(name="Trạm Thử Chuyển Đổi Một").unit.code == "X31150"
    assert Target.objects.get(name="Trạm Thử Chuyển Đổi Hai").unit.code == "X31366"
    assert Target.objects.get(name="Trạm Thử Mã Mới").unit.code == "X31120"


def test_an_ambiguous_old_commune_is_refused_with_the_candidates_named(client, login):
    login("vptt.cantho")
    before = snapshot()
    rows = [
        row("Trạm Hợp Lệ", unit="X31120"),
        row("Trạm Xã Bị Chia", old=("Xã Thạnh Quới", "Huyện Vĩnh Thạnh", "Thành phố Cần Thơ")),
    ]
    html = upload(client, as_csv(rows)).content.decode()
    assert "Dòng 3, cột 4 (Xã cũ): Địa bàn cũ “Xã Thạnh Quới, Huyện Vĩnh Thạnh, Thành phố Cần Thơ”" in html
    assert "nay thuộc nhiều xã, phường: Xã Gia Hòa, Thành phố Cần Thơ (X31726); Xã Thạnh Quới" in html
    assert snapshot() == before, "nothing is written"


def test_one_pass_reports_every_fault_of_every_row_with_line_and_column(client, login):
    login("vptt.cantho")
    before = snapshot()
    rows = [
        row("", unit="X31120"),
        row("Trạm Loại Sai", unit="X31120", category="Không có loại này", level="Rất cao"),
        row("Trạm Tọa Độ Sai", unit="X31120", lat="mười", lon="105.7"),
        row("Trạm Không Địa Bàn"),
        row("Trạm Xã Cũ Thiếu", old=("Phường An Bình", "", "")),
        row("Trạm Ngoài Phạm Vi", old=("Phường 1", "Quận 3", "Thành phố Hồ Chí Minh")),
        row("Trạm Mã Lạ", unit="X99999"),
        row("Trạm Tuyệt Mật", unit="X31120", classification="Tuyệt mật"),
    ]
    html = upload(client, as_csv(rows)).content.decode()
    for fault in (
        "Dòng 2, cột 1 (Tên mục tiêu): Không được để trống.",
        "Dòng 3, cột 2 (Loại mục tiêu): Không có loại mục tiêu “Không có loại này” (đang dùng).",
        "Dòng 3, cột 10 (Mức độ bảo vệ): Giá trị “Rất cao” không có trong danh mục.",
        "Dòng 4, cột 12 (Vĩ độ): “mười” không phải là số (ví dụ 10.0341).",
        "Dòng 5, cột 3 (Mã xã, phường): Ghi mã xã, phường mới, hoặc xã, huyện, tỉnh cũ.",
        "Dòng 6, cột 5 (Huyện cũ): Ghi đủ xã, huyện, tỉnh cũ.",
        "Dòng 6, cột 6 (Tỉnh cũ): Ghi đủ xã, huyện, tỉnh cũ.",
        "Dòng 7, cột 4 (Xã cũ): Địa bàn cũ “Phường 1, Quận 3, Thành phố Hồ Chí Minh” nay là Phường Bàn Cờ",
        "Dòng 8, cột 3 (Mã xã, phường): Không tìm thấy xã, phường mã “X99999” trong phạm vi của bạn.",
        "Dòng 9, cột 15 (Độ mật): Hệ thống không lưu tài liệu Tuyệt mật.",
    ):
        assert fault in html, fault
    assert snapshot() == before


def test_the_export_reimports_unchanged_in_csv_and_xlsx(client, login):
    login("vptt.cantho")
    upload(client, as_csv([row("Trạm Có Tọa Độ", unit="X31120", lat="10.0341", lon="105.7852")]))
    content = body(client.get(TARGETS, {"export": "csv"}))
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["Mã hệ thống", *HEADER]
    assert len(rows) > 3
    before = snapshot()
    audit_before = AuditEntry.objects.count()
    response = upload(client, content, "muc-tieu.csv")
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert snapshot() == before
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "import" and f"0 mới, 0 cập nhật, {len(rows) - 1} không đổi" in entry.object_repr
    assert AuditEntry.objects.count() == audit_before + 1

    xlsx = body(client.get(TARGETS, {"export": "xlsx"}))
    assert upload(client, xlsx, "muc-tieu.xlsx").status_code == 302
    assert snapshot() == before

    # A changed level updates that one target, through the audited service.
    index = HEADER.index("Mức độ bảo vệ") + 1
    rows[1][index] = "Đặc biệt quan trọng"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    assert upload(client, buffer.getvalue().encode()).status_code == 302
    assert Target.objects.get(pk=int(rows[1][0])).protection_level == "special"


def test_a_commune_officer_may_not_import(client, login):
    login("xa.ninhkieu")
    assert client.get(IMPORT).status_code == 404
    assert upload(client, as_csv([row("Trạm", unit="X31120")])).status_code == 404


def test_conversion_of_an_unknown_old_commune_says_so():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        convert_old_commune("Xã Không Có Thật", "Huyện Thới Lai", "Cần Thơ")
    assert "Không nhận ra" in exc.value.messages[0]


def test_cli_imports_with_a_progress_bar_and_lists_conversions(tmp_path, users, capsys):
    path = tmp_path / "muc-tieu.csv"
    path.write_bytes(
        as_csv(
            [
                row("Trạm CLI Một", old=("Phường An Bình", "Quận Ninh Kiều", "Thành phố Cần Thơ")),
                row("Trạm CLI Hai", unit="X31120"),
            ]
        )
    )
    out = io.StringIO()
    call_command("import_targets", str(path), "--user", "vptt.cantho", stdout=out)
    text = out.getvalue()
    assert "Dòng 2: Phường An Bình, Quận Ninh Kiều, Thành phố Cần Thơ → Phường An Bình (X31150)" in text
    assert "Đã nhập: 2 mục tiêu mới, 0 cập nhật, 0 không đổi; 1 địa bàn cũ đã chuyển đổi." in text
    assert Target.objects.filter(name__startswith="Trạm CLI").count() == 2
    cli = AuditEntry.objects.filter(object_type="protection.target", action="create").order_by("-seq").first()
    assert cli.source == "cli" and cli.username == "vptt.cantho"
    created = AuditEntry.objects.filter(object_type="protection.target", action="create").order_by("-seq")[:2]
    assert {e.object_repr for e in created} == {"Trạm CLI Một", "Trạm CLI Hai"}  # one entry per target


def test_a_batched_import_keeps_the_audit_chain_intact(client, login):
    from pckb.audit.services import audit_verify

    login("vptt.cantho")
    rows = [row(f"Trạm Lô {i}", unit="X31120", lat="10.03", lon="105.78") for i in range(620)]
    assert upload(client, as_csv(rows)).status_code == 302
    assert Target.objects.filter(name__startswith="Trạm Lô ").count() == 620
    assert Target.objects.get(name="Trạm Lô 7").location_changed is not None
    assert Target.objects.get(name="Trạm Lô 7").search_text  # what save() computes, a bulk insert too
    entries = AuditEntry.objects.filter(object_type="protection.target", action="create")
    assert entries.filter(object_repr__startswith="Trạm Lô ").count() == 620
    assert audit_verify().ok


def test_a_row_refused_at_write_time_is_named_and_the_batch_written_nothing(client, login, monkeypatch):
    """A fault only the write finds (here: the re-check after save) is named with its line; nothing stays."""
    from pckb.core import access

    login("vptt.cantho")
    real = access.restrict

    def refuse_one(qs, user, action=access.VIEW):
        narrowed = real(qs, user, action)
        if qs.model is Target and action == access.ADD:
            return narrowed.exclude(name="Trạm Bị Từ Chối")
        return narrowed

    monkeypatch.setattr(access, "restrict", refuse_one)
    rows = [row(f"Trạm Cùng Lô {i}", unit="X31120") for i in range(3)] + [
        row("Trạm Bị Từ Chối", unit="X31120")
    ]
    html = upload(client, as_csv(rows)).content.decode()
    assert "Dòng 5: Bạn chỉ thêm được dữ liệu thuộc Thành phố Cần Thơ" in html
    assert not Target.objects.filter(name__startswith="Trạm Cùng Lô").exists()


def test_cli_refuses_a_faulty_file_and_writes_nothing(tmp_path, users):
    path = tmp_path / "muc-tieu.csv"
    path.write_bytes(as_csv([row("Trạm CLI Tốt", unit="X31120"), row("", unit="X31120")]))
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import_targets", str(path), "--user", "vptt.cantho", stderr=err)
    assert exc.value.code == 1
    assert "Dòng 3, cột 1 (Tên mục tiêu): Không được để trống." in err.getvalue()
    assert not Target.objects.filter(name="Trạm CLI Tốt").exists()

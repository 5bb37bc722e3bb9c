"""Training-conference documents (NĐ30 layout): DOCX checked with python-docx, PDFs with poppler's
pdftotext/pdffonts/pdfinfo/pdftoppm. The first part needs no database; the last part builds the documents
from the demo conferences' records. All names are fictional."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from pckb.training.documents import (
    AgencyAttendance,
    certificates_pdf,
    conference_report_docx,
    conference_report_pdf,
    invitation_letter_docx,
)
from pckb.training.documents import formatting as fmt
from pckb.training.documents.pdf_render import qr_svg
from pckb.training.documents.samples import sample_certificates, sample_invitation, sample_report

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


# --- Shared data (built once: PDF rendering is the slow part) ------------------------------------------
@pytest.fixture(scope="module")
def report():
    return sample_report(agencies=6, topics=5, tests=3, gain_rows=6, recommendations=4)


@pytest.fixture(scope="module")
def report_pdf(report, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(conference_report_pdf(report))
    return path


@pytest.fixture(scope="module")
def certificates():
    return sample_certificates(3)


@pytest.fixture(scope="module")
def certificates_file(certificates, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "certificates.pdf"
    path.write_bytes(certificates_pdf(certificates))
    return path


def run(*args) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def text_of(pdf: Path) -> str:
    return run("pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-")


def pdf_info(pdf: Path) -> dict[str, str]:
    return dict(line.split(":", 1) for line in run("pdfinfo", str(pdf)).splitlines() if ":" in line)


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


# --- Formatting -------------------------------------------------------------------------------------------
def test_nd30_dates_and_vietnamese_numbers():
    assert fmt.place_date("Cần Thơ", datetime.date(2024, 6, 5)) == "Cần Thơ, ngày 05 tháng 6 năm 2024"
    assert fmt.date_words(datetime.date(2024, 2, 1)) == "ngày 01 tháng 02 năm 2024"
    assert fmt.date_words(datetime.date(2024, 11, 15)) == "ngày 15 tháng 11 năm 2024"
    assert fmt.date_range(datetime.date(2024, 6, 12), datetime.date(2024, 6, 13)) == (
        "từ ngày 12 đến ngày 13 tháng 6 năm 2024"
    )
    assert fmt.percent(0.875) == "87,5%"
    assert fmt.percent(0.9) == "90%"
    assert fmt.decimal(6.256) == "6,26"
    assert fmt.decimal(1234.5, 1) == "1.234,5"
    assert fmt.decimal(None) == "–"
    assert fmt.integer(1250) == "1.250"
    assert fmt.distribution_lines(["Như trên;", "- Lưu: VT, PV01"]) == ["- Như trên;", "- Lưu: VT, PV01."]
    assert fmt.distribution_lines(["Như trên"])[-1] == "- Lưu: VT."
    # Decomposed input (NFD) comes out precomposed.
    assert fmt.nfc("Ngu\u031b\u0303") == "Ngữ"


# --- DOCX -------------------------------------------------------------------------------------------------
def assert_nd30_docx(doc) -> None:
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [
        round(m.mm, 1)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [20, 20, 30, 15]
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(slot)) == "Times New Roman", slot
    header = doc.tables[0]
    assert len(header.columns) == 2
    assert header._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"
    right = header.cell(0, 1)
    assert [p.text for p in right.paragraphs[:2]] == list(MOTTO)
    assert all(r.bold for p in right.paragraphs[:2] for r in p.runs)
    rules = [p for p in right.paragraphs if p._p.pPr.find(qn("w:pBdr")) is not None]
    assert rules, "no rule under the motto"


def test_invitation_docx_layout_and_content():
    letter = sample_invitation()
    doc = Document(io.BytesIO(invitation_letter_docx(letter)))
    assert_nd30_docx(doc)
    header = doc.tables[0]
    left_text = [p.text for p in header.cell(0, 0).paragraphs]
    # The issuer's name is broken into balanced lines, not wherever the 65 mm column ends.
    assert left_text[:2] == ["UBND THÀNH PHỐ CẦN THƠ", "BAN CHỈ ĐẠO PHÒNG,\nCHỐNG KHỦNG BỐ"]
    assert header.cell(0, 0).paragraphs[1].runs[0].bold
    assert not header.cell(0, 0).paragraphs[0].runs[0].bold
    assert header.cell(1, 0).text == "Số: 12/GM-BCĐ"
    place = header.cell(1, 1).paragraphs[0]
    assert place.text == "Cần Thơ, ngày 05 tháng 6 năm 2024"
    assert all(r.italic for r in place.runs)

    paragraphs = {p.text: p for p in doc.paragraphs}
    assert paragraphs["GIẤY MỜI"].runs[0].bold
    subject = "Tham dự Hội nghị tập huấn công tác phòng, chống khủng bố năm 2024"
    assert paragraphs[subject].runs[0].bold and paragraphs[subject].alignment == 1  # centred
    assert "Kính gửi: Sở Y tế thành phố Cần Thơ" in paragraphs
    body = [p for p in doc.paragraphs if p.text.startswith("1. Thời gian: ")][0]
    assert body.text == "1. Thời gian: từ 07 giờ 30 đến 17 giờ 00, thứ Tư, ngày 12 tháng 6 năm 2024."
    assert body.alignment == 3 and body.paragraph_format.first_line_indent.mm > 9  # justified, indented
    assert "đề nghị quý cơ quan cử 02 đồng chí".lower() in all_text(doc).lower()
    agenda = doc.tables[1]
    assert [c.text for c in agenda.rows[0].cells] == ["Thời gian", "Nội dung", "Người thực hiện"]
    assert agenda.rows[2].cells[2].text == "Đ/c Lê Thị Ngữ"

    signature = doc.tables[-1]
    recipients = signature.cell(0, 0).paragraphs
    assert recipients[0].text == "Nơi nhận:"
    assert recipients[0].runs[0].bold and recipients[0].runs[0].italic
    assert recipients[0].runs[0].font.size.pt == 12
    assert [p.text for p in recipients[1:]] == [
        "- Như trên;",
        "- Trưởng ban, các Phó Trưởng ban (để b/c);",
        "- Lưu: VT, PV01.",
    ]
    assert recipients[1].runs[0].font.size.pt == 11
    signer = [p.text for p in signature.cell(0, 1).paragraphs]
    assert signer == ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", "Nguyễn Văn Đặng"]


def test_report_docx_attendance_table_totals_and_gains(report):
    doc = Document(io.BytesIO(conference_report_docx(report)))
    assert_nd30_docx(doc)
    assert doc.tables[0].cell(1, 0).text == "Số: 35/BC-BCĐ"
    text = all_text(doc)
    assert "BÁO CÁO" in text
    assert "Kết quả Hội nghị tập huấn công tác PCKB năm 2024" in text
    assert "Đơn vị phối hợp: Công an thành phố Cần Thơ; Bộ Chỉ huy Quân sự thành phố." in text
    attendance = next(
        t for t in doc.tables if t.rows[0].cells[1].text == "Cơ quan, đơn vị" and len(t.columns) == 5
    )
    rows = [[c.text for c in r.cells] for r in attendance.rows]
    assert rows[0] == ["TT", "Cơ quan, đơn vị", "Được mời", "Đăng ký", "Tham dự"]
    assert len(rows) == 1 + len(report.attendance) + 1
    first = report.attendance[0]
    assert rows[1] == ["1", first.agency, str(first.invited), str(first.registered), str(first.attended)]
    totals = [sum(getattr(a, f) for a in report.attendance) for f in ("invited", "registered", "attended")]
    assert rows[-1] == ["", "Tổng cộng", *map(str, totals)]
    assert all(r.bold for p in attendance.rows[-1].cells[1].paragraphs for r in p.runs)
    rate = fmt.percent(report.attendance_rate)
    assert "," in rate and f"tỷ lệ tham dự đạt {rate}" in text
    gains = [t for t in doc.tables if t.rows[0].cells[-1].text == "Chỉ số tiến bộ (g)"]
    assert len(gains) == 3
    row = report.test_summary[0]
    expected = [fmt.decimal(row.pre_mean), fmt.decimal(row.post_mean), fmt.decimal(row.gain)]
    assert [c.text for c in gains[0].rows[1].cells][3:] == expected
    assert "," in gains[0].rows[1].cells[3].text
    assert f"1. {report.recommendations[0]}." in text
    assert "Nơi nhận:" in text and "- Lưu: VT, PV01." in text


def test_report_docx_totals_follow_the_data(report):
    extra = AgencyAttendance("Sở Ngoại vụ (thử)", 1000, 900, 875)
    bigger = type(report)(
        **{**report.__dict__, "attendance": [*report.attendance, extra], "attendance_rate": 0.875}
    )
    doc = Document(io.BytesIO(conference_report_docx(bigger)))
    totals = [sum(getattr(a, f) for a in bigger.attendance) for f in ("invited", "registered", "attended")]
    table = next(t for t in doc.tables if t.rows[-1].cells[1].text == "Tổng cộng")
    assert [c.text for c in table.rows[-1].cells[2:]] == [fmt.integer(t) for t in totals]
    assert "1.048" in table.rows[-1].cells[2].text  # thousands separator
    assert "tỷ lệ tham dự đạt 87,5%" in all_text(doc)


# --- PDF --------------------------------------------------------------------------------------------------
@poppler
def test_report_pdf_text_fonts_and_page_size(report, report_pdf):
    text = text_of(report_pdf)
    for needle in (
        *MOTTO,
        "UBND THÀNH PHỐ CẦN THƠ",
        "BAN CHỈ ĐẠO PHÒNG,",
        "Số: 35/BC-BCĐ",
        "Cần Thơ, ngày 20 tháng 6 năm 2024",
        "BÁO CÁO",
        "Đ/c Lê Thị Ngữ",
        "Đ/c Phạm Đức Mặn",
        "Nguyễn Văn Đặng",
        "Tổng cộng",
        "Nơi nhận:",
        "- Lưu: VT, PV01.",
        "KIẾN NGHỊ, ĐỀ XUẤT",
        f"tỷ lệ tham dự đạt {fmt.percent(report.attendance_rate)}",
    ):
        assert needle in text, needle
    assert fmt.decimal(report.test_summary[0].pre_mean) in text
    info = pdf_info(report_pdf)
    assert "A4" in info["Page size"] and "595.276 x 841.89" in info["Page size"]
    fonts = run("pdffonts", str(report_pdf))
    embedded = [line for line in fonts.splitlines()[2:] if line.split()]
    assert any(("Liberation-Serif" in line or "Times" in line) and " yes " in line for line in embedded)
    assert all(" yes " in line for line in embedded), "every font must be embedded"


def _liberation_serif_covers_vietnamese() -> bool:
    if shutil.which("fc-list") is None:
        return False
    return "Liberation Serif" in run("fc-list", ":lang=vi", "family")


@poppler
@pytest.mark.skipif(
    not _liberation_serif_covers_vietnamese(),
    reason="Liberation Serif 1.x has no Vietnamese glyphs: install fonts-liberation2",
)
def test_report_pdf_uses_one_serif_family_for_vietnamese(report_pdf):
    fonts = run("pdffonts", str(report_pdf)).splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in fonts if line.split()}
    assert names and all(n.startswith("Liberation-Serif") for n in names), names


@poppler
def test_report_pdf_page_one_renders(report_pdf, tmp_path):
    """Page 1 as a PNG (looked at by hand when the layout changes; not committed)."""
    run(
        "pdftoppm",
        "-r",
        "60",
        "-png",
        "-f",
        "1",
        "-l",
        "1",
        "-singlefile",
        str(report_pdf),
        str(tmp_path / "report-p1"),
    )
    png = tmp_path / "report-p1.png"
    from PIL import Image

    with Image.open(png) as image:
        assert abs(image.width - 496) <= 2 and abs(image.height - 702) <= 2  # A4 at 60 dpi
        gray = image.convert("L")
        # Ink in the header band (issuer and motto) and nothing in the 30 mm left margin.
        header = gray.crop((80, 40, 470, 90))
        margin = gray.crop((0, 0, 60, 702))
        assert header.getextrema()[0] < 100
        assert margin.getextrema()[0] > 200


@poppler
def test_certificates_pdf_one_landscape_page_each_with_code_url_and_qr(
    certificates, certificates_file, tmp_path
):
    info = pdf_info(certificates_file)
    assert int(info["Pages"]) == len(certificates)
    assert "841.89 x 595.276" in info["Page size"]
    text = text_of(certificates_file)
    pages = text.split("\f")
    for certificate, page in zip(certificates, pages, strict=False):
        for needle in (
            "GIẤY CHỨNG NHẬN",
            f"Chứng nhận đồng chí: {certificate.full_name}",
            certificate.agency,
            "Đã tham dự Hội nghị tập huấn công tác phòng, chống khủng bố",
            "từ ngày 12 đến ngày 13 tháng 6 năm 2024",
            "Cần Thơ, ngày 13 tháng 6 năm 2024",
            f"Số: {certificate.number}",
            certificate.verify_code,
            certificate.signer.name,
            *MOTTO,
        ):
            assert needle in page, needle
        assert (
            certificate.verify_url in page.replace("\n", "").replace(" ", "")
            or certificate.verify_url.split("/")[-1] in page
        )
    assert "Trần Thị Đặng Hữu" in text  # Đ, ặ, ữ
    # The QR code is drawn: a dense black-and-white square at the bottom left of each page.
    run(
        "pdftoppm",
        "-r",
        "50",
        "-png",
        "-f",
        "1",
        "-l",
        "1",
        "-singlefile",
        str(certificates_file),
        str(tmp_path / "cert"),
    )
    from PIL import Image

    with Image.open(tmp_path / "cert.png") as image:
        gray = image.convert("L")
        w, h = gray.size
        corner = gray.crop((int(w * 0.05), int(h * 0.72), int(w * 0.2), int(h * 0.95)))
        dark = sum(corner.histogram()[:128])
        assert dark > 0.08 * corner.width * corner.height  # ≈ 0.14 with the QR code, ≈ 0.01 without


def test_qr_svg_is_inline_svg_of_the_url():
    svg = qr_svg("https://pckb.example.vn/xac-minh/ABC")
    assert svg.startswith("<svg") and "<?xml" not in svg and "viewBox" in svg
    assert qr_svg("https://pckb.example.vn/xac-minh/ABD") != svg


def test_certificates_pdf_needs_at_least_one():
    with pytest.raises(ValueError, match="no certificates"):
        certificates_pdf([])


# --- Layout details (NĐ30) ----------------------------------------------------------------------------------
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_docx_numbers_pages_from_page_two_centred_at_the_top(report):
    for content in (invitation_letter_docx(sample_invitation()), conference_report_docx(report)):
        doc = Document(io.BytesIO(content))
        section = doc.sections[0]
        assert section.different_first_page_header_footer  # w:titlePg: no number on page 1
        assert section._sectPr.find(qn("w:titlePg")) is not None
        assert "PAGE" not in section.first_page_header._element.xml
        header = section.header._element
        instructions = [t.text.strip() for t in header.iter(f"{W}instrText")]
        fields = [c.get(qn("w:fldCharType")) for c in header.iter(f"{W}fldChar")]
        assert instructions == ["PAGE"] and fields == ["begin", "separate", "end"]
        paragraph = section.header.paragraphs[0]
        assert paragraph.alignment == 1  # centred
        assert {r.font.size.pt for r in paragraph.runs} == {13}


def test_docx_signature_is_not_left_alone_on_a_page():
    doc = Document(io.BytesIO(invitation_letter_docx(sample_invitation())))
    body = doc.element.body
    signature = doc.tables[-1]._tbl
    before = signature.getprevious()
    assert before.tag == qn("w:p") and before is doc.paragraphs[-1]._p
    assert doc.paragraphs[-1].paragraph_format.keep_with_next
    assert doc.paragraphs[-1].text.endswith("./.")
    assert body.index(signature) > body.index(before)


def test_report_counts_only_sessions_with_a_topic():
    report = sample_report(topics=5)  # the fifth agenda line is the closing
    assert [s.is_topic for s in report.sessions] == [True, True, True, True, False]
    doc = Document(io.BytesIO(conference_report_docx(report)))
    assert "Hội nghị gồm 04 chuyên đề:" in all_text(doc)
    sessions = next(
        t for t in doc.tables if [c.text for c in t.rows[0].cells][:3] == ["TT", "Thời gian", "Chuyên đề"]
    )
    assert len(sessions.rows) == 1 + 4
    assert "bế mạc" not in " ".join(c.text for row in sessions.rows for c in row.cells)


def test_invitation_item_3_asks_once():
    letter = sample_invitation()
    old_style = type(letter)(
        **{
            **letter.__dict__,
            "participant_note": "Đề nghị cơ quan cử 2 cán bộ làm công tác PCKB tham dự.",
            "attendance_note": "Mỗi đại biểu dùng mã cá nhân để điểm danh",
        }
    )
    for item in (letter, old_style):
        doc = Document(io.BytesIO(invitation_letter_docx(item)))
        line = next(p.text for p in doc.paragraphs if p.text.startswith("3. Thành phần: "))
        assert line.lower().count("đề nghị") == 1, line
        assert line.count("tham dự") == 1, line
    assert line == (
        "3. Thành phần: Đề nghị quý cơ quan cử 02 đồng chí tham dự. "
        "Mỗi đại biểu dùng mã cá nhân để điểm danh."
    )


def test_missing_signer_prints_a_placeholder_not_nothing(report):
    from pckb.training.documents import Signer

    unsigned = type(report)(**{**report.__dict__, "signer": Signer("", "", "")})
    doc = Document(io.BytesIO(conference_report_docx(unsigned)))
    signer = [p.text for p in doc.tables[-1].cell(0, 1).paragraphs]
    assert signer == [fmt.TITLE_PLACEHOLDER, fmt.SIGNER_PLACEHOLDER]


@poppler
def test_pdf_header_keeps_the_issuer_whole_and_room_for_the_number(report, tmp_path):
    """The issuer's name used to wrap "BỐ" alone onto a line, and "Số:      /BC-BCĐ" collapsed to
    "Số: /BC-BCĐ" with no room to write the number in."""
    undated = type(report)(
        **{
            **report.__dict__,
            "header": type(report.header)(**{**report.header.__dict__, "number": "/BC-BCĐ"}),
        }
    )
    path = tmp_path / "undated.pdf"
    path.write_bytes(conference_report_pdf(undated))
    lines = [line.strip() for line in text_of(path).splitlines()]
    assert any(line.startswith("BAN CHỈ ĐẠO PHÒNG,") for line in lines)
    assert any(line.startswith("CHỐNG KHỦNG BỐ") for line in lines)
    assert not any(line in {"BỐ", "KHỦNG BỐ"} or line.startswith("BỐ ") for line in lines)
    # The blank before "/BC-BCĐ" is at least 15 mm wide (a handwritten number fits).
    bbox = run("pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-")
    words = re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', bbox)
    so = next(w for w in words if w[2] == "Số:")
    number = next(w for w in words if w[2].startswith("/BC-BC"))
    gap_mm = (float(number[0]) - float(so[1])) * 25.4 / 72
    assert gap_mm >= 15, gap_mm


@poppler
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_docx_in_libreoffice_numbers_page_two_and_prints_the_signer(report, tmp_path):
    """The DOCX as LibreOffice lays it out: no number on page 1, "2" at the top of page 2."""
    docx = tmp_path / "report.docx"
    docx.write_bytes(conference_report_docx(report))
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = text_of(tmp_path / "report.pdf").split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    first_lines = [
        [line.strip() for line in page.splitlines() if line.strip()] for page in pages if page.strip()
    ]
    assert first_lines[0][0] != "1" and first_lines[1][0] == "2"
    assert report.signer.name in pages[-1] or report.signer.name in "".join(pages)


@poppler
def test_pdf_signature_is_not_left_alone_on_a_page(tmp_path):
    """With this much content the signature block used to start page 3 on its own."""
    path = tmp_path / "r.pdf"
    path.write_bytes(conference_report_pdf(sample_report(agencies=6, recommendations=2)))
    last = [page for page in text_of(path).split("\f") if page.strip()][-1]
    assert "Trên đây là báo cáo" in last and last.index("Trên đây") < last.index("Nơi nhận:")


def test_balanced_lines_fit_and_break_at_natural_places():
    assert fmt.balanced_lines("BAN CHỈ ĐẠO PHÒNG, CHỐNG KHỦNG BỐ", 61, 12, bold=True) == [
        "BAN CHỈ ĐẠO PHÒNG,",
        "CHỐNG KHỦNG BỐ",
    ]
    assert fmt.balanced_lines("UBND THÀNH PHỐ HỒ CHÍ MINH", 61, 12) == ["UBND", "THÀNH PHỐ HỒ CHÍ MINH"]
    assert fmt.balanced_lines("UBND THÀNH PHỐ CẦN THƠ", 61, 12) == ["UBND THÀNH PHỐ CẦN THƠ"]


# --- From the record (demo database) ------------------------------------------------------------------------
@pytest.fixture
def hau_giang(db):
    from pckb.training.models import Conference

    return Conference.objects.select_related("committee__unit").get(
        committee__name="Ban Chỉ đạo Phòng, chống khủng bố tỉnh Hậu Giang"
    )


def reader():
    """The national standing office: it may read every record the documents print."""
    from pckb.accounts.models import User

    return User.objects.get(username="vptt.quocgia")


def report_doc(conference):
    from pckb.training import reports

    return Document(io.BytesIO(reports.report_docx(reader(), conference)[0]))


def signature_lines(doc) -> list[str]:
    return [p.text for p in doc.tables[-1].cell(0, 1).paragraphs if p.text]


def test_report_signer_and_date_come_from_the_record(hau_giang):
    from pckb.directory.models import Person

    assert hau_giang.signer is not None  # the demo records who signs
    doc = report_doc(hau_giang)
    assert signature_lines(doc) == [
        hau_giang.signer_authority,
        hau_giang.signer_title,
        hau_giang.signer.full_name,
    ]
    assert doc.tables[0].cell(1, 1).text == "Hậu Giang, ngày 14 tháng 6 năm 2024"  # not today
    # Another signer on the record is the name printed, whoever sits on the committee today.
    other = Person.objects.filter(classification=0).exclude(pk=hau_giang.signer_id).first()
    hau_giang.signer, hau_giang.signer_title = other, "PHÓ TRƯỞNG BAN"
    hau_giang.save()
    assert signature_lines(report_doc(hau_giang))[-1] == other.full_name


def test_invitation_signer_and_date_come_from_the_record(hau_giang):
    from pckb.training import reports

    invitation = hau_giang.invitations.exclude(sent_on=None).first()
    doc = Document(io.BytesIO(reports.invitation_docx(reader(), invitation)))
    assert signature_lines(doc)[-1] == hau_giang.signer.full_name
    assert doc.tables[0].cell(1, 1).text.endswith(fmt.date_words(invitation.sent_on))
    item = next(p.text for p in doc.paragraphs if p.text.startswith("3. Thành phần: "))
    assert item.lower().count("đề nghị") == 1 and item.count(" cử ") == 1, item


@poppler
def test_certificates_print_the_recorded_signer(hau_giang, tmp_path, rf):
    from pckb.training import reports

    one = hau_giang.participants.filter(certificate__isnull=False).order_by("pk")[:1]
    request = rf.get("/")
    request.user = reader()
    content, _type = reports.certificates_pdf(hau_giang, request, hau_giang.participants.filter(pk__in=one))
    path = tmp_path / "c.pdf"
    path.write_bytes(content)
    text = text_of(path)
    assert hau_giang.signer.full_name in text and hau_giang.signer_title in text


def test_report_counts_the_demo_topics_not_the_opening_and_closing(hau_giang):
    topics = hau_giang.sessions.filter(topic__isnull=False).count()
    assert hau_giang.sessions.count() > topics == 5
    assert f"Hội nghị gồm {topics:02d} chuyên đề:" in all_text(report_doc(hau_giang))


def test_issuer_is_the_successor_committee_after_the_merger(hau_giang):
    """Hậu Giang merged into Cần Thơ on 01/7/2025: a report signed after that (or not dated yet) is issued by
    the Cần Thơ committee, from Cần Thơ; one signed in 2024 keeps the Hậu Giang name it was issued under."""
    header = report_doc(hau_giang).tables[0]
    assert header.cell(0, 0).paragraphs[0].text == "UBND TỈNH HẬU GIANG"
    for date in (datetime.date(2025, 8, 4), None):
        hau_giang.report_date = date
        hau_giang.save()
        header = report_doc(hau_giang).tables[0]
        assert header.cell(0, 0).paragraphs[0].text == "UBND THÀNH PHỐ CẦN THƠ"
        assert header.cell(1, 1).text.startswith("Cần Thơ, ngày ")
    assert header.cell(1, 1).text == "Cần Thơ, ngày …… tháng …… năm ……"


def test_a_two_line_parent_body_leaves_no_word_alone(db):
    """The parent body "UBND THÀNH PHỐ HỒ CHÍ MINH" is too wide for the issuer's column: it breaks before the
    city's name, and the abbreviation that would stand alone on the first line is written in full; the wider
    certificate keeps it on one line."""
    from pckb.training import reports
    from pckb.training.models import Conference

    conference = Conference.objects.get(committee__name__endswith="Thành phố Hồ Chí Minh", start__year=2024)
    header = report_doc(conference).tables[0]
    assert header.cell(0, 0).paragraphs[0].text == "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH"
    invitation = conference.invitations.exclude(sent_on=None).first()
    letter = Document(io.BytesIO(reports.invitation_docx(reader(), invitation)))
    assert letter.tables[0].cell(0, 0).paragraphs[0].text == "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH"
    assert fmt.parent_lines("UBND TỈNH HẬU GIANG", 61, 12) == ["UBND TỈNH HẬU GIANG"]
    assert fmt.parent_lines("UBND THÀNH PHỐ HỒ CHÍ MINH", 104, 13) == ["UBND THÀNH PHỐ HỒ CHÍ MINH"]


def test_missing_signer_is_a_warning_on_the_conference_page_and_a_placeholder(hau_giang, client, login):
    login("vptt.cantho")
    url = hau_giang.get_absolute_url()
    warning = "Chưa chọn người ký"
    page = client.get(url).content.decode()
    assert warning not in page and hau_giang.signer.full_name in page
    hau_giang.signer = None
    hau_giang.save()
    page = client.get(url).content.decode()
    assert warning in page and 'id="document-gaps"' in page
    assert signature_lines(report_doc(hau_giang))[-1] == fmt.SIGNER_PLACEHOLDER


def _edit_data(conference, **changes) -> dict:
    local = timezone.localtime
    data = {
        "committee": conference.committee_id,
        "title": conference.title,
        "co_organisers": conference.co_organisers,
        "start": local(conference.start).strftime("%d/%m/%Y %H:%M"),
        "end": local(conference.end).strftime("%d/%m/%Y %H:%M"),
        "venue": conference.venue,
        "venue_unit": conference.venue_unit.code,
        "format": conference.format,
        "status": conference.status,
        "pass_mark": conference.pass_mark,
        "classification": conference.classification,
        "signer": conference.signer_id or "",
        "signer_authority": conference.signer_authority,
        "signer_title": conference.signer_title,
        "report_date": conference.report_date.strftime("%d/%m/%Y") if conference.report_date else "",
    }
    return {**data, **changes}


def test_signer_is_edited_on_the_conference_form(client, login, db):
    from django.urls import reverse

    from pckb.directory.models import Person
    from pckb.training.models import Conference

    login("vptt.cantho")
    conference = Conference.objects.get(
        committee__name__startswith="Ban Chỉ đạo Phòng, chống khủng bố thành phố Cần Thơ", classification=0
    )
    url = reverse("training:conference_edit", args=[conference.pk])
    person = Person.objects.filter(agency__unit=conference.committee.unit, classification=0).last()
    response = client.post(url, _edit_data(conference, signer=person.pk, signer_title=""))
    assert response.status_code == 200
    assert "Cần nhập chức danh của người ký." in response.content.decode()
    conference.refresh_from_db()
    assert conference.signer_id != person.pk
    too_early = (timezone.localtime(conference.start) - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(url, _edit_data(conference, report_date=too_early))
    assert "Ngày ký báo cáo không thể trước ngày khai mạc." in response.content.decode()
    response = client.post(
        url,
        _edit_data(
            conference, signer=person.pk, signer_authority="TM. BAN CHỈ ĐẠO", signer_title="TRƯỞNG BAN"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    conference.refresh_from_db()
    assert (conference.signer_id, conference.signer_title) == (person.pk, "TRƯỞNG BAN")


# --- The mark of secrecy (NĐ30 ô 10a) ----------------------------------------------------------------------
def test_classification_mark_names_the_strictest_level():
    from pckb.training.documents.content import classification_mark

    assert classification_mark(0) == ""
    assert classification_mark() == ""
    assert classification_mark(1) == "MẬT"
    assert classification_mark(0, 2, 1) == "TỐI MẬT"
    with pytest.raises(ValueError):
        classification_mark(3)  # Tuyệt mật is never stored, never printed


def _marked(item, mark: str):
    import dataclasses

    return dataclasses.replace(item, header=dataclasses.replace(item.header, classification_mark=mark))


def test_docx_prints_the_mark_boxed_and_bold_below_the_number():
    from tests.support.documents import docx_marks

    letter = sample_invitation()
    assert docx_marks(invitation_letter_docx(letter)) == [""]
    content = invitation_letter_docx(_marked(letter, "MẬT"))
    assert docx_marks(content) == ["MẬT"]
    run = next(
        r
        for row in Document(io.BytesIO(content)).tables[0].rows
        for p in row.cells[0].paragraphs
        for r in p.runs
        if r.text == "MẬT"
    )
    assert run.bold and run._r.rPr.find(qn("w:bdr")).get(qn("w:val")) == "single"


@poppler
def test_pdf_prints_the_mark_below_the_number(report):
    from tests.support.documents import pdf_marks

    assert pdf_marks(conference_report_pdf(_marked(report, "MẬT")))[0] == "MẬT"
    assert pdf_marks(conference_report_pdf(report))[0] == ""


def test_a_mat_conference_prints_mat_on_its_report_and_invitations(hau_giang):
    from pckb.core.choices import Classification
    from pckb.training import reports
    from tests.support.documents import docx_marks

    invitation = hau_giang.invitations.exclude(sent_on=None).first()
    for level, mark in ((Classification.NORMAL, ""), (Classification.CONFIDENTIAL, "MẬT")):
        hau_giang.classification = level
        hau_giang.save()
        invitation.refresh_from_db()
        assert docx_marks(reports.report_docx(reader(), hau_giang)[0]) == [mark]
        assert docx_marks(reports.invitation_docx(reader(), invitation)) == [mark]

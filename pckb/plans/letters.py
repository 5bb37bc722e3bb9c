"""The follow-up letter (công văn đôn đốc) a standing office sends a member agency about its overdue tasks,
as .docx in the Nghị định 30/2020/NĐ-CP layout of a công văn: the two-column header with "V/v …" under the
number, "Kính gửi:", the body with a table of the overdue tasks, the signature block and "Nơi nhận:".
Built with the training module's document helpers (fonts, margins, header, table, signature), so every
document of the product is laid out the same way."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from pckb.training.documents import content as C
from pckb.training.documents import docx_render as R
from pckb.training.documents import formatting as fmt
from pckb.training.documents.data import DocumentHeader, Signer

SUBJECT = "V/v đôn đốc thực hiện nhiệm vụ quá hạn"
COLUMNS = [
    C.Column("TT", 10, numeric=True),
    C.Column("Nhiệm vụ", 63),
    C.Column("Nguồn giao", 42),
    C.Column("Thời hạn", 27, numeric=True),
    C.Column("Tiến độ", 18, numeric=True),
]


@dataclass(frozen=True)
class OverdueLine:
    title: str
    origin: str
    deadline: dt.date
    percent: int
    days_overdue: int


@dataclass(frozen=True)
class FollowUpLetter:
    header: DocumentHeader
    committee_name: str  # "Ban Chỉ đạo phòng, chống khủng bố thành phố Cần Thơ"
    agency: str  # the recipient
    tasks: list[OverdueLine]
    report_by: dt.date  # the date the agency is asked to report by
    signer: Signer
    distribution: list[str]


def _view(letter: FollowUpLetter) -> C.DocumentView:
    rows = [
        [
            str(k),
            fmt.nfc(t.title),
            fmt.nfc(t.origin) or fmt.DASH,
            t.deadline.strftime("%d/%m/%Y"),
            f"{t.percent}%",
        ]
        for k, t in enumerate(letter.tasks, 1)
    ]
    n = len(letter.tasks)
    blocks = [
        C.Para(
            f"Theo dõi tiến độ thực hiện nhiệm vụ được giao, {fmt.nfc(letter.committee_name)} nhận thấy "
            f"{fmt.nfc(letter.agency)} còn {n:02d} nhiệm vụ chủ trì thực hiện đã quá thời hạn nhưng chưa "
            "hoàn thành, cụ thể như sau:"
        ),
        C.Table(COLUMNS, rows),
        C.Para(
            f"Đề nghị {fmt.nfc(letter.agency)} khẩn trương chỉ đạo hoàn thành các nhiệm vụ nêu trên; báo cáo "
            f"kết quả, tiến độ và nguyên nhân chậm (kèm minh chứng) trên PCKB Hub trước "
            f"{fmt.date_words(letter.report_by)}."
        ),
        C.Para("Trân trọng./."),
    ]
    return C.DocumentView(
        header=C.header_view(letter.header),
        doc_type="",
        subject=SUBJECT,
        recipient=fmt.recipient_line(letter.agency),
        blocks=blocks,
        signer=C.signer_view(letter.signer),
        distribution=fmt.distribution_lines(letter.distribution),
    )


def followup_letter_docx(letter: FollowUpLetter) -> bytes:
    """Công văn đôn đốc, as .docx bytes."""
    view = _view(letter)
    doc = R._new_document(f"Công văn: {SUBJECT}", view.header.issuer, letter.header.date)
    R._header(doc, view)
    # A công văn has no type name: its subject ("V/v …") stands under the number, in the issuer's column.
    R._para(doc.tables[0].rows[1].cells[0], view.subject, size=12, align=R.CENTER, before=2)
    R._para(doc, view.recipient, size=R.BODY_PT, align=R.CENTER, before=18, after=6)
    for block in view.blocks:
        R._block(doc, block)
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    R._signature(doc, view)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

"""The text of each document as a short list of blocks (headings, paragraphs, tables, lists), built once
and laid out by both the DOCX and the PDF renderer, so the two always say the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field

from pckb.core.choices import Classification

from . import formatting as fmt
from .data import ConferenceReport, DocumentHeader, GainRow, InvitationLetter, Signer

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


@dataclass(frozen=True)
class Heading:
    text: str
    kind: str = "heading"


@dataclass(frozen=True)
class Para:
    text: str
    label: str = ""  # bold lead-in, e.g. "1. Thời gian: "
    centred: bool = False
    kind: str = "para"


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    columns: list[Column]
    rows: list[list[str]]
    total: list[str] | None = None
    note: str = ""
    kind: str = "table"


@dataclass(frozen=True)
class ItemList:
    items: list[str]
    numbered: bool = True
    kind: str = "list"


Block = Heading | Para | Table | ItemList


#: The issuing body's column (65 mm less the cell padding) and its type sizes (NĐ30: 12–13 pt).
ISSUER_COLUMN_MM = 61
ISSUER_PT = 12


@dataclass(frozen=True)
class HeaderView:
    issuer_parent: str
    issuer: str
    number_line: str
    place_date: str
    issuer_parent_lines: list[str] = field(default_factory=list)  # broken to fit the column, balanced
    issuer_lines: list[str] = field(default_factory=list)
    classification_mark: str = ""  # "MẬT" / "TỐI MẬT", printed bold and boxed under the number line


@dataclass(frozen=True)
class SignerView:
    authority: str
    title: str
    name: str
    missing: bool = False  # the name (or the title) is a placeholder


@dataclass(frozen=True)
class DocumentView:
    header: HeaderView
    doc_type: str  # "GIẤY MỜI", "BÁO CÁO"
    subject: str  # trích yếu
    recipient: str
    blocks: list[Block]
    signer: SignerView
    distribution: list[str] = field(default_factory=list)

    @property
    def classification_mark(self) -> str:
        """The mark of secrecy of the document ("" when unclassified); it is printed in the header."""
        return self.header.classification_mark


#: NĐ30 (ô 10a) and Thông tư 24/2020/TT-BCA: the mark of secrecy, in capitals. Tuyệt mật is never stored.
CLASSIFICATION_MARKS = {Classification.CONFIDENTIAL: "MẬT", Classification.SECRET: "TỐI MẬT"}


def classification_mark(*levels: int | None) -> str:
    """The mark of the strictest of ``levels`` (a record's classification and what it includes):
    "" for Thường, "MẬT", "TỐI MẬT"."""
    level = max((int(v) for v in levels if v is not None), default=Classification.NORMAL)
    if level > Classification.SECRET:
        raise ValueError("Tuyệt mật is never stored nor printed by PCKB Hub")
    return CLASSIFICATION_MARKS.get(level, "")


def header_view(h: DocumentHeader) -> HeaderView:
    parent = fmt.nfc(h.issuer_parent).upper()
    issuer = fmt.nfc(h.issuer).upper()
    return HeaderView(
        issuer_parent=parent,
        issuer=issuer,
        number_line=fmt.number_line(h.number),
        place_date=fmt.place_date(h.place, h.date),
        issuer_parent_lines=fmt.parent_lines(parent, ISSUER_COLUMN_MM, ISSUER_PT),
        issuer_lines=fmt.balanced_lines(issuer, ISSUER_COLUMN_MM, ISSUER_PT, bold=True),
        classification_mark=fmt.nfc(h.classification_mark).strip().upper(),
    )


def signer_view(s: Signer) -> SignerView:
    """The signature block; a signer not recorded yet prints as a placeholder, never as a blank."""
    authority = fmt.nfc(s.authority).strip().upper()
    title = fmt.nfc(s.title).strip().upper()
    name = fmt.nfc(s.name).strip()
    missing = not name or not (authority or title)
    if not (authority or title):
        title = fmt.TITLE_PLACEHOLDER
    return SignerView(authority, title, name or fmt.SIGNER_PLACEHOLDER, missing)


def _join(items: list[str]) -> str:
    return "; ".join(fmt.nfc(i).strip() for i in items if i and i.strip())


def _clause(text: str) -> str:
    """Who the delegates are, as it follows "cử 02 đồng chí": a leading request ("Đề nghị … cử …") that
    would repeat the sentence's own opening, and a final full stop, are dropped."""
    text = fmt.nfc(text).strip().rstrip(".;").strip()
    if text.lower().startswith("đề nghị"):
        return ""
    return text


def _sentence(text: str) -> str:
    text = fmt.nfc(text).strip()
    return text if text.endswith((".", "!", "?", ":", ";")) else f"{text}."


# --- Giấy mời ---------------------------------------------------------------------------------------------
AGENDA_COLUMNS = [Column("Thời gian", 30), Column("Nội dung", 85), Column("Người thực hiện", 50)]


def invitation_view(letter: InvitationLetter) -> DocumentView:
    conference = fmt.conference_phrase(letter.conference_title)
    blocks: list[Block] = [
        Para(
            f"Thực hiện chương trình công tác năm {letter.start.year}, {conference[0].lower()}"
            f"{conference[1:]} được tổ chức như sau:"
        ),
        Para(fmt.time_span(letter.start, letter.end) + ".", label="1. Thời gian: "),
        Para(_sentence(letter.venue), label="2. Địa điểm: "),
        Para(
            f"Đề nghị quý cơ quan cử {letter.quota:02d} đồng chí"
            + (f" {_clause(letter.participant_note)}" if _clause(letter.participant_note) else "")
            + " tham dự."
            + (f" {_sentence(letter.attendance_note)}" if letter.attendance_note.strip() else ""),
            label="3. Thành phần: ",
        ),
    ]
    if letter.agenda:
        blocks.append(Para("", label="4. Nội dung, chương trình:"))
        blocks.append(
            Table(
                AGENDA_COLUMNS,
                [[fmt.nfc(a.time), fmt.nfc(a.title), fmt.nfc(a.presenter)] for a in letter.agenda],
            )
        )
    if letter.contact:
        blocks.append(Para(_sentence(letter.contact), label=f"{5 if letter.agenda else 4}. Liên hệ: "))
    blocks.append(
        Para(
            "Đề nghị quý cơ quan cử đại biểu tham dự đúng thành phần, thời gian và gửi danh sách "
            "đăng ký trước ngày khai mạc hội nghị./."
        )
    )
    return DocumentView(
        header=header_view(letter.header),
        doc_type="GIẤY MỜI",
        subject=f"Tham dự {conference}",
        recipient=fmt.recipient_line(letter.recipient),
        blocks=blocks,
        signer=signer_view(letter.signer),
        distribution=fmt.distribution_lines(letter.distribution),
    )


# --- Báo cáo ----------------------------------------------------------------------------------------------
SESSION_COLUMNS = [
    Column("TT", 11, True),
    Column("Thời gian", 28),
    Column("Chuyên đề", 78),
    Column("Báo cáo viên", 48),
]
ATTENDANCE_COLUMNS = [
    Column("TT", 11, True),
    Column("Cơ quan, đơn vị", 82),
    Column("Được mời", 24, True),
    Column("Đăng ký", 24, True),
    Column("Tham dự", 24, True),
]


def gain_columns(label: str) -> list[Column]:
    return [
        Column("TT", 11, True),
        Column(label, 66),
        Column("Số người", 20, True),
        Column("Điểm TB trước", 23, True),
        Column("Điểm TB sau", 23, True),
        Column("Chỉ số tiến bộ (g)", 22, True),
    ]


def gain_rows(rows: list[GainRow]) -> list[list[str]]:
    return [
        [
            str(k),
            fmt.nfc(r.label),
            fmt.integer(r.n),
            fmt.decimal(r.pre_mean),
            fmt.decimal(r.post_mean),
            fmt.decimal(r.gain),
        ]
        for k, r in enumerate(rows, 1)
    ]


def report_view(report: ConferenceReport) -> DocumentView:
    subject = fmt.report_subject(report.title)
    conference = subject
    if conference.lower().startswith("kết quả "):
        conference = conference[len("kết quả ") :].strip()
    blocks: list[Block] = []
    section = iter(ROMAN)

    blocks.append(
        Para(
            f"{_join(report.organisers) or 'Ban Chỉ đạo'} đã tổ chức {conference[0].lower()}{conference[1:]} "
            f"tại {fmt.nfc(report.venue).strip()}. Kết quả cụ thể như sau:"
        )
    )

    blocks.append(Heading(f"{next(section)}. THÔNG TIN CHUNG"))
    k = 0

    def item(text: str, label: str) -> Para:
        nonlocal k
        k += 1
        return Para(text, label=f"{k}. {label}: ")

    blocks.append(item(_sentence(_join(report.organisers)), "Đơn vị tổ chức"))
    if report.co_organisers:
        blocks.append(item(_sentence(_join(report.co_organisers)), "Đơn vị phối hợp"))
    blocks.append(item(fmt.time_span(report.start, report.end) + ".", "Thời gian"))
    blocks.append(item(_sentence(report.venue), "Địa điểm"))
    # Only thematic reports are topics: the opening, discussions and the closing are not counted or listed.
    topics = [s for s in report.sessions if s.is_topic]
    if topics:
        blocks.append(item(f"Hội nghị gồm {len(topics):02d} chuyên đề:", "Nội dung tập huấn"))
        blocks.append(
            Table(
                SESSION_COLUMNS,
                [
                    [str(i), fmt.nfc(s.time), fmt.nfc(s.title), fmt.nfc(s.presenter)]
                    for i, s in enumerate(topics, 1)
                ],
            )
        )

    blocks.append(Heading(f"{next(section)}. KẾT QUẢ TỔ CHỨC HỘI NGHỊ"))
    k = 0
    invited = sum(a.invited for a in report.attendance)
    registered = sum(a.registered for a in report.attendance)
    attended = sum(a.attended for a in report.attendance)
    rate = fmt.percent(report.attendance_rate)
    blocks.append(
        item(
            f"Tổng số đại biểu được mời {fmt.integer(invited)}, đăng ký {fmt.integer(registered)}, "
            f"thực tế tham dự {fmt.integer(attended)} đồng chí; tỷ lệ tham dự đạt {rate}.",
            "Thành phần tham dự",
        )
    )
    if report.attendance:
        blocks.append(
            Table(
                ATTENDANCE_COLUMNS,
                [
                    [
                        str(i),
                        fmt.nfc(a.agency),
                        fmt.integer(a.invited),
                        fmt.integer(a.registered),
                        fmt.integer(a.attended),
                    ]
                    for i, a in enumerate(report.attendance, 1)
                ],
                total=["", "Tổng cộng", fmt.integer(invited), fmt.integer(registered), fmt.integer(attended)],
                note=f"Tỷ lệ tham dự: {rate}.",
            )
        )
    gain_note = (
        "Điểm trung bình trước và sau tập huấn; chỉ số tiến bộ chuẩn hóa g = (sau − trước) / "
        "(tối đa − trước)."
    )
    if report.test_summary:
        blocks.append(item("", "Kết quả kiểm tra nhận thức trước và sau tập huấn"))
        blocks.append(Table(gain_columns("Bài kiểm tra"), gain_rows(report.test_summary), note=gain_note))
    if report.gain_by_agency:
        blocks.append(item("", "Mức độ tiến bộ theo cơ quan, đơn vị"))
        blocks.append(Table(gain_columns("Cơ quan, đơn vị"), gain_rows(report.gain_by_agency)))
    if report.gain_by_topic:
        blocks.append(item("", "Mức độ tiến bộ theo chuyên đề"))
        blocks.append(Table(gain_columns("Chuyên đề"), gain_rows(report.gain_by_topic)))

    if report.recommendations:
        blocks.append(Heading(f"{next(section)}. KIẾN NGHỊ, ĐỀ XUẤT"))
        blocks.append(ItemList([_sentence(r) for r in report.recommendations]))
    blocks.append(Para(f"Trên đây là báo cáo kết quả tổ chức {conference[0].lower()}{conference[1:]}./."))
    return DocumentView(
        header=header_view(report.header),
        doc_type="BÁO CÁO",
        subject=subject,
        recipient="",
        blocks=blocks,
        signer=signer_view(report.signer),
        distribution=fmt.distribution_lines(report.distribution),
    )

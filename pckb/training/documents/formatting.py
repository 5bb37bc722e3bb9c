"""Vietnamese formatting for administrative documents (Nghị định 30/2020/NĐ-CP): dates, times, numbers with
a decimal comma, percentages, the "Nơi nhận:" lines."""

from __future__ import annotations

import datetime
import functools
import itertools
import unicodedata
from pathlib import Path

DASH = "–"  # shown for a missing value in a table
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def nfc(text: str) -> str:
    """Precomposed Unicode, so that fonts and text extraction see "ộ" and not "o" + two combining marks."""
    return unicodedata.normalize("NFC", text or "")


def _day(d: datetime.date) -> str:
    return f"{d.day:02d}"


def _month(d: datetime.date) -> str:
    # NĐ30: a leading zero for days below 10 and for months 1 and 2 only.
    return f"{d.month:02d}" if d.month < 3 else str(d.month)


def date_words(d: datetime.date) -> str:
    """``ngày 05 tháng 6 năm 2024``."""
    return f"ngày {_day(d)} tháng {_month(d)} năm {d.year}"


UNDATED = "ngày …… tháng …… năm ……"  # a report not signed yet: the date is written by hand when it is
NUMBER_BLANK = "\u00a0" * 16  # room for the number the records clerk (văn thư) writes in at issue
SIGNER_PLACEHOLDER = "[Họ và tên người ký]"
TITLE_PLACEHOLDER = "[CHỨC DANH NGƯỜI KÝ]"


def place_date(place: str, d: datetime.date | None) -> str:
    """``Cần Thơ, ngày 05 tháng 6 năm 2024``; without a date ``Cần Thơ, ngày …… tháng …… năm ……``."""
    words = date_words(d) if d else UNDATED
    return f"{nfc(place)}, {words}" if place else words.capitalize()


def number_line(number: str) -> str:
    """``Số: 12/GM-BCĐ``; a number not given yet (``""``, ``"/BC-BCĐ"``) keeps a blank wide enough to write
    it in by hand: ``Số:            /BC-BCĐ`` (no-break spaces, which neither HTML nor Word collapse)."""
    number = nfc(number).strip()
    if not number or number.startswith("/"):
        return f"Số:{NUMBER_BLANK}{number}"
    return f"Số: {number}"


def clock(t: datetime.datetime | datetime.time) -> str:
    """``07 giờ 30``."""
    return f"{t.hour:02d} giờ {t.minute:02d}"


def date_range(start: datetime.date, end: datetime.date) -> str:
    """``ngày 12 tháng 6 năm 2024``, ``từ ngày 12 đến ngày 13 tháng 6 năm 2024``, or both months."""
    if isinstance(start, datetime.datetime):
        start = start.date()
    if isinstance(end, datetime.datetime):
        end = end.date()
    if end <= start:
        return date_words(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"từ ngày {_day(start)} đến {date_words(end)}"
    if start.year == end.year:
        return f"từ ngày {_day(start)} tháng {_month(start)} đến {date_words(end)}"
    return f"từ {date_words(start)} đến {date_words(end)}"


def time_span(start: datetime.datetime, end: datetime.datetime) -> str:
    """``từ 07 giờ 30 đến 17 giờ 00, thứ Tư, ngày 12 tháng 6 năm 2024`` (one day) or with both dates."""
    if start.date() == end.date():
        return f"từ {clock(start)} đến {clock(end)}, {WEEKDAYS[start.weekday()]}, {date_words(start)}"
    return f"từ {clock(start)} {date_words(start)} đến {clock(end)} {date_words(end)}"


def integer(n: int) -> str:
    """``1.250`` (dot as the thousands separator)."""
    return f"{n:,}".replace(",", ".")


def decimal(x: float | None, places: int = 2) -> str:
    """``6,25``; ``–`` for a missing value."""
    if x is None:
        return DASH
    text = f"{x:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(rate: float | None, places: int = 1) -> str:
    """``87,5%`` from 0.875; ``90%`` from 0.9 (no trailing ",0")."""
    if rate is None:
        return DASH
    text = decimal(rate * 100, places)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}%"


def recipient_line(recipient: str) -> str:
    recipient = nfc(recipient).strip()
    return recipient if recipient.lower().startswith("kính gửi") else f"Kính gửi: {recipient}"


def distribution_lines(items: list[str]) -> list[str]:
    """``- Như trên;`` … ``- Lưu: VT.``: one dash line each, ";" between and "." after the last; a
    "Lưu: VT." line is added when the caller gave none."""
    clean = [nfc(i).strip().lstrip("-–").strip().rstrip(";.").strip() for i in items]
    clean = [i for i in clean if i]
    if not any(i.lower().startswith("lưu") for i in clean):
        clean.append("Lưu: VT")
    return [f"- {i}{'.' if k == len(clean) - 1 else ';'}" for k, i in enumerate(clean)]


def conference_phrase(title: str) -> str:
    """A conference title as it reads after "tham dự": "Hội nghị tập huấn …" is added when missing."""
    title = nfc(title).strip()
    if title.lower().startswith(("hội nghị", "lớp", "khóa", "khoá")):
        return title
    return f"Hội nghị tập huấn {title}"


def report_subject(title: str) -> str:
    """The trích yếu under "BÁO CÁO": the title without a leading "Báo cáo"."""
    title = nfc(title).strip()
    if title.lower().startswith("báo cáo"):
        rest = title[len("báo cáo") :].strip(" :-–")
        if rest:
            return rest[0].upper() + rest[1:]
    return title


# --- Line breaking for the header columns ----------------------------------------------------------------
# The issuing body's name is set in capitals in a narrow column; left to the renderer it breaks wherever the
# column ends ("BAN CHỈ ĐẠO PHÒNG, CHỐNG KHỦNG" / "BỐ"). Official documents balance the lines instead, so the
# name is broken here, measured with the metrics of the font Word and LibreOffice use (Liberation Serif has
# Times New Roman's metrics).
FONT_FILES = {
    False: ("LiberationSerif-Regular.ttf", "Times New Roman.ttf", "times.ttf"),
    True: ("LiberationSerif-Bold.ttf", "Times New Roman Bold.ttf", "timesbd.ttf"),
}
FONT_DIRS = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/msttcorefonts",
    "/usr/share/fonts/liberation-serif",
)


@functools.cache
def _font(bold: bool):
    from PIL import ImageFont

    for folder in FONT_DIRS:
        for name in FONT_FILES[bold]:
            path = Path(folder) / name
            if path.exists():
                return ImageFont.truetype(str(path), 1000)
    return None


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The printed width of ``text``; an estimate (0.66 em a character in capitals) without the font."""
    font = _font(bold)
    em = font.getlength(text) / 1000 if font else 0.66 * len(text)
    return em * size_pt * 25.4 / 72


#: A line may start with these words without splitting a name ("THÀNH PHỐ", "HỒ CHÍ MINH", "KHỦNG BỐ").
BREAK_BEFORE = frozenset({"TỈNH", "THÀNH", "PHÒNG", "ĐẶC", "BỘ", "SỞ", "CÔNG", "CỤC", "VĂN"})
UNNATURAL_BREAK_MM = 30.0  # what a break elsewhere costs, against the longest line's width


def _natural_break(before: str, after: str) -> bool:
    return before.endswith((",", ";")) or after.upper() in BREAK_BEFORE


def balanced_lines(text: str, width_mm: float, size_pt: float, *, bold: bool = False) -> list[str]:
    """``text`` in as few lines as fit ``width_mm``, broken after a comma or before "TỈNH", "THÀNH PHỐ", …
    (one more line is taken rather than split a name), the longest line as short as possible."""
    text = " ".join(nfc(text).split())
    words = text.split(" ")
    if not text or text_width_mm(text, size_pt, bold=bold) <= width_mm:
        return [text] if text else []

    def widest(lines: list[str]) -> float:
        return max(text_width_mm(x, size_pt, bold=bold) for x in lines)

    best_by_count: list[tuple[int, float, list[str]]] = []  # (unnatural breaks, widest line, lines)
    fallback: tuple[int, float, list[str]] | None = None
    for n in range(2, min(len(words), 4) + 1):
        scored = []
        for cut in itertools.combinations(range(1, len(words)), n - 1):
            lines = [" ".join(words[a:b]) for a, b in zip((0, *cut), (*cut, len(words)), strict=True)]
            unnatural = sum(not _natural_break(words[k - 1], words[k]) for k in cut)
            scored.append((unnatural, widest(lines), lines))
        fitting = [item for item in scored if item[1] <= width_mm]
        if fitting:
            best_by_count.append(min(fitting, key=lambda item: item[1] + UNNATURAL_BREAK_MM * item[0]))
        elif not best_by_count:
            fallback = min(scored, key=lambda item: item[1])
        if len(best_by_count) == 2:
            break
    if not best_by_count:
        return fallback[2] if fallback else words
    natural = [item for item in best_by_count if item[0] == 0]
    return (natural or best_by_count)[0][2]


def parent_lines(parent: str, width_mm: float, size_pt: float) -> list[str]:
    """The body above the issuer, in lines as ``balanced_lines`` breaks it; when the break before the place's
    name would leave the abbreviation "UBND" alone on the first line, it is written in full ("ỦY BAN NHÂN
    DÂN / THÀNH PHỐ HỒ CHÍ MINH"), as documents print a two-line name."""
    lines = balanced_lines(parent, width_mm, size_pt)
    if len(lines) > 1 and lines[0] == "UBND":
        return ["ỦY BAN NHÂN DÂN", *lines[1:]]
    return lines

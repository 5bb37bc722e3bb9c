"""Vietnamese formatting for administrative documents (Nghị định 30/2020/NĐ-CP): dates, times, numbers with
a decimal comma, percentages, the "Nơi nhận:" lines."""

from __future__ import annotations

import datetime
import unicodedata

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


def place_date(place: str, d: datetime.date) -> str:
    """``Cần Thơ, ngày 05 tháng 6 năm 2024``."""
    return f"{nfc(place)}, {date_words(d)}" if place else date_words(d).capitalize()


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

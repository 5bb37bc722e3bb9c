"""Plain data for the training-conference documents. No ORM objects: callers (views, tasks, the bench)
build these from whatever they hold, and the renderers only ever see these frozen dataclasses."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentHeader:
    issuer_parent: str  # "UBND THÀNH PHỐ CẦN THƠ" (may be "")
    issuer: str  # "BAN CHỈ ĐẠO PHÒNG, CHỐNG KHỦNG BỐ"
    number: str  # "12/GM-BCĐ", rendered "Số: 12/GM-BCĐ"
    place: str  # "Cần Thơ"
    date: datetime.date | None  # "Cần Thơ, ngày 05 tháng 6 năm 2024"; None: "ngày …… tháng …… năm ……"
    #: The mark of secrecy printed under the number ("MẬT", "TỐI MẬT"); "" for an unclassified document.
    #: Build it with :func:`pckb.training.documents.content.classification_mark`.
    classification_mark: str = ""


@dataclass(frozen=True)
class Signer:
    authority: str  # "TM. BAN CHỈ ĐẠO", "KT. TRƯỞNG BAN"
    title: str  # "PHÓ TRƯỞNG BAN THƯỜNG TRỰC"
    name: str  # "" prints a visible placeholder, never nothing


@dataclass(frozen=True)
class AgendaLine:
    time: str
    title: str
    presenter: str
    is_topic: bool = True  # False for the opening, a discussion, the closing: not counted as a topic


@dataclass(frozen=True)
class InvitationLetter:
    header: DocumentHeader
    recipient: str  # "Sở Y tế thành phố Cần Thơ" ("Kính gửi: " is added when missing)
    conference_title: str
    start: datetime.datetime
    end: datetime.datetime
    venue: str
    agenda: list[AgendaLine]
    quota: int
    participant_note: str
    contact: str
    signer: Signer
    distribution: list[str]  # "Nơi nhận:" lines
    attendance_note: str = ""  # a sentence after item 3, e.g. how delegates check in


@dataclass(frozen=True)
class AgencyAttendance:
    agency: str
    invited: int
    registered: int
    attended: int


@dataclass(frozen=True)
class GainRow:
    label: str
    n: int
    pre_mean: float | None
    post_mean: float | None
    gain: float | None


@dataclass(frozen=True)
class ConferenceReport:
    header: DocumentHeader
    title: str  # "Báo cáo kết quả Hội nghị tập huấn công tác PCKB năm 2024"
    organisers: list[str]
    co_organisers: list[str]
    start: datetime.datetime
    end: datetime.datetime
    venue: str
    sessions: list[AgendaLine]  # topics and presenters
    attendance: list[AgencyAttendance]
    attendance_rate: float  # 0..1
    test_summary: list[GainRow]  # by test or overall
    gain_by_agency: list[GainRow]
    gain_by_topic: list[GainRow]
    recommendations: list[str]
    signer: Signer
    distribution: list[str]


@dataclass(frozen=True)
class Certificate:
    full_name: str
    agency: str
    conference_title: str
    start: datetime.date
    end: datetime.date
    place: str
    number: str
    verify_code: str
    verify_url: str
    issuer: str
    signer: Signer
    issued_on: datetime.date
    issuer_parent: str = ""  # "UBND THÀNH PHỐ CẦN THƠ"

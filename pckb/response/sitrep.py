"""Situation reports (báo cáo nhanh) as documents in the Nghị định 30/2020/NĐ-CP layout, through the training
module's DOCX and PDF renderers: the office's text, each agency's checklist in figures, and the log lines
since the previous report — what the reader may see only (the caller passes what it read through the access
layer). Plain data in, bytes out."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from pckb.training.documents import docx_render, pdf_render
from pckb.training.documents.content import (
    Column,
    DocumentView,
    Heading,
    Para,
    Table,
    header_view,
    signer_view,
)
from pckb.training.documents.data import DocumentHeader, Signer

AGENCY_COLUMNS = [
    Column("Cơ quan", 70),
    Column("Số việc", 20, numeric=True),
    Column("Đã xác nhận", 25, numeric=True),
    Column("Đã xong", 20, numeric=True),
    Column("Quá hạn", 20, numeric=True),
]
LOG_COLUMNS = [Column("Thời điểm", 32), Column("Diễn biến", 123)]


@dataclass(frozen=True)
class AgencyLine:
    agency: str
    items: int
    acknowledged: int
    done: int
    overdue: int


@dataclass(frozen=True)
class Sitrep:
    committee: str
    province: str
    number: int
    issued_at: object  # aware datetime
    incident_title: str
    place: str
    opened_at: object
    status: str
    commander: str
    measures_applied: list[str]
    situation: str
    measures: str
    proposals: str
    agencies: list[AgencyLine]
    log: list[tuple[str, str]]
    classification_mark: str = ""  # "MẬT" for a report on a Mật incident (see content.classification_mark)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def view(report: Sitrep) -> DocumentView:
    header = DocumentHeader(
        issuer_parent="",
        issuer=report.committee,
        number=f"{report.number}/BCN-BCĐ",
        place=report.province,
        date=timezone.localtime(report.issued_at).date(),
        classification_mark=report.classification_mark,
    )
    blocks = [
        Para(report.incident_title, label="Sự cố: "),
        Para(
            f"{report.place or '—'}; xảy ra, tiếp nhận lúc {_local(report.opened_at)}; {report.status}.",
            label="Nơi xảy ra: ",
        ),
        Para(report.commander, label="Người chỉ huy: "),
        Heading("1. Tình hình"),
        Para(report.situation),
        Heading("2. Việc của các cơ quan theo phương án"),
        Table(
            AGENCY_COLUMNS,
            [
                [a.agency, str(a.items), str(a.acknowledged), str(a.done), str(a.overdue)]
                for a in report.agencies
            ]
            or [["Chưa kích hoạt phương án", "0", "0", "0", "0"]],
        ),
        Heading("3. Diễn biến từ báo cáo trước"),
        Table(LOG_COLUMNS, [[t, text] for t, text in report.log] or [["—", "Không có diễn biến mới."]]),
        Heading("4. Các biện pháp đã triển khai"),
        Para(report.measures or "; ".join(report.measures_applied) or "—"),
        Heading("5. Đề xuất, kiến nghị"),
        Para(report.proposals or "—"),
    ]
    return DocumentView(
        header=header_view(header),
        doc_type="BÁO CÁO NHANH",
        subject=f"Tình hình sự cố lúc {_local(report.issued_at)}",
        recipient="",
        blocks=blocks,
        signer=signer_view(Signer("TM. BAN CHỈ ĐẠO", "", "")),
        distribution=["- Ban Chỉ đạo cấp trên (để báo cáo);", "- Các cơ quan thành viên;", "- Lưu: VT."],
    )


def sitrep_docx(report: Sitrep) -> bytes:
    return docx_render._render(view(report), date=timezone.localtime(report.issued_at).date())


def sitrep_pdf(report: Sitrep) -> bytes:
    document = view(report)
    html = pdf_render._engine().render_to_string(
        "report.html", {"view": document, "blocks": pdf_render._template_blocks(document)}
    )
    return pdf_render._pdf(html)

"""The protection plan as a document in the Nghị định 30/2020/NĐ-CP layout (DOCX and PDF), laid out by the
training module's renderers: quốc hiệu, tiêu ngữ, the issuer, the number as typed, the event (or target),
the itinerary, the agency tasks table and the signer's position. What the document shows is read through
the access layer for the user who downloads it: a stop or a task the user may not see is not printed."""

from __future__ import annotations

from django.utils import timezone

from pckb.core import access
from pckb.protection import selectors
from pckb.protection.models import DEFAULT_ISSUER, ProtectionPlan
from pckb.training.documents import docx_render, pdf_render
from pckb.training.documents import formatting as fmt
from pckb.training.documents.content import (
    Column,
    DocumentView,
    Heading,
    Para,
    Table,
    classification_mark,
    header_view,
    signer_view,
)
from pckb.training.documents.data import DocumentHeader, Signer

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def _paras(text: str) -> list[Para]:
    """One paragraph per line of typed text (empty lines dropped)."""
    return [Para(fmt.nfc(line.strip())) for line in (text or "").splitlines() if line.strip()]


def _when(value) -> str:
    local = timezone.localtime(value)
    return local.strftime("%H:%M %d/%m/%Y")


def plan_view(user, plan: ProtectionPlan) -> DocumentView:
    """The plan's text as blocks, shared by the DOCX and the PDF."""
    sections: list[tuple[str, list]] = []
    sections.append(("MỤC ĐÍCH, YÊU CẦU", _paras(plan.purpose)))
    if plan.event_id:
        event = plan.event
        facts = [
            Para(fmt.nfc(event.title), label="1. Sự kiện, đoàn: "),
            Para(f"{_when(event.start)} đến {_when(event.end)}", label="2. Thời gian: "),
            Para(fmt.nfc(str(event.unit)), label="3. Địa bàn: "),
        ]
        if event.summary.strip():
            facts.append(Para(fmt.nfc(" ".join(event.summary.split())), label="4. Nội dung, thành phần: "))
        sections.append(("ĐẶC ĐIỂM, TÌNH HÌNH", facts))
        stops, tasks = selectors.event_plan_tasks(user, event)
        rows = [
            [
                _when(s.time),
                fmt.nfc(s.venue_display if (s.target is not None or not s.target_id) else "—"),
                fmt.nfc(s.activity or "—"),
            ]
            for s in stops
        ]
        itinerary = (
            [
                Table(
                    [Column("Thời gian", 35), Column("Địa điểm", 75), Column("Hoạt động", 55)],
                    rows,
                )
            ]
            if rows
            else [Para("Lịch trình sẽ được thông báo sau.")]
        )
        sections.append(("LỊCH TRÌNH", itinerary))
    else:
        target = plan.target
        facts = [
            Para(fmt.nfc(target.name), label="1. Mục tiêu: "),
            Para(
                fmt.nfc(", ".join(p for p in (target.address, str(target.unit)) if p)), label="2. Địa điểm: "
            ),
            Para(fmt.nfc(target.get_protection_level_display()), label="3. Mức độ bảo vệ: "),
        ]
        sections.append(("ĐẶC ĐIỂM MỤC TIÊU", facts))
        tasks = []
    sections.append(("LỰC LƯỢNG THAM GIA", _paras(plan.forces)))
    assignment = _paras(plan.assignments)
    if tasks:
        assignment.append(
            Table(
                [
                    Column("STT", 12, numeric=True),
                    Column("Cơ quan, đơn vị", 50),
                    Column("Nhiệm vụ", 75),
                    Column("Thời hạn", 28, numeric=True),
                ],
                [
                    [
                        str(k),
                        fmt.nfc(str(t.agency) if t.agency is not None else "—"),
                        fmt.nfc(" ".join(t.task.split())),
                        t.due.strftime("%d/%m/%Y"),
                    ]
                    for k, t in enumerate(tasks, 1)
                ],
            )
        )
    sections.append(("PHÂN CÔNG NHIỆM VỤ", assignment))
    sections.append(("PHƯƠNG ÁN XỬ LÝ BAN ĐẦU", _paras(plan.initial_response)))
    blocks: list = []
    for k, (title, body) in enumerate(sections):
        blocks.append(Heading(f"{ROMAN[k]}. {title}"))
        blocks.extend(body or [Para("(Chưa có nội dung.)")])
    blocks.append(
        Para(
            "Trên đây là phương án bảo vệ; các cơ quan, đơn vị được phân công triển khai thực hiện, "
            "báo cáo kết quả về Cơ quan Thường trực Ban Chỉ đạo."
        )
    )
    subject = fmt.nfc(str(plan.event.title if plan.event_id else plan.target.name))
    return DocumentView(
        header=header_view(
            DocumentHeader(
                issuer_parent=plan.issuer_parent,
                issuer=plan.issuer.strip() or DEFAULT_ISSUER,
                number=plan.number,
                place=plan.place,
                date=plan.issued_on,
                # The strictest of the plan, its target and its event (classification_paths).
                classification_mark=classification_mark(access.classification_of(plan)),
            )
        ),
        doc_type="PHƯƠNG ÁN",
        subject=f"Bảo vệ {subject}",
        recipient="",
        blocks=blocks,
        signer=signer_view(Signer(plan.signer_authority, plan.signer_title, plan.signer_name)),
        distribution=["- Các cơ quan, đơn vị tại mục V;", "- Lưu: VT."],
    )


def plan_docx(user, plan: ProtectionPlan) -> bytes:
    return docx_render._render(plan_view(user, plan), date=plan.issued_on)


def plan_pdf(user, plan: ProtectionPlan) -> bytes:
    view = plan_view(user, plan)
    html = pdf_render._engine().render_to_string(
        "report.html", {"view": view, "blocks": pdf_render._template_blocks(view)}
    )
    return pdf_render._pdf(html)


def filename(plan: ProtectionPlan, ext: str) -> str:
    return f"phuong-an-bao-ve-{plan.pk}-v{plan.version}.{ext}"

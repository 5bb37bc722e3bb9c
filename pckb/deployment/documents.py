"""Daily orders of a planning run as documents: one sheet per day and team, in the Nghị định 30/2020/NĐ-CP
layout of the training documents (their DOCX helpers and their PDF templates are reused: the header, the
title, tables and the signature block). The DOCX has one section per sheet; the PDF one page per sheet."""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path

from django.template import Context, Engine
from docx.enum.section import WD_SECTION

from pckb.training.documents import docx_render as d
from pckb.training.documents import formatting as fmt
from pckb.training.documents import pdf_render
from pckb.training.documents.content import Column, DocumentView, Para, Table, header_view, signer_view
from pckb.training.documents.data import DocumentHeader, Signer

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "deployment" / "documents"
TARGET_COLUMNS = [Column("TT", 12, numeric=True), Column("Mục tiêu", 88), Column("Địa bàn", 65)]
ROUTE_COLUMNS = [
    Column("TT", 10, numeric=True),
    Column("Đến – rời", 30),
    Column("Mục tiêu", 75),
    Column("Địa bàn", 50),
]


@dataclass(frozen=True)
class Stop:
    """One stop of a mobile team's route: arrival and leaving time (HH:MM), the target and its commune."""

    arrive: str
    leave: str
    target: str
    unit: str = ""


@dataclass(frozen=True)
class Sheet:
    """One team's order for one day."""

    day: dt.date
    team: str
    number: int
    target: str | None  # None: standby
    unit: str = ""
    #: A mobile team's route in visiting order (``None`` for a team that stays at one target).
    stops: tuple[Stop, ...] | None = None


@dataclass(frozen=True)
class Orders:
    committee: str
    province: str
    run_title: str
    sheets: list[Sheet]
    classification_mark: str = ""  # the run's ("MẬT"): it is at least as secret as its strictest target


def sheets_of(run, names: dict[str, str], units: dict[str, str], days: int | None = None) -> list[Sheet]:
    """The run's sheets (all days, or the first ``days``), with target names the reader may see."""
    orders = (run.outputs or {}).get("orders") or []
    out = []
    for day in orders[:days] if days else orders:
        date = dt.date.fromisoformat(day["date"])
        for line in day["teams"]:
            key = line["target"]
            stops = None
            if "stops" in line:
                stops = tuple(
                    Stop(s["arrive"], s["leave"], names.get(s["target"], HIDDEN), units.get(s["target"], ""))
                    for s in line["stops"]
                )
            out.append(
                Sheet(
                    date,
                    line["team"],
                    line["number"],
                    names.get(key, HIDDEN) if key else None,
                    units.get(key, ""),
                    stops,
                )
            )
    return out


HIDDEN = "(không hiển thị)"


def _view(orders: Orders, sheet: Sheet) -> DocumentView:
    header = DocumentHeader(
        issuer_parent="",
        issuer=orders.committee,
        number="",
        place=orders.province,
        date=sheet.day - dt.timedelta(days=1),
        classification_mark=orders.classification_mark,
    )
    team = f"{sheet.team} - Tổ số {sheet.number}"
    day = fmt.date_words(sheet.day)
    columns = TARGET_COLUMNS
    if sheet.stops:
        columns = ROUTE_COLUMNS
        rows = [
            [str(n), f"{stop.arrive} – {stop.leave}", stop.target, stop.unit]
            for n, stop in enumerate(sheet.stops, start=1)
        ]
        task = (
            f"Tổ tuần tra cơ động theo tuyến dưới đây trong {day}: có mặt tại từng mục tiêu theo đúng thứ tự "
            "và giờ ghi trong bảng, kiểm tra, canh gác trong thời gian dừng rồi di chuyển sang mục tiêu kế "
            "tiếp; giữ bí mật lộ trình, báo cáo ngay khi có tình huống."
        )
    elif sheet.target:
        rows = [["1", sheet.target, sheet.unit]]
        task = (
            f"Tổ trực bảo vệ tại mục tiêu nêu dưới đây trong {day}; giữ bí mật lịch bố trí, "
            "báo cáo ngay khi có tình huống."
        )
    else:
        rows = [["", "Trực dự bị tại đơn vị, sẵn sàng tăng cường khi có lệnh", ""]]
        task = f"Tổ trực dự bị trong {day}."
    blocks = [
        Para(team, label="Tổ thực hiện: "),
        Para(task, label="Nhiệm vụ: "),
        Table(columns, rows),
        Para(f"Theo phương án: {orders.run_title}.", label="Căn cứ: "),
    ]
    return DocumentView(
        header=header_view(header),
        doc_type="LỆNH BỐ TRÍ LỰC LƯỢNG",
        subject=f"Ngày {sheet.day.strftime('%d/%m/%Y')}",
        recipient="",
        blocks=blocks,
        signer=signer_view(Signer("TM. BAN CHỈ ĐẠO", "", "")),
        distribution=["- Như trên;", "- Lưu: VT."],
    )


def orders_docx(orders: Orders) -> bytes:
    """One section (a new page) per day and team."""
    first = _view(orders, orders.sheets[0]) if orders.sheets else None
    doc = d._new_document(f"Lệnh bố trí lực lượng: {orders.run_title}", orders.committee, None)
    for index, sheet in enumerate(orders.sheets):
        view = first if index == 0 else _view(orders, sheet)
        if index:
            doc.add_section(WD_SECTION.NEW_PAGE)
        d._header(doc, view)
        d._title(doc, view)
        for block in view.blocks:
            d._block(doc, block)
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
        d._signature(doc, view)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@functools.cache
def _engine() -> Engine:
    return Engine(
        dirs=[str(TEMPLATE_DIR), str(pdf_render.TEMPLATE_DIR)], app_dirs=False, debug=False, autoescape=True
    )


def orders_pdf(orders: Orders) -> bytes:
    """One A4 page per day and team (WeasyPrint, nothing fetched)."""
    sheets = []
    for sheet in orders.sheets:
        view = _view(orders, sheet)
        sheets.append({"view": view, "blocks": pdf_render._template_blocks(view)})
    html = (
        _engine()
        .get_template("orders.html")
        .render(Context({"title": f"Lệnh bố trí lực lượng: {orders.run_title}", "sheets": sheets}))
    )
    return pdf_render._pdf(html)

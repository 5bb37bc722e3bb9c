"""The periodic report as a document in the Nghị định 30/2020/NĐ-CP layout, DOCX and PDF. The text is built
once as a ``DocumentView`` (headings, paragraphs, tables) and laid out by the training module's renderers, so
the two formats say the same thing and share the header, the signature block and "Nơi nhận:"."""

from __future__ import annotations

from django.utils import timezone

from pckb.core import access
from pckb.directory.choices import CommitteeLevel
from pckb.reports import sections as registry
from pckb.reports import selectors
from pckb.reports.models import PeriodicReport
from pckb.training import reports as training_reports
from pckb.training.documents import content, docx_render, pdf_render
from pckb.training.documents import data as docs
from pckb.training.documents import formatting as fmt

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
ROMAN = content.ROMAN
NARRATIVE = (
    ("results", "KẾT QUẢ ĐẠT ĐƯỢC"),
    ("shortcomings", "TỒN TẠI, HẠN CHẾ"),
    ("directions", "PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"),
    ("recommendations", "KIẾN NGHỊ, ĐỀ XUẤT"),
)
WIDTH_MM = 165  # A4 less the NĐ30 margins (30 mm left, 15 mm right)
#: The figures of the national report's table by province (the rest are in the sections below it).
KEY_FIGURES = ("training.conferences", "training.people", "plans.tasks", "plans.done", "plans.late")


def _header(report: PeriodicReport) -> docs.DocumentHeader:
    committee = report.schedule.committee
    classification = access.classification_of(report)
    if committee.level == CommitteeLevel.NATIONAL:
        return docs.DocumentHeader(
            issuer_parent="",
            issuer=committee.name.upper(),
            number=report.number or "/BC-BCĐ",
            place="Hà Nội",
            date=timezone.localdate(report.submitted_at) if report.submitted_at else None,
            classification_mark=content.classification_mark(classification),
        )
    return training_reports._header(
        committee,
        report.number or "/BC-BCĐ",
        timezone.localdate(report.submitted_at) if report.submitted_at else None,
        classification,
    )


def _figure_table(sections: list[dict]) -> content.Table:
    """All the sections' figures in one table: a row per section ("1. Công tác …"), then its figures
    ("1.1", "1.2", …) and its rates. One table rather than one per section: read the same, laid out faster."""
    rows = []
    for k, section in enumerate(sections, 1):
        rows.append([str(k), fmt.nfc(section["title"]).upper(), ""])
        lines = [(f["label"], fmt.integer(f["value"])) for f in section["figures"]]
        lines += [
            (r["label"], fmt.percent(registry.ratio_value(section, r))) for r in section.get("ratios", ())
        ]
        rows += [[f"{k}.{j}", fmt.nfc(label), value] for j, (label, value) in enumerate(lines, 1)]
    columns = [
        content.Column("TT", 14, numeric=True),
        content.Column("Chỉ tiêu", 116),
        content.Column("Số liệu", 35, numeric=True),
    ]
    return content.Table(columns, rows)


def _breakdown(table: dict) -> content.Table:
    n = len(table["columns"]) - 1
    first = WIDTH_MM - 12 - 25 * n
    columns = [content.Column("TT", 12, numeric=True), content.Column(table["columns"][0], first)]
    columns += [content.Column(c, 25, numeric=True) for c in table["columns"][1:]]
    rows = [
        [str(k), fmt.nfc(str(r[0])), *(fmt.integer(v) for v in r[1:])] for k, r in enumerate(table["rows"], 1)
    ]
    totals = [sum(r[i] for r in table["rows"]) for i in range(1, n + 1)]
    return content.Table(columns, rows, total=["", "Tổng cộng", *(fmt.integer(t) for t in totals)])


def _province_table(rollup) -> content.Table:
    """The national report's table: each lower committee, whether it sent its report, and its main figures."""
    present = [k for k, _label in rollup.columns]
    keys = [k for k in KEY_FIGURES if k in present] or present[:4]
    labels = dict(rollup.columns)
    columns = [
        content.Column("TT", 10, numeric=True),
        content.Column("Địa phương", 45),
        content.Column("Tình trạng", 30),
    ]
    width = (WIDTH_MM - 85) / max(len(keys), 1)
    columns += [content.Column(fmt.nfc(labels[k]), width, numeric=True) for k in keys]
    rows = []
    for k, row in enumerate(rollup.rows, 1):
        state = "Đã gửi" if row.report is not None else "Chưa gửi"
        if row.late:
            state += " (quá hạn)"
        rows.append(
            [
                str(k),
                fmt.nfc(row.committee.unit.name),
                state,
                *(fmt.integer(row.values[key]) if key in row.values else fmt.DASH for key in keys),
            ]
        )
    total = [
        "",
        "Tổng cộng",
        f"{len(rollup.submitted)}/{len(rollup.rows)}",
        *(fmt.integer(rollup.totals.get(k, 0)) for k in keys),
    ]
    return content.Table(columns, rows, total=total)


def report_view(user, report: PeriodicReport) -> content.DocumentView:
    schedule = report.schedule
    committee = schedule.committee
    rollup = None
    if committee.level == CommitteeLevel.NATIONAL:
        rollup = selectors.rollup(user, schedule.kind, schedule.period_start, schedule.period_end)
    if report.snapshot is None and rollup is not None:  # a national draft: added up from this very roll-up
        sections = registry.sum_sections([r.sections for r in rollup.rows if r.report is not None])
    else:
        sections = selectors.compiled_sections(user, report)
    blocks: list = []
    numbering = iter(ROMAN)
    blocks.append(
        content.Para(
            f"Thực hiện chế độ báo cáo định kỳ, {committee.name} báo cáo kết quả công tác phòng, chống "
            f"khủng bố {fmt.date_range(schedule.period_start, schedule.period_end)} như sau:"
        )
    )
    blocks.append(content.Heading(f"{next(numbering)}. SỐ LIỆU TỔNG HỢP"))
    if rollup is not None:
        blocks.append(
            content.Para(
                f"Có {len(rollup.submitted)}/{len(rollup.rows)} Ban Chỉ đạo cấp tỉnh đã gửi báo cáo; "
                "số liệu dưới đây được tổng hợp từ các báo cáo đã gửi."
            )
        )
        blocks.append(_province_table(rollup))
    blocks.append(_figure_table(sections))
    for section in sections:
        if section.get("table") and section["table"]["rows"]:
            blocks.append(content.Para("", label=fmt.nfc(section["table"]["title"])))
            blocks.append(_breakdown(section["table"]))
    for name, heading in NARRATIVE:
        blocks.append(content.Heading(f"{next(numbering)}. {heading}"))
        text = fmt.nfc(getattr(report, name)).strip()
        paragraphs = [p.strip() for p in text.splitlines() if p.strip()] or ["(Chưa có nội dung.)"]
        blocks.extend(content.Para(p) for p in paragraphs)
    parent = committee.parent
    distribution = [f"{parent.name} (để báo cáo)"] if parent else []
    return content.DocumentView(
        header=content.header_view(_header(report)),
        doc_type="BÁO CÁO",
        subject=fmt.report_subject(report.title),
        recipient="",
        blocks=blocks,
        signer=content.signer_view(docs.Signer(authority="TM. BAN CHỈ ĐẠO", title="", name="")),
        distribution=fmt.distribution_lines([*distribution, "Các thành viên Ban Chỉ đạo", "Lưu: VT, VPTT"]),
    )


def _filename(report: PeriodicReport, ext: str) -> str:
    return f"bao-cao-{report.schedule.kind}-{report.schedule.period_end:%Y%m%d}-{report.pk}.{ext}"


def report_docx(user, report: PeriodicReport) -> tuple[bytes, str, str]:
    view = report_view(user, report)
    return docx_render._render(view, date=view and _header(report).date), DOCX, _filename(report, "docx")


def report_pdf(user, report: PeriodicReport) -> tuple[bytes, str, str]:
    view = report_view(user, report)
    html = pdf_render._engine().render_to_string(
        "report.html", {"view": view, "blocks": pdf_render._template_blocks(view)}
    )
    return pdf_render._pdf(html), PDF, _filename(report, "pdf")

"""Word (.docx) rendering of the invitation letter and the conference report in the Nghị định 30/2020/NĐ-CP
layout: A4, margins 20/20/30/15 mm, Times New Roman, the two-column header, the signature block,
"Nơi nhận:", and page numbers centred at the top from page 2 (a PAGE field, "different first page")."""

from __future__ import annotations

import datetime
import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from . import content
from .content import Block, DocumentView, Heading, ItemList, Para, Table
from .data import ConferenceReport, InvitationLetter

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 12  # cơ quan ban hành, Quốc hiệu
MOTTO_PT = 13  # Tiêu ngữ, "Số:"
PAGE_NUMBER_PT = 13
TABLE_PT = 12
PAGE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH_MM = 165
HEADER_COLUMNS_MM = (65, 100)
SIGNATURE_COLUMNS_MM = (70, 95)
FIRST_LINE_INDENT = Mm(12.7)
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


# --- Document set-up ---------------------------------------------------------------------------------
def _set_run_fonts(rpr, size_pt: int | None = None) -> None:
    """Times New Roman for every script slot (ASCII, high ANSI, East-Asian, complex), theme fonts removed,
    Vietnamese as the language."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    if size_pt:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(size_pt * 2))


def _new_document(title: str, author: str, date: datetime.date | None):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE
    section.top_margin = MARGINS["top"]
    section.bottom_margin = MARGINS["bottom"]
    section.left_margin = MARGINS["left"]
    section.right_margin = MARGINS["right"]
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    _page_numbers(section)

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_run_fonts(rpr, BODY_PT)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_run_fonts(normal.element.get_or_add_rPr(), BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    grid = doc.styles["Table Grid"]
    _set_run_fonts(grid.element.get_or_add_rPr())

    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.language = "vi-VN"
    props.comments = ""
    if date is not None:  # an undated draft keeps the template's stamps
        stamp = datetime.datetime.combine(date, datetime.time(), tzinfo=datetime.UTC)
        props.created = props.modified = stamp
    props.revision = 1
    return doc


def _page_numbers(section) -> None:
    """NĐ30: the page number centred in the top margin, Arabic numerals, from the second page on: a PAGE
    field in the header, and an empty header for the first page ("different first page", w:titlePg)."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an explicit, empty first-page header
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.paragraph_format.alignment = CENTER
    for kind, value in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "2"), ("end", "")):
        run = p.add_run(value if kind == "text" else "")
        run.font.size = Pt(PAGE_NUMBER_PT)
        if kind == "text":
            continue
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = value
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


# --- Paragraph helpers ---------------------------------------------------------------------------------
def _para(
    container,
    text: str = "",
    *,
    bold=False,
    italic=False,
    size=BODY_PT,
    align=None,
    indent=False,
    before=0.0,
    after=0.0,
    line=1.0,
    reuse_first=False,
):
    if reuse_first and container.paragraphs and not container.paragraphs[0].text:
        p = container.paragraphs[0]
    else:
        p = container.add_paragraph()
    pf = p.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.line_spacing = line
    if align is not None:
        pf.alignment = align
    if indent:
        pf.first_line_indent = FIRST_LINE_INDENT
    if text:
        _run(p, text, bold=bold, italic=italic, size=size)
    else:
        _mark_size(p, size)
    return p


def _run(p, text: str, *, bold=False, italic=False, size=BODY_PT):
    run = p.add_run(text)
    # Only what differs from Normal (Times New Roman 14 pt, regular): smaller XML, faster to build.
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size != BODY_PT:
        run.font.size = Pt(size)
    return run


def _lines(container, lines: list[str], *, bold=False, size=BODY_PT, reuse_first=False):
    """One centred paragraph whose lines are broken where ``lines`` says (w:br), not where the column ends."""
    p = _para(container, align=CENTER, size=size, reuse_first=reuse_first)
    for k, line in enumerate(lines):
        run = _run(p, line, bold=bold, size=size)
        if k < len(lines) - 1:
            run.add_break()
    return p


def _mark_size(p, size: float) -> None:
    """The paragraph mark's size, which sets the height of an empty paragraph."""
    ppr = p._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(int(size * 2)))
        rpr.append(el)


def _rule(container, width_mm: float, column_mm: float, before: float = 0.0):
    """A short centred horizontal rule: an empty, tiny paragraph with a bottom border, indented so that the
    border is ``width_mm`` long (cell padding of about 1.9 mm each side is allowed for)."""
    p = _para(container, size=2, align=CENTER, before=before)
    side = max((column_mm - 3.8 - width_mm) / 2, 0)
    p.paragraph_format.left_indent = Mm(side)
    p.paragraph_format.right_indent = Mm(side)
    p.paragraph_format.line_spacing = Pt(2)
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    # w:pBdr must precede w:spacing/w:ind/w:jc in CT_PPr.
    anchor = next(
        (el for el in ppr if el.tag in {qn("w:spacing"), qn("w:ind"), qn("w:jc"), qn("w:rPr")}), None
    )
    if anchor is not None:
        anchor.addprevious(border)
    else:
        ppr.append(border)
    return p


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.insert_element_before(
        borders,
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
        "w:tblPrChange",
    )


def _fixed_widths(table, widths_mm) -> None:
    table.autofit = False  # w:tblLayout type="fixed"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


# --- Blocks ----------------------------------------------------------------------------------------------
def _header(doc, view: DocumentView) -> None:
    h = view.header
    left_mm, right_mm = HEADER_COLUMNS_MM
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    _fixed_widths(table, HEADER_COLUMNS_MM)
    left, right = table.rows[0].cells
    if h.issuer_parent_lines:
        _lines(left, h.issuer_parent_lines, size=HEADER_PT, reuse_first=True)
    _lines(left, h.issuer_lines, bold=True, size=HEADER_PT, reuse_first=True)
    _rule(left, 24, left_mm)
    _para(
        right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=HEADER_PT, align=CENTER, reuse_first=True
    )
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=MOTTO_PT, align=CENTER)
    _rule(right, 56, right_mm)
    number, place = table.rows[1].cells
    _para(number, h.number_line, size=MOTTO_PT, align=CENTER, before=6, reuse_first=True)
    _para(place, h.place_date, italic=True, size=BODY_PT, align=CENTER, before=6, reuse_first=True)
    for cell in table.rows[1].cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    if h.classification_mark:
        # NĐ30, ô 10a: the mark of secrecy under the number (and under a công văn's "V/v …", which callers
        # add to the number's cell), in its own row so that the number stays level with the place and date.
        row = table.add_row()
        for cell, width in zip(row.cells, HEADER_COLUMNS_MM, strict=True):
            cell.width = Mm(width)
        _classification_mark(row.cells[0], h.classification_mark)


def _classification_mark(cell, text: str) -> None:
    """The mark ("MẬT") in bold capitals inside a rectangular border (Thông tư 24/2020/TT-BCA), centred in the
    issuer's column: a character border (w:bdr) drawn round the run, so the box is as wide as the word."""
    p = _para(cell, align=CENTER, before=6, reuse_first=True)
    run = _run(p, text, bold=True, size=MOTTO_PT)
    border = OxmlElement("w:bdr")
    for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "2"), ("w:color", "000000")):
        border.set(qn(k), v)
    run._r.get_or_add_rPr().append(border)  # after w:b and w:sz, as CT_RPr orders them


def _title(doc, view: DocumentView) -> None:
    _para(doc, view.doc_type, bold=True, size=BODY_PT, align=CENTER, before=18)
    _para(doc, view.subject, bold=True, size=BODY_PT, align=CENTER)
    _rule(doc, 50, TEXT_WIDTH_MM + 3.8, before=2)
    if view.recipient:
        _para(doc, view.recipient, size=BODY_PT, align=CENTER, before=12)


def _body_para(doc, block: Para) -> None:
    p = _para(
        doc, align=WD_ALIGN_PARAGRAPH.CENTER if block.centred else JUSTIFY, indent=True, before=6, line=1.15
    )
    if block.label:
        _run(p, block.label, bold=True)
    if block.text:
        _run(p, block.text)


def _table(doc, block: Table) -> None:
    widths = [c.width_mm for c in block.columns]
    table = doc.add_table(rows=1, cols=len(block.columns))
    table.style = doc.styles["Table Grid"]
    _fixed_widths(table, widths)
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, column in zip(header.cells, block.columns, strict=True):
        _para(cell, column.title, bold=True, size=TABLE_PT, align=CENTER, before=2, after=2, reuse_first=True)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    rows = [(r, False) for r in block.rows] + ([(block.total, True)] if block.total else [])
    for values, is_total in rows:
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        for cell, column, value, width in zip(row.cells, block.columns, values, widths, strict=True):
            cell.width = Mm(width)
            align = CENTER if column.numeric else WD_ALIGN_PARAGRAPH.LEFT
            if is_total and not column.numeric:
                align = CENTER
            _para(cell, value, bold=is_total, size=TABLE_PT, align=align, before=2, after=2, reuse_first=True)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if block.note:
        _para(doc, block.note, italic=True, size=TABLE_PT, align=JUSTIFY, before=3)
    else:
        _para(doc, size=4)


def _item_list(doc, block: ItemList) -> None:
    for k, text in enumerate(block.items, 1):
        marker = f"{k}. " if block.numbered else "- "
        p = _para(doc, align=JUSTIFY, indent=True, before=6, line=1.15)
        _run(p, marker + text)


def _signature(doc, view: DocumentView) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_widths(table, SIGNATURE_COLUMNS_MM)
    left, right = table.rows[0].cells
    _para(left, "Nơi nhận:", bold=True, italic=True, size=12, before=12, reuse_first=True)
    for line in view.distribution:
        _para(left, line, size=11)
    s = view.signer
    first = True
    for text in (s.authority, s.title):
        if text:
            _para(
                right,
                text,
                bold=True,
                size=BODY_PT,
                align=CENTER,
                before=12 if first else 0,
                reuse_first=first,
            )
            first = False
    _para(
        right,
        s.name,
        bold=True,
        size=BODY_PT,
        align=CENTER,
        before=72 if not first else 12,
        reuse_first=first,
    )
    # Keep the block on one page: each row of a table can't split, and the last body paragraph keeps with
    # the table.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _render(view: DocumentView, *, date: datetime.date | None) -> bytes:
    doc = _new_document(f"{view.doc_type.capitalize()}: {view.subject}", view.header.issuer, date)
    _header(doc, view)
    _title(doc, view)
    for block in view.blocks:
        _block(doc, block)
    # The closing paragraph travels with the signature block: a signature never stands alone on a page.
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    _signature(doc, view)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _block(doc, block: Block) -> None:
    if isinstance(block, Heading):
        p = _para(doc, align=JUSTIFY, indent=True, before=6, line=1.15)
        _run(p, block.text, bold=True)
    elif isinstance(block, Para):
        _body_para(doc, block)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, ItemList):
        _item_list(doc, block)
    else:  # pragma: no cover - the block types are closed
        raise TypeError(f"unknown block {block!r}")


# --- Public functions ----------------------------------------------------------------------------------
def invitation_letter_docx(letter: InvitationLetter) -> bytes:
    """Giấy mời tham dự hội nghị tập huấn, as .docx bytes."""
    return _render(content.invitation_view(letter), date=letter.header.date)


def conference_report_docx(report: ConferenceReport) -> bytes:
    """Báo cáo kết quả hội nghị tập huấn, as .docx bytes."""
    return _render(content.report_view(report), date=report.header.date)

"""PDF rendering with WeasyPrint from Django templates in ``pckb/training/templates/training/documents``: the
conference report in the Nghị định 30/2020/NĐ-CP layout and the participation certificates (A4 landscape,
one page each, with a verification code, its URL and a QR code of the URL as inline SVG).

The templates are rendered with a private ``django.template.Engine`` on that folder, so this works whether or
not ``pckb.training`` is in ``INSTALLED_APPS`` and without touching the project's template settings. Nothing
is fetched: the fonts are the system's ("Times New Roman" → Liberation Serif through fontconfig) and any URL
the HTML might name is refused."""

from __future__ import annotations

import functools
from pathlib import Path

import segno
from django.template import Engine
from django.utils.safestring import mark_safe

from . import content
from . import formatting as fmt
from .content import DocumentView, Table
from .data import Certificate, ConferenceReport

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "training" / "documents"


@functools.cache
def _engine() -> Engine:
    return Engine(dirs=[str(TEMPLATE_DIR)], app_dirs=False, debug=False, autoescape=True)


@functools.cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"training documents load no external resources ({url[:60]!r})")


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported lazily: Pango is loaded only when a PDF is made

    document = HTML(string=html, base_url=str(TEMPLATE_DIR), url_fetcher=_refuse_fetch)
    return document.write_pdf(font_config=_font_config())


def _template_blocks(view: DocumentView) -> list:
    """Tables with each cell's alignment attached (the template language has no zip)."""
    blocks: list = []
    for block in view.blocks:
        if isinstance(block, Table):
            blocks.append(
                {
                    "kind": "table",
                    "columns": [{"title": c.title, "width_mm": f"{c.width_mm:g}"} for c in block.columns],
                    "rows": [
                        [
                            {"text": value, "numeric": column.numeric}
                            for value, column in zip(row, block.columns, strict=True)
                        ]
                        for row in block.rows
                    ],
                    "total": block.total,
                    "note": block.note,
                }
            )
        else:
            blocks.append(block)
    return blocks


def conference_report_pdf(report: ConferenceReport) -> bytes:
    """Báo cáo kết quả hội nghị tập huấn, as PDF bytes (A4 portrait, NĐ30 layout)."""
    view = content.report_view(report)
    html = _engine().render_to_string("report.html", {"view": view, "blocks": _template_blocks(view)})
    return _pdf(html)


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (no XML declaration, sized by CSS)."""
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(scale=1, border=2, omitsize=True, dark="#000")


#: The issuer's column on a certificate: 45 % of the frame's inner width (240 mm), less a margin.
CERTIFICATE_ISSUER_MM = 104
CERTIFICATE_ISSUER_PT = 13


def _certificate_context(c: Certificate) -> dict:
    issuer = fmt.nfc(c.issuer).upper()
    parent = fmt.nfc(c.issuer_parent).upper()
    return {
        "issuer": issuer,
        "issuer_lines": fmt.balanced_lines(issuer, CERTIFICATE_ISSUER_MM, CERTIFICATE_ISSUER_PT, bold=True),
        "issuer_parent_lines": fmt.parent_lines(parent, CERTIFICATE_ISSUER_MM, CERTIFICATE_ISSUER_PT),
        "full_name": fmt.nfc(c.full_name),
        "agency": fmt.nfc(c.agency),
        "conference": fmt.conference_phrase(c.conference_title),
        "dates": fmt.date_range(c.start, c.end),
        "place_date": fmt.place_date(c.place, c.issued_on),
        "number": fmt.nfc(c.number),
        "verify_code": c.verify_code,
        "verify_url": c.verify_url,
        "qr_svg": mark_safe(qr_svg(c.verify_url)),  # noqa: S308 - segno's own SVG, the URL is escaped there
        "signer": content.signer_view(c.signer),
    }


def certificates_pdf(certificates: list[Certificate]) -> bytes:
    """Giấy chứng nhận, one A4 landscape page per certificate, as one PDF."""
    if not certificates:
        raise ValueError("no certificates to print")
    context = {"certificates": [_certificate_context(c) for c in certificates]}
    return _pdf(_engine().render_to_string("certificates.html", context))

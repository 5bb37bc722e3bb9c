"""Delegates' badges (code slips): eight per A4 page, each with the name, the agency, the conference, the
personal code and its QR code (the personal page's URL, which the check-in desk's scanner reads). Rendered
with WeasyPrint from ``templates/training/documents/badges.html``, like the certificates."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import mark_safe

from . import formatting as fmt
from .pdf_render import _engine, _pdf, qr_svg

#: Badges per A4 portrait page: two columns of four (105 × 74,25 mm each, cut along the dashed lines).
PER_PAGE = 8


@dataclass(frozen=True)
class Badge:
    full_name: str
    agency: str
    conference_title: str
    dates: str
    code: str
    url: str


def _grouped(code: str) -> str:
    """ABCDE12345 → ABCDE 12345: easier to read out and to type."""
    return " ".join(code[i : i + 5] for i in range(0, len(code), 5))


def badges_pdf(badges: list[Badge]) -> bytes:
    if not badges:
        raise ValueError("no badges to print")
    items = [
        {
            "full_name": fmt.nfc(b.full_name),
            "agency": fmt.nfc(b.agency),
            "conference": fmt.nfc(b.conference_title),
            "dates": b.dates,
            "code": _grouped(b.code),
            "qr_svg": mark_safe(qr_svg(b.url)),  # noqa: S308 - segno's own SVG, the URL is escaped there
        }
        for b in badges
    ]
    pages = [items[i : i + PER_PAGE] for i in range(0, len(items), PER_PAGE)]
    return _pdf(_engine().render_to_string("badges.html", {"pages": pages}))

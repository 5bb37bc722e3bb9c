"""Personal codes as QR images (inline SVG: no image library, no network)."""

import io

import segno
from django.utils.safestring import mark_safe


def qr_svg(text: str, scale: int = 4) -> str:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, border=2)
    return mark_safe(buffer.getvalue().decode("utf-8"))  # noqa: S308 - segno output, no user markup

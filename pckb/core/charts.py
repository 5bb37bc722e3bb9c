"""Small server-side SVG charts (no JavaScript library, CSP-friendly, printable). Each chart has a text
alternative; pages also show the numbers as a table."""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    secondary: float | None = None  # e.g. the pre-test value drawn behind the post-test one


def bar_chart(
    bars: list[Bar],
    *,
    title: str,
    maximum: float | None = None,
    unit: str = "",
    width: int = 640,
    row: int = 26,
) -> SafeString:
    """Horizontal bars, one row per label; ``secondary`` is drawn as a lighter bar above the main one."""
    if not bars:
        return SafeString("")
    label_w = 220
    top = max([maximum or 0] + [b.value for b in bars] + [b.secondary or 0 for b in bars]) or 1
    scale = (width - label_w - 60) / top
    height = row * len(bars) + 10
    rows = []
    for i, bar in enumerate(bars):
        y = 5 + i * row
        secondary = ""
        if bar.secondary is not None:
            secondary = format_html(
                '<rect x="{}" y="{}" width="{}" height="8" class="bar-secondary"/>',
                label_w,
                y + 2,
                f"{bar.secondary * scale:.1f}",
            )
        rows.append(
            format_html(
                '<text x="{}" y="{}" class="bar-label" text-anchor="end">{}</text>{}'
                '<rect x="{}" y="{}" width="{}" height="{}" class="bar"/>'
                '<text x="{}" y="{}" class="bar-value">{}{}</text>',
                label_w - 6,
                y + 15,
                bar.label[:38],
                secondary,
                label_w,
                y + (10 if secondary else 3),
                f"{bar.value * scale:.1f}",
                10 if secondary else 16,
                f"{label_w + bar.value * scale + 4:.1f}",
                y + 15,
                _number(bar.value),
                unit,
            )
        )
    description = "; ".join(f"{b.label}: {_number(b.value)}{unit}" for b in bars)
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>{}</svg>',
        width,
        height,
        f"{title}. {description}",
        title,
        format_html_join("", "{}", ((r,) for r in rows)),
    )


def _number(value: float) -> str:
    """One decimal unless whole, with the active language's decimal mark (77,5 vi; 77.5 en)."""
    from django.utils.formats import number_format

    return number_format(value, 1 if abs(value - round(value)) > 1e-9 else 0)

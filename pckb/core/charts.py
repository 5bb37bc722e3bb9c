"""Small server-side SVG charts (no JavaScript library, CSP-friendly, printable).

A bar chart reads like a table: each row has its full label (wrapped over as many lines as it needs,
never cut), then its bar or bars with the value printed at the end of each; a value axis with ticks and
grid lines runs under the rows; a legend names the two series when there are two. The SVG carries a title
and a description (the text alternative: every label with its values), and pages also show the numbers as
a table.

Sizes are in the SVG's own units; the chart is drawn 360 units wide and scales with its box, so the text
stays readable on a phone (CSS caps the width on a desktop).
"""

from __future__ import annotations

import math
import textwrap
import zlib
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 360
MARGIN = 8
LINE = 16  # one line of label text
BAR = 14  # height of one bar
GAP = 10  # space between rows
VALUE_ROOM = 52  # room right of the longest bar for its value
WRAP = 44  # characters per label line at this width


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    secondary: float | None = None  # e.g. the pre-test value drawn above the post-test one


def bar_chart(
    bars: list[Bar],
    *,
    title: str,
    maximum: float | None = None,
    unit: str = "",
    legend: tuple[str, str] | None = None,
) -> SafeString:
    """Horizontal bars, one row per label. ``legend`` names the main and the ``secondary`` series; when a bar
    has a secondary value it is drawn as a lighter bar above the main one, both with their values."""
    if not bars:
        return SafeString("")
    paired = any(b.secondary is not None for b in bars)
    values = [b.value for b in bars] + [b.secondary for b in bars if b.secondary is not None]
    counts = all(float(v).is_integer() for v in values) and (maximum is None or float(maximum).is_integer())
    top = _nice_top(max([maximum or 0, *values]), counts)
    plot_w = WIDTH - 2 * MARGIN - VALUE_ROOM
    scale = plot_w / top
    parts: list[SafeString] = []
    y = MARGIN
    if paired and legend:
        parts.append(_legend(legend, y))
        y += LINE + 6
    plot_top = y
    for bar in bars:
        lines = textwrap.wrap(bar.label, WRAP, break_long_words=True) or [""]
        tspans = format_html_join(
            "",
            '<tspan x="{}" dy="{}">{}</tspan>',
            ((MARGIN, 0 if i == 0 else LINE, line) for i, line in enumerate(lines)),
        )
        parts.append(format_html('<text x="{}" y="{}" class="bar-label">{}</text>', MARGIN, y + 12, tspans))
        y += LINE * len(lines)
        if paired:
            parts.append(_bar(bar.secondary, y, scale, unit, "bar-secondary"))
            y += BAR + 2
        parts.append(_bar(bar.value, y, scale, unit, "bar"))
        y += BAR + GAP
    plot_bottom = y - GAP + 4
    parts.insert(0, _axis(top, scale, plot_top, plot_bottom, unit))
    height = plot_bottom + LINE + MARGIN
    description = "; ".join(_describe(b, unit, legend) for b in bars)
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{} {}">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        WIDTH,
        height,
        _id(title, "t"),
        _id(title, "d"),
        _id(title, "t"),
        title,
        _id(title, "d"),
        description,
        format_html_join("", "{}", ((p,) for p in parts)),
    )


def _bar(value: float | None, y: float, scale: float, unit: str, css: str) -> SafeString:
    width = max((value or 0) * scale, 0)
    text = "–" if value is None else f"{_number(value)}{unit}"
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" class="{}"/>'
        '<text x="{}" y="{}" class="bar-value">{}</text>',
        MARGIN,
        y,
        f"{width:.1f}",
        BAR,
        css,
        f"{MARGIN + width + 4:.1f}",
        y + BAR - 3,
        text,
    )


def _axis(top: float, scale: float, y0: float, y1: float, unit: str) -> SafeString:
    """Grid lines and tick labels at five even steps from 0 to ``top``, and the axis line itself."""
    ticks = []
    for i in range(5):
        value = top * i / 4
        x = MARGIN + value * scale
        ticks.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" class="grid"/>'
                '<text x="{}" y="{}" class="tick" text-anchor="middle">{}{}</text>',
                f"{x:.1f}",
                y0,
                f"{x:.1f}",
                y1,
                f"{x:.1f}",
                y1 + LINE - 2,
                _number(value),
                unit,
            )
        )
    return format_html(
        '{}<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>',
        format_html_join("", "{}", ((t,) for t in ticks)),
        MARGIN,
        y1,
        f"{MARGIN + top * scale:.1f}",
        y1,
    )


def _legend(legend: tuple[str, str], y: float) -> SafeString:
    main, secondary = legend
    second_x = MARGIN + 18 + 7 * len(secondary) + 24
    return format_html(
        '<g class="legend"><rect x="{}" y="{}" width="12" height="12" class="bar-secondary"/>'
        '<text x="{}" y="{}">{}</text>'
        '<rect x="{}" y="{}" width="12" height="12" class="bar"/><text x="{}" y="{}">{}</text></g>',
        MARGIN,
        y,
        MARGIN + 16,
        y + 11,
        secondary,
        second_x,
        y,
        second_x + 16,
        y + 11,
        main,
    )


def _describe(bar: Bar, unit: str, legend: tuple[str, str] | None) -> str:
    if bar.secondary is None:
        return f"{bar.label}: {_number(bar.value)}{unit}"
    main, secondary = legend or ("", "")
    return f"{bar.label}: {secondary} {_number(bar.secondary)}{unit}, {main} {_number(bar.value)}{unit}"


def _nice_top(value: float, counts: bool = False) -> float:
    """The axis end: ``value`` rounded up to 1, 2, 2.5 or 5 × a power of ten (0 → 1). For counts, a multiple
    of four whole numbers, so that the five ticks are whole numbers too (0 → 4)."""
    if counts:
        step = _nice_top(max(value, 1) / 4)
        return 4 * max(math.ceil(step), 1)
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-9:
            return step * power
    return 10 * power


def _id(title: str, suffix: str) -> str:
    return f"chart-{zlib.crc32(title.encode()):08x}-{suffix}"


def _number(value: float) -> str:
    """One decimal unless whole, with the active language's decimal mark (77,5 vi; 77.5 en)."""
    from django.utils.formats import number_format

    return number_format(value, 1 if abs(value - round(value)) > 1e-9 else 0)

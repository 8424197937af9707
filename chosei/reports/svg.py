"""Inline SVG charts for the HTML report: no script, no network, text in the page's fonts.

Every string passes through `html.escape`; numbers are formatted here. The palette is
Okabe–Ito (readable with colour-blindness) and every chart has a legend, so the print
in grey still reads.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#8C6D00",
           "#666666")
WIDTH = 720
FONT = 13

Series = tuple[str, Sequence[float]]


def _scale(value: float) -> tuple[float, list[float]]:
    """The axis top and its ticks: whole numbers (these are counts), at most five steps."""
    value = max(value, 1)
    exp = 10 ** max(0, math.floor(math.log10(value)) - 1)
    while True:
        for step in (1, 2, 5):
            size = step * exp
            n = math.ceil(value / size)
            if n <= 5:
                return size * n, [size * i for i in range(n + 1)]
        exp *= 10


def _num(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def _legend(series: Sequence[Series], y: float, x0: float = 0,
            width: int = WIDTH) -> tuple[list[str], float]:
    parts, x = [], x0
    for i, (name, _) in enumerate(series):
        color = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" fill="{color}"/>')
        parts.append(f'<text x="{x + 16:.1f}" y="{y + 11:.1f}">{escape(name)}</text>')
        x += 16 + text_width(name) + 18
        if x > width - 120:
            x, y = x0, y + 18
    return parts, y + 18


def text_width(text: str, size: float = FONT) -> float:
    """The width of `text` at font `size`, estimated (no font metrics without a browser)."""
    # East Asian characters are about one em wide, Latin ones about half.
    return sum(size if ord(ch) > 0x2E80 else size * 0.58 for ch in text)


def _open(height: float, label: str, width: int = WIDTH) -> str:
    return (f'<svg class="chart" viewBox="0 0 {width} {height:.0f}" width="{width}" '
            f'height="{height:.0f}" role="img" aria-label="{escape(label)}" '
            f'xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">'
            f"<title>{escape(label)}</title>")


def hbar(label: str, categories: Sequence[str], series: Sequence[Series], *,
         stacked: bool = False, width: int = WIDTH) -> str:
    """Horizontal bars, one group (or one stacked bar) per category."""
    label_w = min(260.0, max((text_width(c) for c in categories), default=40) + 12)
    legend, top = _legend(series, 4, width=width)
    top += 6
    bar_h = 16
    group_h = (bar_h if stacked else bar_h * len(series)) + 10
    plot_w = width - label_w - 50
    totals = [sum(s[1][i] for s in series) if stacked else max((s[1][i] for s in series),
                                                               default=0)
              for i in range(len(categories))]
    top_value, ticks = _scale(max(totals, default=0))
    height = top + group_h * len(categories) + 28
    out = [_open(height, label, width), *legend]
    x0 = label_w
    for tick in ticks:
        x = x0 + plot_w * tick / top_value
        out.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" '
                   f'y2="{height - 22:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 8:.1f}" text-anchor="middle" '
                   f'fill="#555">{_num(tick)}</text>')
    for i, category in enumerate(categories):
        y = top + i * group_h + 4
        middle = y + (group_h - 10) / 2 + 4
        out.append(f'<text x="{x0 - 8:.1f}" y="{middle:.1f}" text-anchor="end">'
                   f"{escape(category)}</text>")
        offset = 0.0
        for j, (name, values) in enumerate(series):
            value = values[i]
            color = PALETTE[j % len(PALETTE)]
            w = plot_w * value / top_value
            by = y if stacked else y + j * bar_h
            bx = x0 + offset
            if value:
                out.append(f'<rect x="{bx:.1f}" y="{by:.1f}" width="{w:.1f}" '
                           f'height="{bar_h - 2}" fill="{color}">'
                           f"<title>{escape(name)}: {_num(value)}</title></rect>")
            if not stacked and value:
                out.append(f'<text x="{bx + w + 4:.1f}" y="{by + bar_h - 5:.1f}" '
                           f'fill="#333" font-size="11">{_num(value)}</text>')
            if stacked:
                offset += w
        if stacked:
            out.append(f'<text x="{x0 + offset + 4:.1f}" y="{y + bar_h - 5:.1f}" '
                       f'fill="#333" font-size="11">{_num(totals[i])}</text>')
    out.append("</svg>")
    return "".join(out)


def lines(label: str, months: Sequence[str], series: Sequence[Series]) -> str:
    """One line per series over the months, points marked, months labelled sparsely."""
    legend, top = _legend(series, 4, 40)
    top += 10
    plot_h, left, right = 220.0, 44.0, 34.0
    plot_w = WIDTH - left - right
    height = top + plot_h + 44
    top_value, ticks = _scale(max((v for _, values in series for v in values), default=0))
    out = [_open(height, label), *legend]
    bottom = top + plot_h
    for tick in ticks:
        y = bottom - plot_h * tick / top_value
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" '
                   f'stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                   f'fill="#555">{_num(tick)}</text>')
    n = len(months)
    step = plot_w / max(n - 1, 1)
    every = max(1, math.ceil(n / 12))
    for i, m in enumerate(months):
        x = left + (i * step if n > 1 else plot_w / 2)
        if i % every == 0:
            out.append(f'<text x="{x:.1f}" y="{bottom + 18:.1f}" text-anchor="middle" '
                       f'fill="#555" font-size="11">{escape(m)}</text>')
    for j, (name, values) in enumerate(series):
        color = PALETTE[j % len(PALETTE)]
        points = [(left + (i * step if n > 1 else plot_w / 2),
                   bottom - plot_h * v / top_value) for i, v in enumerate(values)]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{color}" '
                       f'stroke-width="1.8" stroke-linejoin="round"/>')
        for (x, y), v in zip(points, values, strict=True):
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}">'
                       f"<title>{escape(name)}: {_num(v)}</title></circle>")
    out.append("</svg>")
    return "".join(out)

"""Tiny inline-SVG charts (no script, no external resource). Labels are XML-escaped here, because the
SVG text is inserted into the page as markup."""

from __future__ import annotations

from typing import Sequence
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup


def bar_chart(bars: Sequence[tuple[str, int, str]], *, title: str, label_width: int = 110,
              width: int = 640, bar_height: int = 20) -> Markup:
    """Horizontal bars: (label, value, colour). Returns an <svg> element as a string, escaped."""
    if not bars:
        return Markup("")
    top = max((v for _, v, _ in bars), default=0) or 1
    plot = width - label_width - 70
    gap = 6
    height = len(bars) * (bar_height + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for i, (label, value, colour) in enumerate(bars):
        y = gap + i * (bar_height + gap)
        w = 0 if value <= 0 else max(2, round(plot * value / top))
        text = label if len(label) <= 48 else label[:47] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end" class="lbl">{escape(text)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{w}" height="{bar_height}" rx="3" fill={quoteattr(colour)}>'
            f'<title>{escape(label)}: {value:,}</title></rect>'
            f'<text x="{label_width + w + 6}" y="{y + bar_height - 5}" class="val">{value:,}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # every label and value above is escaped

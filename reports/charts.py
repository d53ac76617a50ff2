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


def column_chart(columns: Sequence[tuple[str, int, str]], *, title: str, width: int = 760,
                 height: int = 200) -> Markup:
    """Vertical columns: (label, value, colour), labels under each column. Escaped like `bar_chart`."""
    if not columns:
        return Markup("")
    top = max((v for _, v, _ in columns), default=0) or 1
    base, plot_h, left = height - 34, height - 56, 8
    step = (width - left * 2) / len(columns)
    col_w = max(4.0, step * 0.7)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for i, (label, value, colour) in enumerate(columns):
        x = left + i * step + (step - col_w) / 2
        h = 0 if value <= 0 else max(2, round(plot_h * value / top))
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h}" width="{col_w:.1f}" height="{h}" rx="2" fill={quoteattr(colour)}>'
            f'<title>{escape(label)}: {value:,}</title></rect>'
            f'<text x="{x + col_w / 2:.1f}" y="{base - h - 4}" text-anchor="middle" class="val">{value:,}</text>'
            f'<text x="{x + col_w / 2:.1f}" y="{base + 16}" text-anchor="middle" class="lbl">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # every label and value above is escaped


def stacked_column_chart(columns: Sequence[tuple[str, Sequence[tuple[str, int, str]]]], *, title: str,
                         width: int = 640, height: int = 180) -> Markup:
    """Vertical stacked columns: (label, [(part, value, colour), ...]) bottom-up. Escaped like `bar_chart`."""
    if not columns:
        return Markup("")
    top = max((sum(v for _, v, _ in parts) for _, parts in columns), default=0) or 1
    base, plot_h, left = height - 34, height - 56, 8
    step = (width - left * 2) / len(columns)
    col_w = min(48.0, max(4.0, step * 0.7))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for i, (label, parts) in enumerate(columns):
        x = left + i * step + (step - col_w) / 2
        y = base
        for part, value, colour in parts:
            h = 0 if value <= 0 else max(2, round(plot_h * value / top))
            y -= h
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{col_w:.1f}" height="{h}" fill={quoteattr(colour)}>'
                       f'<title>{escape(label)} · {escape(part)}: {value:,}</title></rect>')
        total = sum(v for _, v, _ in parts)
        out.append(f'<text x="{x + col_w / 2:.1f}" y="{y - 4}" text-anchor="middle" class="val">{total:,}</text>'
                   f'<text x="{x + col_w / 2:.1f}" y="{base + 16}" text-anchor="middle" class="lbl">{escape(label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))  # every label and value above is escaped

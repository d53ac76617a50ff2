"""Field names that are personal data themselves (a header row of values, JSON keys that are e-mail
addresses): replaced by their position before any finding, explanation or report carries them."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from detectors.engine import Detector

_FIELD_SEPARATORS = "!./"


def safe_field(field: str, position: int | None, detector: "Detector") -> str:
    """`field` with every part that is itself personal data replaced by `column_N`.

    A header row that is really a row of values (`jane@…`, a phone number), or a JSON object keyed by
    e-mail addresses, would otherwise put raw values into findings, explanations and the report. The
    name goes through the same analyzer as values; the hit is widened to the enclosing name part
    (`Sheet!part`, `a.b.part`), which becomes `column_<position>` (or `key_<n>` inside a key path).
    """
    # every run of whole name parts is read on its own: `a.jane.doe@x.lu.b` hides an address in a path
    bounds = [0] + [i + 1 for i, c in enumerate(field) if c in _FIELD_SEPARATORS] + [len(field) + 1]
    bounds = bounds if len(bounds) <= 10 else [0, len(field) + 1]
    runs = [(bounds[a], bounds[b] - 1) for a in range(len(bounds) - 1) for b in range(a + 1, len(bounds))]
    runs = [(a, b) for a, b in runs if b > a]
    found = detector.text_spans([field[a:b] for a, b in runs], ner=False)
    spans = [replace(s, start=s.start + a, end=s.end + a) for (a, _), ss in zip(runs, found) for s in ss]
    if not spans:
        return field
    parts: list[tuple[int, int]] = []
    for span in sorted(spans, key=lambda s: s.start):
        start = max((field.rfind(c, 0, span.start) for c in _FIELD_SEPARATORS), default=-1) + 1
        ends = [i for i in (field.find(c, span.end) for c in _FIELD_SEPARATORS) if i != -1]
        end = min(ends, default=len(field))
        if parts and start < parts[-1][1]:
            parts[-1] = (parts[-1][0], max(end, parts[-1][1]))
        else:
            parts.append((start, end))
    out, last = [], 0
    for n, (start, end) in enumerate(parts, start=1):
        is_last = end == len(field)
        name = f"column_{position}" if is_last and position is not None else f"key_{n}"
        out.append(field[last:start] + name)
        last = end
    return "".join(out) + field[last:]

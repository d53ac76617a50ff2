"""Rows -> column samples, the one transposer behind CSV/TSV, JSON arrays, spreadsheets and databases.

Why one: the detector must get the same evidence for the same column wherever it lives. A notes column
read from a CSV, a sheet or PostgreSQL gives the same values, cut at `MAX_VALUE_CHARS`, and becomes a
`TextSample` (read as prose) when most of its values are long text.

Headers are found, not assumed (`find_header`): a row of values (an e-mail, a phone number, an IBAN)
is never taken for field names. Title rows and blank rows above the header are skipped; a table with
no header row gets `column_1…`. Column samples carry their 1-based `position` so the detector can
name a column `column_N` when its header turns out to be personal data itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Iterable, Iterator, Sequence

from scanner.models import ColumnSample, Sample, TextSample, image_value

MAX_VALUE_CHARS = 2000  # a cell longer than this is cut: enough for any identifier, bounded for prose
LONG_TEXT_CHARS = 200  # a column whose values are mostly longer than this is read as text
HEADER_SEARCH_ROWS = 10  # the header row is looked for among this many first non-blank rows
MAX_HEADER_CHARS = 80
CAPTION_FIELD = "(title)"  # the field of a table's caption sample: `Sheet!(title)`


_IMAGE_MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"GIF87a", "image/gif"),
                (b"GIF89a", "image/gif"), (b"II*\x00", "image/tiff"), (b"MM\x00*", "image/tiff"))
_HEX_PREFIXES = ("\\x", "0x", "0X")  # bytea in pg_dump COPY text, hex blobs in mysqldump / SQL literals
_HEX_HEADS = frozenset(_HEX_PREFIXES)


def image_cell(value: object) -> str | None:
    """`image_value(...)` for a cell holding an image (raw bytes, or the hex text dumps write), else None."""
    if isinstance(value, str):
        if not value.startswith(_HEX_PREFIXES) or len(value) < 18:
            return None
        try:
            head, size = bytes.fromhex(value[2:18]), (len(value) - 2) // 2
        except ValueError:
            return None
    elif isinstance(value, (bytes, bytearray, memoryview)):
        head, size = bytes(value[:16]), len(value)
    else:
        return None
    kind = next((k for magic, k in _IMAGE_MAGIC if head.startswith(magic)), None)
    if kind is None and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "image/webp"
    return image_value(kind, size) if kind else None


def value_text(value: object) -> str | None:
    """A cell as text for the detector, or None for NULL, empty and binary values (an image becomes
    `[image/jpeg, 12 KB]`: its kind and size, never its bytes)."""
    if value is None:
        return None
    if type(value) is str:  # the common case first: every database and file cell passes here
        if value[:2] in _HEX_HEADS:
            text = image_cell(value) or value
        else:
            text = value
    elif isinstance(value, (bytes, bytearray, memoryview)):
        image = image_cell(value)
        if image:
            return image
        try:
            text = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return None
        if any(ord(c) < 9 for c in text[:200]):
            return None
    elif isinstance(value, datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, (date, time)):
        text = value.isoformat()
    elif isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))  # spreadsheets store 42 as 42.0
    else:
        text = str(value)
    text = text[:MAX_VALUE_CHARS]
    return text if text.strip() else None


# -- header detection --------------------------------------------------------------------------------
_VALUE_SHAPES = (
    re.compile(r"@|://|^www\.", re.IGNORECASE),  # e-mail, URL
    re.compile(r"\d[\d\s().\-/+]{5,}\d"),  # six or more digits in a run: phone, account, id, date
    re.compile(r"^[+-]?\d+(?:[.,]\d+)?%?$"),  # a bare number
    re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"),  # a date
    re.compile(r"^[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,}"),  # an IBAN
)


def _kind(cell: str) -> str:
    """Coarse type of a cell: 'empty', 'label' (could be a field name) or 'value'."""
    text = cell.strip()
    if not text:
        return "empty"
    if len(text) > MAX_HEADER_CHARS or "\n" in text:
        return "value"
    if any(p.search(text) for p in _VALUE_SHAPES):
        return "value"
    letters = sum(c.isalpha() for c in text)
    digits = sum(c.isdigit() for c in text)
    return "label" if letters and digits <= letters else "value"


def _shape(cell: str) -> str:
    """Finer type of a data cell, to compare a candidate header with the rows below it."""
    text = cell.strip()
    if not text:
        return "empty"
    if "@" in text:
        return "email"
    if re.fullmatch(r"[+-]?[\d\s.,'()/\-+:xX]+", text) and any(c.isdigit() for c in text):
        return "numeric"
    if len(text) > MAX_HEADER_CHARS:
        return "long"
    return "text"


@dataclass(frozen=True)
class Header:
    """Where the table starts: the header row's index (None = no header) and the first data row's."""

    index: int | None
    data_start: int
    names: tuple[str, ...]


def _cells(row: Sequence[object]) -> list[str]:
    return [value_text(c) or "" for c in row]


def find_header(rows: Sequence[Sequence[object]]) -> Header:
    """Find the header row among the first rows, or decide there is none.

    A candidate has only label-like cells (no e-mail, number, date, long text), at least two of them
    (or the table's only column), and is not a lone title over a wider table. It is accepted when a
    column below it has a different shape (numbers or e-mails under a label), or when its labels are
    distinct and the rows below are not all labels of the same kind (then it is the first such row).
    """
    cells = [_cells(r) for r in rows]
    filled = [sum(1 for c in r if c.strip()) for r in cells]
    width = max(filled, default=0)
    non_blank = [i for i, n in enumerate(filled) if n]
    if not non_blank:
        return Header(None, 0, ())
    for i in non_blank[:HEADER_SEARCH_ROWS]:
        row = cells[i]
        kinds = [_kind(c) for c in row]
        labels = [c.strip() for c, k in zip(row, kinds) if k == "label"]
        if "value" in kinds or _repeats_within_a_block(row):
            continue
        if width > 1 and (filled[i] < 2 or filled[i] * 2 < width):
            continue  # a title row ("Members 2024") or a group row over merged cells
        below = [cells[j] for j in non_blank if j > i][:50]
        if below and filled[i] < sum(1 for c in below[0] if c.strip()) and all(
                _kind(c) != "value" for c in below[0]):
            continue  # a group row over merged cells: the wider label row below is the header
        if not below and i != non_blank[0]:
            continue
        if _is_form(row, below):
            continue  # form labels ("Last name:") name the value beside them, not a column
        if below and not _differs_from(row, below) and not _distinct_from(row, below):
            continue
        return Header(i, i + 1, _names(row))
    return Header(None, non_blank[0], ())


def _differs_from(header: list[str], below: list[list[str]]) -> bool:
    """Some labelled column holds mostly non-text values (numbers, e-mails, long text) below the label."""
    for col, name in enumerate(header):
        if not name.strip():
            continue
        shapes = [_shape(r[col]) for r in below if col < len(r) and r[col].strip()]
        if shapes and sum(s != "text" for s in shapes) * 2 > len(shapes):
            return True
    return False


def _distinct_from(header: list[str], below: list[list[str]]) -> bool:
    """No label reappears as a value of its column (a header names its column once)."""
    for col, name in enumerate(header):
        if name.strip() and any(col < len(r) and r[col].strip() == name.strip() for r in below):
            return False
    return bool(below)


def _is_form(row: list[str], below: list[list[str]]) -> bool:
    """A column of labels ending with ':' (`Last name:`, `Phone:`), this row's cell among them: a form."""
    for col, cell in enumerate(row):
        if cell.strip().endswith(":"):
            under = [r[col].strip() for r in below if col < len(r) and r[col].strip()]
            if under and sum(c.endswith(":") for c in under) * 2 > len(under):
                return True
    return False


def _repeats_within_a_block(row: list[str]) -> bool:
    """A label repeated inside one run of filled cells. Tables side by side (blank columns between them)
    may repeat their labels: `Name Age | | Name Age` is the header of both."""
    seen: set[str] = set()
    for cell in row:
        label = cell.strip()
        if not label:
            seen = set()
        elif label in seen:
            return True
        else:
            seen.add(label)
    return False


def _names(row: list[str]) -> tuple[str, ...]:
    """Field names; a label repeated by a table side by side gets its occurrence (`Name (2)`)."""
    names: list[str] = []
    for i, cell in enumerate(row):
        name = cell.strip() or f"column_{i + 1}"
        n = names.count(name) + sum(1 for other in names if other.startswith(f"{name} ("))
        names.append(f"{name} ({n + 1})" if n else name)
    return tuple(names)


def caption_text(rows: Sequence[Sequence[object]], header: Header) -> str:
    """The non-blank cells of the rows above the header (a title, a date, a note), one line per row."""
    lines = [" ".join(c.strip() for c in _cells(r) if c.strip()) for r in rows[: header.index or 0]]
    return "\n".join(line for line in lines if line)[:MAX_VALUE_CHARS]


def column_names(header: Header, width: int) -> list[str]:
    """Header names padded to `width` with `column_N` (also the names of a header-less table)."""
    names = list(header.names[:width])
    return names + [f"column_{i + 1}" for i in range(len(names), width)]


# -- transposing -------------------------------------------------------------------------------------
def column_samples(
    location: str,
    names: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    max_rows: int | None = None,
    prefix: str = "",
    declared_types: Sequence[str | None] | None = None,
    rows_estimate: int | None = None,
) -> Iterator[Sample]:
    """One sample per column of `rows` (cells in column order).

    Cells become text through `value_text` (capped, binary dropped); a column whose values are mostly
    longer than `LONG_TEXT_CHARS` becomes a `TextSample` so the text analyzer reads it as prose.
    `prefix` qualifies field names (`Sheet!`)."""
    values: list[list[object]] = [[] for _ in names]
    for n, row in enumerate(rows):
        if max_rows is not None and n >= max_rows:
            break
        for i, cell in enumerate(list(row)[: len(names)]):
            values[i].append(cell)
    for i, (name, vals) in enumerate(zip(names, values)):
        declared = declared_types[i] if declared_types else None
        yield column_sample(location, f"{prefix}{name}", vals, position=i + 1, declared_type=declared,
                            rows_estimate=rows_estimate)


def column_sample(location: str, field: str, values: Sequence[object], *, position: int | None = None,
                  declared_type: str | None = None, rows_estimate: int | None = None) -> Sample:
    """The sample of one column's values: a `TextSample` when most values are long prose, else a
    `ColumnSample` (also when every value is empty: the column exists). JSON key paths and transposed
    rows both end here."""
    vals = [t for t in (value_text(v) for v in values) if t is not None]
    if vals and sum(1 for v in vals if len(v) > LONG_TEXT_CHARS) * 2 > len(vals):
        return TextSample(location=location, field=field, text="\n".join(vals))
    return ColumnSample(location=location, field=field, values=tuple(vals), declared_type=declared_type,
                        rows_estimate=rows_estimate, position=position)


def table_samples(location: str, rows: Sequence[Sequence[object]], *, max_rows: int, prefix: str = "") -> Iterator[Sample]:
    """Samples of a table whose header must be found (CSV, sheets, JSON arrays of arrays); the title rows
    above the header, if any, come first as the table's caption."""
    header = find_header(rows)
    caption = caption_text(rows, header)
    if caption:
        yield TextSample(location=location, field=f"{prefix}{CAPTION_FIELD}", text=caption, caption=True)
    data = rows[header.data_start:]
    width = max((len(r) for r in rows), default=0)
    names = column_names(header, width)
    yield from column_samples(location, names, data, max_rows=max_rows, prefix=prefix)

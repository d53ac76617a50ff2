"""Delimited text and JSON: columns (or JSON key paths) become `ColumnSample`s with `field` = name."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Any, Iterable, Iterator, Mapping

from connectors.extract.base import Blob, ExtractContext, ReadEvent
from connectors.extract.text import chunk_text, sampled_text
from scanner.errors import ItemError
from scanner.models import ColumnSample, TextSample


def columns_from_rows(
    location: str, header: list[str], rows: Iterable[list[Any]], max_values: int
) -> Iterator[ColumnSample]:
    """Transpose up to `max_values` rows into one ColumnSample per named column (empty cells dropped)."""
    values: dict[int, list[str]] = defaultdict(list)
    for n, row in enumerate(rows):
        if n >= max_values:
            break
        for i, cell in enumerate(row[: len(header)]):
            if cell is not None and str(cell).strip():
                values[i].append(str(cell))
    for i, name in enumerate(header):
        name = str(name).strip() or f"column_{i + 1}"
        if values.get(i):
            yield ColumnSample(location=location, field=name, values=tuple(values[i]))


class DelimitedExtractor:
    media_types = ("text/csv", "text/tab-separated-values")

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        text = sampled_text(blob, ctx)
        try:
            dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel_tab if blob.item.media_type == "text/tab-separated-values" else csv.excel
        reader = csv.reader(io.StringIO(text), dialect)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ItemError("malformed delimited text") from exc
        try:
            yield from columns_from_rows(blob.item.location, header, reader, ctx.limits.values_per_column)
        except csv.Error as exc:
            raise ItemError("malformed delimited text") from exc


def _flatten(value: Any, prefix: str, out: dict[str, list[str]], limit: int) -> None:
    if isinstance(value, Mapping):
        for k, v in value.items():
            _flatten(v, f"{prefix}.{k}" if prefix else str(k), out, limit)
    elif isinstance(value, list):
        for v in value[:limit]:
            _flatten(v, prefix, out, limit)
    elif value is not None and len(out[prefix]) < limit:
        out[prefix].append(str(value))


class JsonExtractor:
    """JSON documents and JSON Lines; every key path is a field, its values a column sample."""

    media_types = ("application/json", "application/x-ndjson")

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        text = sampled_text(blob, ctx)
        limit = ctx.limits.values_per_column
        fields: dict[str, list[str]] = defaultdict(list)
        try:
            docs = [json.loads(text)]
        except json.JSONDecodeError:
            docs = []
            for line in text.splitlines():
                line = line.strip()
                if not line:
                    continue
                try:
                    docs.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a line cut by sampling, or junk between records
            if not docs:
                # not JSON after all: still look at the text
                yield from chunk_text(text, blob.item.location, None, ctx.limits)
                return
        for doc in docs:
            _flatten(doc, "", fields, limit)
        for name, values in fields.items():
            long_text = [v for v in values if len(v) > 200]
            if long_text and len(long_text) * 2 > len(values):
                yield TextSample(location=blob.item.location, field=name or None, text="\n".join(values))
            else:
                yield ColumnSample(location=blob.item.location, field=name or "$", values=tuple(values))

"""Delimited text and JSON: columns (or JSON key paths) become `ColumnSample`s with `field` = name."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from itertools import islice
from typing import Any, Iterator, Mapping

from connectors.extract.base import Blob, ExtractContext, ReadEvent
from connectors.extract.samples import HEADER_SEARCH_ROWS, column_sample, table_samples
from connectors.extract.text import chunk_text, sampled_text
from scanner.errors import ItemError


class DelimitedExtractor:
    """CSV/TSV: the dialect is sniffed, the header row found (`samples.find_header`), not assumed."""

    media_types = ("text/csv", "text/tab-separated-values")

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        text = sampled_text(blob, ctx)
        try:
            dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel_tab if blob.item.media_type == "text/tab-separated-values" else csv.excel
        limit = ctx.limits.values_per_column
        try:
            rows = list(islice(csv.reader(io.StringIO(text), dialect), limit + HEADER_SEARCH_ROWS * 2))
        except csv.Error as exc:
            raise ItemError("malformed delimited text") from exc
        yield from table_samples(blob.item.location, rows, max_rows=limit)


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
        if len(docs) == 1 and _is_row_array(docs[0]):
            yield from table_samples(blob.item.location, docs[0][: limit + HEADER_SEARCH_ROWS * 2], max_rows=limit)
            return
        for doc in docs:
            _flatten(doc, "", fields, limit)
        for position, (name, values) in enumerate(fields.items(), start=1):
            yield column_sample(blob.item.location, name or "$", values, position=position)


def _is_row_array(doc: Any) -> bool:
    """A JSON array of arrays of scalars is a table (`[["name", "email"], ["…", "…"]]`)."""
    return isinstance(doc, list) and bool(doc) and all(
        isinstance(row, list) and all(not isinstance(c, (list, dict)) for c in row) for row in doc[:50])

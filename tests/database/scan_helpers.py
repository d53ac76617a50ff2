"""Small helpers shared by the database tests: run a connector or an extractor, reduce to verdicts."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Iterable, Mapping

from connectors.base import open_connector
from connectors.extract import Blob, ExtractContext, extract
from scanner.config import make_source
from scanner.limits import Limits
from scanner.models import ColumnSample, Item, ItemOutcome, Sample, TextSample


def scan_uri(uri: str, limits: Limits | None = None, options: Mapping[str, object] | None = None,
             region: str | None = None):
    """(items, samples, outcomes) of a whole database source."""
    connector = open_connector(make_source(uri, options=dict(options or {}), region=region), limits or Limits())
    try:
        items = list(connector.items())
        samples: list[Sample] = []
        outcomes: list[ItemOutcome] = []
        for item in items:
            for event in connector.read(item):
                (outcomes if isinstance(event, ItemOutcome) else samples).append(event)
        return items, samples, outcomes
    finally:
        connector.close()


def extract_file(path: Path, limits: Limits | None = None, location: str | None = None):
    """(samples, outcomes) of one file through the shared extraction layer, as a file connector would."""
    location = location or path.resolve().as_uri()
    item = Item(source=str(path), location=location, kind="file", size_bytes=path.stat().st_size,
                meta={"path": str(path)} if location.startswith("file://") else {})
    samples: list[Sample] = []
    outcomes: list[ItemOutcome] = []
    for event in extract(Blob(item, lambda: open(path, "rb")), ExtractContext.start(limits or Limits())):
        (outcomes if isinstance(event, ItemOutcome) else samples).append(event)
    return samples, outcomes


def table_of(location: str) -> str:
    """`.../schema.table` -> `table`."""
    return location.rsplit("/", 1)[-1].split(".", 1)[-1]


def verdicts(samples: Iterable[Sample], detector) -> dict[str, frozenset[str]]:
    """`table.column` -> entities the detector reports for that column."""
    found: dict[str, set[str]] = defaultdict(set)
    samples = list(samples)
    for s in samples:
        found[f"{table_of(s.location)}.{s.field}"]  # every column present, even without findings
    for finding in detector.detect(samples, "test"):
        found[f"{table_of(finding.location)}.{finding.field}"].add(finding.entity)
    return {k: frozenset(v) for k, v in found.items()}


def columns_by_table(samples: Iterable[Sample]) -> dict[str, dict[str, tuple[str, ...]]]:
    out: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for s in samples:
        values = s.values if isinstance(s, ColumnSample) else tuple(s.text.split("\n"))
        out[table_of(s.location)][s.field] = values
    return out


def sample_kinds(samples: Iterable[Sample]) -> set[type]:
    return {type(s) for s in samples if isinstance(s, (ColumnSample, TextSample))}

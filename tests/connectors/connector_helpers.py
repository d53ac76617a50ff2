"""Small helpers for connector tests: run a connector over a source and collect rows and samples."""

from __future__ import annotations

from dataclasses import dataclass, field

from connectors.base import open_connector
from scanner.config import make_source
from scanner.errors import ItemError
from scanner.limits import Limits
from scanner.models import ColumnSample, ItemOutcome, SourceSpec, Status, TextSample


@dataclass
class ScanRecord:
    """What one connector pass produced: inventory rows by location, samples, item metadata."""

    rows: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # location -> (status, reason)
    outcomes: dict[str, ItemOutcome] = field(default_factory=dict)
    samples: list = field(default_factory=list)
    items: dict = field(default_factory=dict)

    def status(self, suffix: str) -> tuple[str, str | None]:
        hits = [loc for loc in self.rows if loc.endswith(suffix) and ("!" in suffix) == ("!" in loc)]
        assert len(hits) == 1, (suffix, sorted(self.rows))
        return self.rows[hits[0]]

    def texts(self, suffix: str) -> str:
        return "\n".join(s.text for s in self.samples if isinstance(s, TextSample) and s.location.endswith(suffix))

    def columns(self, suffix: str) -> dict[str, tuple[str, ...]]:
        return {s.field: s.values for s in self.samples if isinstance(s, ColumnSample) and s.location.endswith(suffix)}


def scan(source: str | SourceSpec, limits: Limits | None = None, **options) -> ScanRecord:
    """items() then read() each item, the way the pipeline does, recording every inventory row."""
    spec = source if isinstance(source, SourceSpec) else make_source(source, options=options)
    connector = open_connector(spec, limits or Limits(isolate_parsers=False))
    record = ScanRecord()
    try:
        for item in connector.items():
            record.items[item.location] = item
            row: tuple[str, str | None] = (Status.SCANNED.value, None)
            try:
                for event in connector.read(item):
                    if isinstance(event, ItemOutcome):
                        if event.item.location == item.location:
                            row = (event.status.value, event.reason)
                        else:
                            record.rows[event.item.location] = (event.status.value, event.reason)
                        record.outcomes[event.item.location] = event
                    else:
                        record.samples.append(event)
            except ItemError as exc:
                row = ((Status.SKIPPED if exc.skip else Status.ERROR).value, exc.reason)
            record.rows[item.location] = row
    finally:
        connector.close()
    return record

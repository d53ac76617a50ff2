"""Reporters: extra views of a finished scan, discovered through the `policyscan.reporters` entry points.

The Parquet files and scan.json are the scan's record and are always written by `reports.outputs`;
a reporter turns that record into another view (the built-in one is report.html). Contract:

- `write(out_dir, doc, tables)` reads only `doc` (the scan.json document) and `tables` (the five
  Arrow tables by name) and returns {file name: path} of what it wrote, atomically.
- It must not write raw values: the record holds none, and a reporter must not fetch any.
- A reporter that raises makes the scan fail (a missing report is not a silent success).
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Mapping, Protocol, runtime_checkable

import pyarrow as pa

ENTRY_POINT_GROUP = "policyscan.reporters"
log = logging.getLogger(__name__)


@runtime_checkable
class Reporter(Protocol):
    name: str

    def write(self, out_dir: Path, doc: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> dict[str, Path]: ...


def load_reporters() -> list[Reporter]:
    """Every registered reporter, by entry-point name; the built-in HTML reporter if none is registered."""
    found = [ep.load()() for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)]
    if not found:
        from reports.html import HtmlReporter

        log.warning("no reporters registered under %s; using the built-in HTML reporter", ENTRY_POINT_GROUP)
        found = [HtmlReporter()]
    return found


def run_reporters(out_dir: Path, doc: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> dict[str, Path]:
    paths: dict[str, Path] = {}
    for reporter in load_reporters():
        paths.update(reporter.write(out_dir, doc, tables))
    return paths

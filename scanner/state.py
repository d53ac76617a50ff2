"""Embedded scan state (SQLite): what makes rescans incremental and killed scans resumable.

One row per top-level item: its version (mtime+size, etag, DDL hash…) and its complete `ItemResult`
(JSON, never pickle). Each result is committed as it arrives (WAL mode), so after `kill -9` the next run
with the same state file re-uses every committed item and scans only the rest:

* the last run did not finish -> the new run *continues* it: committed items keep their status;
* the last run finished -> a new run: items whose version is unchanged are carried over as `unchanged`;
* `full=True` -> a new run that ignores what is stored.

The state file holds fingerprints and masked examples only, like every other output.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from scanner import codec
from scanner.models import Item, ItemResult, Status

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
  run_id INTEGER PRIMARY KEY AUTOINCREMENT,
  started TEXT NOT NULL,
  finished TEXT,
  config_digest TEXT
);
CREATE TABLE IF NOT EXISTS items (
  location TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  version TEXT,
  run_id INTEGER NOT NULL,
  result TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_run ON items(run_id);
"""


class ScanState:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self.run_id: int | None = None
        self.resumed = False

    def begin(self, config_digest: str, *, full: bool = False) -> int:
        """Start a run, or continue the last one if it never finished (and `full` is not asked)."""
        row = self.db.execute("SELECT run_id, finished FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()
        if row is not None and row[1] is None and not full:
            self.run_id, self.resumed = int(row[0]), True
            return self.run_id
        now = datetime.now(timezone.utc).isoformat()
        cur = self.db.execute("INSERT INTO runs(started, config_digest) VALUES (?, ?)", (now, config_digest))
        self.run_id = int(cur.lastrowid)
        if full:
            self.db.execute("DELETE FROM items")
        return self.run_id

    def reuse(self, item: Item) -> ItemResult | None:
        """The stored result for an item if its version is unchanged, marked `unchanged` across runs."""
        if item.version is None:
            return None
        row = self.db.execute(
            "SELECT version, run_id, result FROM items WHERE location = ?", (item.location,)
        ).fetchone()
        if row is None or row[0] != item.version:
            return None
        result = codec.loads(row[2])
        if row[1] == self.run_id:
            return result  # committed earlier in this (resumed) run: keep as it was
        first = result.outcomes[0]
        if first.status is Status.ERROR:
            return None  # errors are retried on every run
        carried = replace(first, status=Status.UNCHANGED)
        result = ItemResult(outcomes=(carried, *result.outcomes[1:]), findings=result.findings)
        self.record(item, result)
        return result

    def record(self, item: Item, result: ItemResult) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO items(location, source, version, run_id, result) VALUES (?, ?, ?, ?, ?)",
            (item.location, item.source, item.version, self.run_id, codec.dumps(result)),
        )

    def results(self) -> Iterator[ItemResult]:
        """Every result of the current run, in location order (deterministic outputs)."""
        for (text,) in self.db.execute(
            "SELECT result FROM items WHERE run_id = ? ORDER BY location", (self.run_id,)
        ):
            yield codec.loads(text)

    def finish(self) -> None:
        """Mark the run complete and forget items no longer present in the sources."""
        self.db.execute("DELETE FROM items WHERE run_id != ?", (self.run_id,))
        self.db.execute(
            "UPDATE runs SET finished = ? WHERE run_id = ?", (datetime.now(timezone.utc).isoformat(), self.run_id)
        )

    def close(self) -> None:
        self.db.close()

"""Embedded scan state (SQLite): what makes rescans incremental and killed scans resumable.

One row per top-level item: its version (mtime+size, etag, DDL hash…), the run that last saw it, how it
changed since the previous finished run (`new`, `changed`, `unchanged`) and its complete `ItemResult`
(JSON, never pickle). The primary key is the item's location, so an item can never be stored twice and
its findings never duplicated, however often a run is killed and resumed.

Runs:

* the last run did not finish (killed, Ctrl-C, `--max-items`) -> the next run *continues* it: items
  committed by it are kept as they are and only the rest is scanned;
* the last run finished -> a new run: items whose version is unchanged are carried over (`unchanged`,
  findings kept) with one UPDATE per listed batch, without decoding or rewriting their result;
* `full=True`, or detection settings/limits/tool version differ from the last run (`reuse_key`) -> a new
  run that rescans everything (old rows stay until the run finishes, so the change column still says
  what changed).

Durability: WAL journal; results are committed in small transactions (at most `commit_rows` rows or
`commit_seconds` apart). A `kill -9` loses at most the uncommitted tail, which the next run rescans; a
committed row is never lost (WAL survives process death; `synchronous=NORMAL` only risks the tail on
power loss). One scan at a time per state file: an exclusive `flock` on `PATH.lock`, released by the
kernel even after `kill -9`.

The state file holds fingerprints and masked examples only, like every other output.
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Sequence

from scanner import codec
from scanner.errors import ConfigError
from scanner.models import Item, ItemResult, Status

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
  run_id INTEGER PRIMARY KEY AUTOINCREMENT,
  started TEXT NOT NULL,
  finished TEXT,
  config_digest TEXT,
  reuse_key TEXT,
  full INTEGER NOT NULL DEFAULT 0,
  recognizers TEXT,
  removed INTEGER
);
CREATE TABLE IF NOT EXISTS items (
  location TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  version TEXT,
  run_id INTEGER NOT NULL,
  change TEXT NOT NULL DEFAULT 'new',
  status TEXT NOT NULL DEFAULT 'scanned',
  findings INTEGER NOT NULL DEFAULT 0,
  carried INTEGER NOT NULL DEFAULT 0,
  result TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_run ON items(run_id, location);
"""
_ADDED_COLUMNS = {  # columns missing in state files written by 0.1.0's first store
    "runs": {"reuse_key": "TEXT", "full": "INTEGER NOT NULL DEFAULT 0", "recognizers": "TEXT", "removed": "INTEGER"},
    "items": {"change": "TEXT NOT NULL DEFAULT 'new'", "status": "TEXT NOT NULL DEFAULT 'scanned'",
              "findings": "INTEGER NOT NULL DEFAULT 0", "carried": "INTEGER NOT NULL DEFAULT 0"},
}


@dataclass(frozen=True)
class Reused:
    """What the store says about a listed item: skip it (`done`) and how many findings it carries."""

    status: str
    findings: int
    change: str
    this_run: bool = False  # committed earlier in this (resumed) run


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class ScanState:
    """The state of scans into one output folder. Used from one thread (the pipeline's writer)."""

    def __init__(self, path: Path, *, commit_rows: int = 500, commit_seconds: float = 0.5) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = open(f"{self.path}.lock", "a+")  # noqa: SIM115 - held for the store's lifetime
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise ConfigError(f"another scan is using the state file {self.path}") from None
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self.db.execute("CREATE TEMP TABLE listed(location TEXT PRIMARY KEY, version TEXT NOT NULL)")
        self._migrate()
        self.commit_rows, self.commit_seconds = commit_rows, commit_seconds
        self._pending = 0
        self._last_commit = time.monotonic()
        self.run_id: int | None = None
        self.resumed = False
        self.full = False
        self.previous_recognizers: list[str] = []

    def _migrate(self) -> None:
        for table, columns in _ADDED_COLUMNS.items():
            have = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}  # noqa: S608 - fixed names
            for name, decl in columns.items():
                if name not in have:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")  # fixed names, no input

    # -- runs -----------------------------------------------------------------------------------------

    def begin(self, config_digest: str, *, full: bool = False, reuse_key: str = "") -> int:
        """Start a run, or continue the last one if it never finished with the same settings.

        `reuse_key` digests whatever makes stored results comparable (limits, detection settings, tool
        version): a different key forces a complete rescan, and an unfinished run with another key is
        not continued.
        """
        self._flush()
        row = self.db.execute(
            "SELECT run_id, finished, reuse_key, full, recognizers FROM runs ORDER BY run_id DESC LIMIT 1"
        ).fetchone()
        if row is not None and row[4]:
            self.previous_recognizers = list(json.loads(row[4]))
        if row is not None and row[1] is None and not full and (row[2] or "") == reuse_key:
            self.run_id, self.resumed, self.full = int(row[0]), True, bool(row[3])
            return self.run_id
        previous_key = row[2] if row is not None else None
        self.full = full or (previous_key is not None and previous_key != reuse_key)
        cur = self.db.execute(
            "INSERT INTO runs(started, config_digest, reuse_key, full) VALUES (?, ?, ?, ?)",
            (_now(), config_digest, reuse_key, int(self.full)),
        )
        self.run_id = int(cur.lastrowid)
        return self.run_id

    def set_recognizers(self, names: list[str]) -> None:
        self.db.execute("UPDATE runs SET recognizers = ? WHERE run_id = ?", (json.dumps(sorted(names)), self.run_id))

    def removals(self, keep_sources: list[str] | tuple[str, ...] = (), examples: int = 100) -> tuple[int, list[str]]:
        """What `finish` will forget: how many items, and the first `examples` locations (nothing changes)."""
        self._flush()
        gone = "run_id != ? AND source NOT IN (SELECT value FROM json_each(?))"
        params = (self.run_id, json.dumps(list(keep_sources)))
        count = self.db.execute(f"SELECT COUNT(*) FROM items WHERE {gone}", params).fetchone()[0]
        first = [loc for (loc,) in self.db.execute(
            f"SELECT location FROM items WHERE {gone} ORDER BY location LIMIT ?", (*params, examples))]
        return int(count), first

    def finish(self, keep_sources: list[str] | tuple[str, ...] = ()) -> int:
        """Mark the run complete and forget items no longer present in the sources; returns how many.

        Items of `keep_sources` (sources that could not be listed this time) are kept: an unreachable
        share is not an empty one, and its unchanged items are carried over once it is back (`removals`
        says beforehand what will go). Call it only once the outputs are written: a run killed before
        that is continued, not taken as done.
        """
        self._flush()
        gone = "run_id != ? AND source NOT IN (SELECT value FROM json_each(?))"
        params = (self.run_id, json.dumps(list(keep_sources)))
        self.db.execute("BEGIN IMMEDIATE")
        removed = self.db.execute(f"SELECT COUNT(*) FROM items WHERE {gone}", params).fetchone()[0]
        self.db.execute(f"DELETE FROM items WHERE {gone}", params)
        self.db.execute("UPDATE runs SET finished = ?, removed = ? WHERE run_id = ?", (_now(), removed, self.run_id))
        self.db.execute("COMMIT")
        return int(removed)

    # -- items ----------------------------------------------------------------------------------------

    def reuse_many(self, items: Sequence[Item]) -> dict[str, Reused]:
        """Of a batch of listed items, those that need no scan in this run, by location, each marked seen
        with what it carries; the others need a scan.

        Needs no scan: committed earlier in this (resumed) run with the same version, or, outside a full
        rescan, stored by an earlier run with the same version and not as an error (errors are retried).
        The carried-over ones (an incremental rescan's common case) are marked with one UPDATE per batch,
        without reading or decoding their stored results.
        """
        listed = [(i.location, i.version) for i in items if i.version is not None]
        if not listed:
            return {}
        self._begin()
        self.db.execute("DELETE FROM temp.listed")
        self.db.executemany("INSERT OR REPLACE INTO temp.listed(location, version) VALUES (?, ?)", listed)
        found: dict[str, Reused] = {}
        if not self.full:
            for location, status, findings in self.db.execute(
                # IN (…) and CROSS JOIN below: the planner must look items up by location (it has no
                # statistics saying the batch is small and would scan every item per batch)
                "UPDATE items SET run_id = ?, change = ?, carried = 1 WHERE location IN (SELECT location FROM"
                " temp.listed) AND version = (SELECT l.version FROM temp.listed AS l WHERE l.location ="
                " items.location) AND run_id != ? AND status != ? RETURNING location, status, findings",
                (self.run_id, UNCHANGED, self.run_id, Status.ERROR.value),
            ).fetchall():
                found[location] = Reused(status, int(findings), UNCHANGED)
        for location, status, findings, change in self.db.execute(
            "SELECT i.location, i.status, i.findings, i.change FROM temp.listed AS l CROSS JOIN items AS i"
            " ON i.location = l.location AND i.version = l.version WHERE i.run_id = ?", (self.run_id,),
        ).fetchall():
            found.setdefault(location, Reused(status, int(findings), change, this_run=True))
        self._wrote(len(listed))
        return found

    def record(self, item: Item, result: ItemResult) -> str:
        """Store a fresh result for an item (replacing any older one); returns its change since last run."""
        row = self.db.execute("SELECT version, run_id, change FROM items WHERE location = ?", (item.location,)).fetchone()
        if row is None:
            change = NEW
        elif row[1] == self.run_id:  # rescanned within one resumed run: keep what it was relative to the last run
            change = row[2] if row[0] == item.version else (CHANGED if row[2] == UNCHANGED else row[2])
        else:
            change = UNCHANGED if row[0] == item.version else CHANGED
        status = result.outcomes[0].status.value if result.outcomes else Status.SCANNED.value
        self._write(
            "INSERT OR REPLACE INTO items(location, source, version, run_id, change, status, findings, carried,"
            " result) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
            (item.location, item.source, item.version, self.run_id, change, status, len(result.findings),
             codec.dumps(result)),
        )
        return change

    def _write(self, sql: str, params: tuple) -> None:
        self._begin()
        self.db.execute(sql, params)
        self._wrote()

    def _begin(self) -> None:
        if self._pending == 0 and not self.db.in_transaction:
            self.db.execute("BEGIN IMMEDIATE")

    def _wrote(self, rows: int = 1) -> None:
        self._pending += rows
        if self._pending >= self.commit_rows or time.monotonic() - self._last_commit >= self.commit_seconds:
            self._flush()

    def _flush(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self._pending = 0
        self._last_commit = time.monotonic()

    def commit(self) -> None:
        """Make everything recorded so far durable (the pipeline calls it when it stops)."""
        self._flush()

    # -- reading --------------------------------------------------------------------------------------

    def results(self) -> Iterator[ItemResult]:
        """Every result of the current run, in location order (deterministic outputs).

        Carried-over items come back with status `unchanged` where they were `scanned` (skips and member
        errors keep their status and reason); every outcome's
        `facts.change` says `new`, `changed` or `unchanged` since the previous run.
        """
        self._flush()
        cursor = self.db.execute(
            "SELECT result, change, carried FROM items WHERE run_id = ? ORDER BY location", (self.run_id,)
        )
        for text, change, carried in cursor:
            yield codec.loads(text, change=change, carried=bool(carried))

    def change_counts(self) -> dict[str, int]:
        self._flush()
        counts = {NEW: 0, CHANGED: 0, UNCHANGED: 0}
        for change, n in self.db.execute("SELECT change, COUNT(*) FROM items WHERE run_id = ? GROUP BY change",
                                         (self.run_id,)):
            counts[change] = int(n)
        return counts

    def locations(self, change: str, limit: int = 100) -> list[str]:
        """The first `limit` locations of this run with a given change (`new`, `changed`), for scan.json."""
        self._flush()
        return [loc for (loc,) in self.db.execute(
            "SELECT location FROM items WHERE run_id = ? AND change = ? ORDER BY location LIMIT ?",
            (self.run_id, change, limit))]

    def close(self) -> None:
        try:
            self._flush()
            self.db.close()
        finally:
            self._lock.close()

    def __enter__(self) -> "ScanState":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


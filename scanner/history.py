"""The history of finished scans, kept in the state store: one row per run with its gaps by severity.

It feeds the report's "Since the last scan" chart. The table lives in the state file next to the items
(one file holds everything a rescan needs); rows are written once a scan's outputs are written and
before the run is marked finished, so an interrupted scan adds no row.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Mapping

SEVERITIES = ("high", "medium", "low", "info")
KEEP = 60  # rows shown (the newest); older rows stay in the file
_SCHEMA = ("CREATE TABLE IF NOT EXISTS history (run_id INTEGER PRIMARY KEY, finished_at TEXT, high INTEGER,"
           " medium INTEGER, low INTEGER, info INTEGER, open INTEGER)")


def read(db: sqlite3.Connection, before_run: int | None = None) -> list[dict[str, Any]]:
    """The newest `KEEP` rows of earlier runs, oldest first."""
    db.execute(_SCHEMA)
    rows = db.execute("SELECT run_id, finished_at, high, medium, low, info, open FROM history WHERE run_id < ?"
                      " ORDER BY run_id DESC LIMIT ?", (before_run if before_run is not None else 2**62, KEEP))
    names = ("run_id", "finished_at", *SEVERITIES, "open")
    return [dict(zip(names, r)) for r in reversed(rows.fetchall())]


def record(db: sqlite3.Connection, run_id: int, row: Mapping[str, Any]) -> None:
    db.execute(_SCHEMA)
    db.execute("INSERT OR REPLACE INTO history(run_id, finished_at, high, medium, low, info, open)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)",
               (run_id, row.get("finished_at"), *(int(row.get(s) or 0) for s in SEVERITIES), row.get("open")))


def row_of(summary: Any, finished_at: str | None) -> dict[str, Any]:
    """A history row from a `reports.ReportSummary`: current gaps by severity, and how many still count."""
    row: dict[str, Any] = {"finished_at": finished_at, **{s: 0 for s in SEVERITIES}}
    for gap in summary.gaps:
        row[gap.severity.value] += 1
    row["open"] = len(summary.open_gaps) if summary.open_gaps is not None else len(summary.gaps)
    return row

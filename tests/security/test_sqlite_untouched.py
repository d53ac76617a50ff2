"""Issue 10 item 4: scanning SQLite files (on a share, or as `sqlite:///` sources) leaves the folder exactly
as it was: same names, sizes and mtimes, no `-wal`/`-shm` created, and committed WAL rows still seen."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.connectors.connector_helpers import scan

WAL_ONLY = "wal.only.person@example.lu"  # committed, not yet checkpointed into the main file
CHECKPOINTED = "main.file.person@example.lu"


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """name -> (size, mtime_ns) of every entry, and the folder itself under '.'."""
    out = {".": (0, os.stat(folder).st_mtime_ns)}
    for entry in os.scandir(folder):
        st = entry.stat(follow_symlinks=False)
        out[entry.name] = (st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture()
def databases(tmp_path):
    """closed.db: WAL mode, closed cleanly (no side files). live.db: WAL mode, its writer still open with a
    committed row only in live.db-wal (the application is running)."""
    folder = tmp_path / "share"
    folder.mkdir()
    closed = sqlite3.connect(folder / "closed.db")
    closed.execute("PRAGMA journal_mode=WAL")
    closed.execute("CREATE TABLE contacts (email TEXT)")
    closed.executemany("INSERT INTO contacts VALUES (?)", [(CHECKPOINTED,)] * 5)
    closed.commit()
    closed.close()
    live = sqlite3.connect(folder / "live.db")
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("PRAGMA wal_autocheckpoint=0")
    live.execute("CREATE TABLE contacts (email TEXT)")
    live.executemany("INSERT INTO contacts VALUES (?)", [(WAL_ONLY,)] * 5)
    live.commit()
    assert (folder / "live.db-wal").stat().st_size > 0 and not (folder / "closed.db-wal").exists()
    yield folder
    live.close()


def _values(record) -> str:
    return "\n".join(v for s in record.samples for v in getattr(s, "values", ()))


def test_sqlite_files_on_a_share_are_read_from_a_private_copy(databases):
    before = _snapshot(databases)
    record = scan(str(databases))
    assert _snapshot(databases) == before
    assert record.status("/closed.db/main.contacts")[0] == "scanned"
    assert record.status("/live.db/main.contacts")[0] == "scanned"
    values = _values(record)
    assert CHECKPOINTED in values and WAL_ONLY in values  # the copied -wal was read


@pytest.mark.parametrize("name,expected", [("closed.db", CHECKPOINTED), ("live.db", WAL_ONLY)])
def test_sqlite_url_sources_leave_the_folder_untouched(databases, name, expected):
    before = _snapshot(databases)
    record = scan(f"sqlite:///{databases / name}")
    assert _snapshot(databases) == before
    assert expected in _values(record)

"""Sampling and the read-only guarantee: globs, per-folder and per-source caps, size and type skips, byte
budgets, all deterministic with `limits.seed`; scanning never writes and leaves access times alone."""

from __future__ import annotations

import io
import os
import time

import pytest

from connector_helpers import scan
from connectors.extract import ExtractContext
from connectors.extract.text import read_sampled
from connectors.filesystem import glob_selected
from scanner.limits import Limits


@pytest.mark.parametrize("path,include,exclude,expected", [
    ("hr/cv.docx", (), (), True),
    ("hr/cv.docx", ("*.docx",), (), True),               # include by file name
    ("hr/cv.docx", ("hr/*",), (), True),                 # include by relative path
    ("hr/cv.docx", ("*.pdf",), (), False),               # not included
    ("hr/cv.docx", (), ("hr/*",), False),                # excluded folder
    ("hr/sub/cv.docx", (), ("hr/*",), False),            # `*` crosses folders
    ("logs/app.log", ("*.log",), ("logs/*",), False),    # exclude wins over include
])
def test_glob_selection(path, include, exclude, expected):
    assert glob_selected(path, include, exclude) is expected


def _tree(root, folders=2, per_folder=10):
    for f in range(folders):
        (root / f"d{f}").mkdir()
        for n in range(per_folder):
            (root / f"d{f}" / f"f{n:02d}.txt").write_text(f"file {f}/{n}\n")


def _scanned(rec) -> list[str]:
    return sorted(loc.split("/", 3)[-1] for loc, (status, _r) in rec.rows.items() if status == "scanned")


def test_files_per_folder_is_a_seeded_choice(tmp_path):
    _tree(tmp_path)
    first = scan(str(tmp_path), Limits(files_per_folder=3, seed=1))
    again = scan(str(tmp_path), Limits(files_per_folder=3, seed=1))
    other = scan(str(tmp_path), Limits(files_per_folder=3, seed=2))
    assert _scanned(first) == _scanned(again) and len(_scanned(first)) == 6
    assert _scanned(first) != _scanned(other)
    skipped = [r for r in first.rows.values() if r[0] == "skipped"]
    assert len(skipped) == 14 and "files_per_folder (3)" in skipped[0][1]


def test_files_per_source_stops_the_listing(tmp_path):
    _tree(tmp_path, folders=3, per_folder=5)
    rec = scan(str(tmp_path), Limits(files_per_source=7))
    assert len(_scanned(rec)) == 7
    stop = [r for r in rec.rows.values() if r[0] == "skipped"]
    assert len(stop) == 1 and "files_per_source limit (7) reached" in stop[0][1]


def test_size_and_media_type_skips(tmp_path):
    (tmp_path / "big.txt").write_text("x" * 5000)
    (tmp_path / "small.txt").write_text("hello")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    rec = scan(str(tmp_path), Limits(max_file_bytes=1000))
    assert rec.status("big.txt") == ("skipped", "file larger than max_file_bytes (1000 bytes)")
    assert rec.status("small.txt")[0] == "scanned"
    assert rec.status("photo.png") == ("skipped", "media type image/png skipped by configuration")


def test_byte_budget_head_and_seeded_windows():
    data = b"".join(f"line {n:07d}\n".encode() for n in range(200_000))  # 2.6 MB
    limits = Limits(bytes_per_file=64 * 1024, head_bytes=16 * 1024, window_bytes=4 * 1024, seed=5)
    one = read_sampled(io.BytesIO(data), len(data), limits, "file:///a.log")
    two = read_sampled(io.BytesIO(data), len(data), limits, "file:///a.log")
    other = read_sampled(io.BytesIO(data), len(data), Limits(**{**limits.as_dict(), "seed": 6,
                                                                  "include": (), "exclude": (),
                                                                  "skip_media_types": ()}), "file:///a.log")
    assert one == two and one != other
    assert one.startswith(data[: 16 * 1024]) and len(one) <= 64 * 1024 + 64
    assert b"line 0150000" not in data[: 16 * 1024] and any(
        line.startswith(b"line ") and int(line[5:]) > 100_000 for line in one.splitlines() if len(line) == 12)


def test_scan_never_writes_and_keeps_access_times(tmp_path):
    _tree(tmp_path, folders=1, per_folder=3)
    (tmp_path / "d0" / "data.csv").write_text("name,email\nJo,jo@example.com\n")
    old = time.time() - 86_400 * 30
    before = {}
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file():
            os.utime(path, (old, path.stat().st_mtime))  # atime older than mtime: relatime would update it
            st = path.stat()
            before[path] = (st.st_atime_ns, st.st_mtime_ns, st.st_size)
    rec = scan(str(tmp_path), Limits())
    assert len(_scanned(rec)) == 4
    after = {p: (p.stat().st_atime_ns, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(tmp_path.rglob("*"))
             if p.is_file()}
    assert after == before


def test_item_versions_change_with_content(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    first = scan(str(tmp_path)).items
    time.sleep(0.01)
    (tmp_path / "a.txt").write_text("two!")
    second = scan(str(tmp_path)).items
    assert [i.version for i in first.values()] != [i.version for i in second.values()]


def test_deadline_is_enforced_inside_reads():
    from connectors.extract.streams import BoundedReader, ByteTally
    from scanner.errors import ItemError

    ctx = ExtractContext(Limits(item_seconds=0.0), deadline=time.monotonic() - 1)
    reader = BoundedReader(io.BytesIO(b"x" * 100), ctx, ByteTally(), None)
    with pytest.raises(ItemError, match="time limit"):
        reader.read(10)

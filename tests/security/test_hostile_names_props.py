"""Property test (issue 10, beyond the list): names built from arbitrary Unicode (lone surrogates, control
characters, RTL marks, `<script>`, very long) as file names, archive member names, JSON keys, CSV headers
and SQLite table/column names. The scan exits 0, every output is written and readable, no planted value
appears raw in any output, and report.html stays inert."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tarfile
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.cli import cli

SCRIPT = "<script>alert(1)</script>"
HOSTILE = st.sampled_from([SCRIPT, "\u202eevil\u202c", "\x00\x01\x1b[31m", "\udc80mail", "\ud800", "x" * 300,
                           "a/b\\c", "..", " "])
NAMES = st.lists(st.one_of(HOSTILE, st.text(min_size=1, max_size=40),
                           st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)),
                 min_size=1, max_size=3).map("".join)
PLANTED = "prop.person@example.lu"


def _file_name(name: str) -> str:
    """A name the local file system can hold (no '/', no NUL, bytes via surrogateescape, at most 200 bytes)."""
    cleaned = name.replace("/", "_").replace("\x00", "_").strip() or "empty"
    raw = cleaned.encode("utf-8", "surrogateescape") if _escapable(cleaned) else cleaned.encode("utf-8", "replace")
    return os.fsdecode(raw[:200].rstrip(b"\x80\xbf") or b"x")


def _escapable(text: str) -> bool:
    try:
        text.encode("utf-8", "surrogateescape")
        return True
    except UnicodeEncodeError:
        return False


def _sqlite_name(name: str) -> str:
    return name.encode("utf-8", "replace").decode("utf-8").replace("\x00", "_") or "t"


def _folder(root: Path, names: list[str]) -> Path:
    src = root / "src"
    src.mkdir()
    file_name, key, header, member, table = names
    (src / f"{_file_name(file_name)}.txt").write_bytes(f"write to {PLANTED}\n".encode())
    (src / "data.json").write_text(json.dumps({key: PLANTED}))  # ensure_ascii: surrogates as \u escapes
    (src / "table.csv").write_text("id,h\n" .replace("h", header.replace("\n", " ").replace(",", ";"), 1)
                                   .encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                                   + "".join(f"{i},{PLANTED}\n" for i in range(4)))
    data = f"contact {PLANTED}".encode()
    with tarfile.open(src / "names.tar", "w", format=tarfile.GNU_FORMAT, errors="surrogateescape") as tar:
        info = tarfile.TarInfo(_file_name(member)[:90] or "m")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with sqlite3.connect(src / "names.db") as db:
        db.execute(f'CREATE TABLE "{_sqlite_name(table).replace(chr(34), "")}" '
                   f'("{_sqlite_name(key).replace(chr(34), "") or "c"}" TEXT)')
        db.executemany(f'INSERT INTO "{_sqlite_name(table).replace(chr(34), "")}" VALUES (?)', [(PLANTED,)] * 4)
    db.close()
    return src


@settings(max_examples=3, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(NAMES, min_size=5, max_size=5))
def test_hostile_names_never_break_the_outputs(names):
    with tempfile.TemporaryDirectory(prefix="policyscan-props-") as tmp:
        src = _folder(Path(tmp), names)
        out = Path(tmp) / "out"
        result = CliRunner().invoke(cli, ["scan", str(src), "--out", str(out), "--quiet"])
        assert result.exit_code == 0, (result.output, result.exception)
        texts = [result.output]
        for name in ("findings", "inventory", "categories", "columns", "gaps"):
            texts.append(str(pq.read_table(out / f"{name}.parquet").to_pylist()))
        html = (out / "report.html").read_text(encoding="utf-8")
        texts += [(out / "scan.json").read_text(encoding="utf-8"), html]
        assert all(PLANTED not in t for t in texts)
        assert SCRIPT not in html

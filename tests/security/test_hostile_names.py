"""Issue 10 item 2: a hostile name (a JSON key holding a lone surrogate, a tar member name that is not
UTF-8) never stops the outputs from being written, and a poisoned stored result replayed on a rerun is
written with a replacement and a reason instead of sinking the scan."""

from __future__ import annotations

import io
import sqlite3
import tarfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from scanner.cli import cli

OUTPUTS = ("findings", "inventory", "categories", "columns", "gaps")


def _hostile_folder(root: Path) -> Path:
    src = root / "src"
    src.mkdir()
    (src / "data.json").write_text('{"\\udc80mail": "jane.doe@example.lu", "ok": "x"}')
    data = b"contact john.smith@example.de"
    with tarfile.open(src / "names.tar", "w", format=tarfile.GNU_FORMAT) as tar:
        info = tarfile.TarInfo("caf\udce9.txt")  # the byte 0xE9 (latin-1), not valid UTF-8
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    (src / "plain.txt").write_text("Write to max.muster@example.fr\n")
    return src


def _scan(src: Path, out: Path) -> None:
    result = CliRunner().invoke(cli, ["scan", str(src), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output


def _rows(out: Path, name: str) -> list[dict]:
    return pq.read_table(out / f"{name}.parquet").to_pylist()


def test_hostile_names_are_percent_encoded_and_every_output_is_written(tmp_path):
    src, out = _hostile_folder(tmp_path), tmp_path / "out"
    _scan(src, out)
    for name in OUTPUTS:
        _rows(out, name)
    assert (out / "report.html").read_text(encoding="utf-8")
    findings = {(r["location"].rsplit("/", 1)[-1], r["field"], r["entity"]) for r in _rows(out, "findings")}
    assert ("data.json", "%80mail", "EMAIL_ADDRESS") in findings
    assert ("names.tar!caf%E9.txt", None, "EMAIL_ADDRESS") in findings
    assert ("plain.txt", None, "EMAIL_ADDRESS") in findings


def test_a_poisoned_stored_result_is_replayed_with_a_replacement_and_a_reason(tmp_path):
    src, out = _hostile_folder(tmp_path), tmp_path / "out"
    _scan(src, out)
    # a result stored by an older version, before names were cleaned: the lone surrogate is back
    with sqlite3.connect(out / "state.sqlite") as db:
        (count,) = db.execute("SELECT COUNT(*) FROM items WHERE result LIKE '%\\%80mail%' ESCAPE '\\'").fetchone()
        assert count == 1
        db.execute("UPDATE items SET result = replace(result, '%80mail', '\\udc80mail')")
    _scan(src, out)  # unchanged items are carried over: the stored result is replayed
    rows = [r for r in _rows(out, "findings") if r["location"].endswith("data.json")]
    assert [r["field"] for r in rows] == ["%80mail"]
    assert "not valid UTF-8" in rows[0]["explanation"]
    others = [r for r in _rows(out, "findings") if not r["location"].endswith("data.json")]
    assert len(others) == 2 and all("not valid UTF-8" not in (r["explanation"] or "") for r in others)


@pytest.mark.parametrize("bad", ["\udc80", "x\ud800y", "\udfff" * 3])
def test_one_unwritable_inventory_row_keeps_the_rest(bad):
    from reports.schema import INVENTORY, table_of

    good = {"source": "s", "location": "file:///ok.txt", "status": "scanned", "reason": None}
    table = table_of(INVENTORY, [good, {**good, "location": f"file:///{bad}.txt"}])
    rows = table.to_pylist()
    assert rows[0]["location"] == "file:///ok.txt" and rows[0]["reason"] is None
    assert "%" in rows[1]["location"] and "not valid UTF-8" in rows[1]["reason"]

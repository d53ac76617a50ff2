"""Issue 10 "Done when": one folder holding every hostile case of the issue, plus ordinary files with known
synthetic personal data. The scan exits 0, writes every output, keeps the ordinary files' findings, and no
planted raw value appears in any output, the state store or the log."""

from __future__ import annotations

import io
import shutil
import sqlite3
import tarfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from faker import Faker

from scanner.cli import cli

from test_xml_partial import BOMB as XML_BOMB

OUTPUTS = ("findings", "inventory", "categories", "columns", "gaps")


@pytest.fixture(scope="module")
def planted():
    fake = Faker(["fr_FR", "de_DE"])
    fake.seed_instance(20261205)
    return {name: fake.unique.free_email() for name in (
        "ordinary", "ordinary_csv", "json_key", "tar_member", "wal", "regex_bomb", "outside", "headerless")}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, seven_zip_bomb, planted):
    root = tmp_path_factory.mktemp("hostile")
    src = root / "share"
    src.mkdir()
    (src / "ordinary.txt").write_text(f"Please write to {planted['ordinary']} about the contract.\n")
    (src / "ordinary.csv").write_text("name,email\n" + "".join(f"Person {i},{planted['ordinary_csv']}\n"
                                                                 for i in range(5)))
    (src / "surrogate.json").write_text('{"\\udc80mail": "%s"}' % planted["json_key"])
    data = f"contact {planted['tar_member']}".encode()
    with tarfile.open(src / "names.tar", "w", format=tarfile.GNU_FORMAT) as tar:
        info = tarfile.TarInfo("caf\udce9.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    shutil.copy(seven_zip_bomb / "bomb.7z", src / "bomb.7z")
    (src / "regex-bomb.txt").write_text("a." * 30_000 + f" {planted['regex_bomb']} " + "-" * 20_000)
    (src / "entity-bomb.xml").write_text(XML_BOMB)
    (src / "headerless.csv").write_text("".join(f"{planted['headerless']},+352 621 123 456\n" for _ in range(6)))
    outside = root / "outside"
    outside.mkdir()
    (outside / "shadow.txt").write_text(f"root:{planted['outside']}\n")
    (src / "escape.txt").symlink_to(outside / "shadow.txt")
    live = sqlite3.connect(src / "live.db")
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("PRAGMA wal_autocheckpoint=0")
    live.execute("CREATE TABLE contacts (email TEXT)")
    live.executemany("INSERT INTO contacts VALUES (?)", [(planted["wal"],)] * 5)
    live.commit()
    out = root / "out"
    result = CliRunner().invoke(cli, ["scan", str(src), "--out", str(out)])
    live.close()
    return src, out, result


def _everything_written(out: Path, log: str) -> str:
    """Every output as text: Parquet tables row by row, scan.json, report.html, the state store, the log."""
    parts = [log]
    for name in OUTPUTS:
        parts.append(str(pq.read_table(out / f"{name}.parquet").to_pylist()))
    parts.append((out / "scan.json").read_text(encoding="utf-8"))
    parts.append((out / "report.html").read_text(encoding="utf-8"))
    with sqlite3.connect(out / "state.sqlite") as db:
        parts.extend(str(row) for line in db.iterdump() for row in [line])
    for path in out.rglob("*.log"):
        parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


def test_the_hostile_folder_scan_exits_0_and_writes_every_output(hostile):
    _src, out, result = hostile
    assert result.exit_code == 0, result.output
    for name in OUTPUTS:
        assert (out / f"{name}.parquet").exists()
    assert (out / "scan.json").exists() and (out / "report.html").exists()


def test_the_ordinary_files_keep_their_findings(hostile):
    _src, out, _result = hostile
    found = {(r["location"].rsplit("/", 1)[-1], r["entity"]) for r in pq.read_table(out / "findings.parquet").to_pylist()}
    assert ("ordinary.txt", "EMAIL_ADDRESS") in found
    assert ("ordinary.csv", "EMAIL_ADDRESS") in found
    assert ("regex-bomb.txt", "EMAIL_ADDRESS") in found


def test_each_hostile_item_gets_its_row(hostile):
    _src, out, _result = hostile
    rows = {r["location"].rsplit("/", 1)[-1]: (r["status"], r["reason"] or "")
            for r in pq.read_table(out / "inventory.parquet").to_pylist()}
    assert rows["escape.txt"][0] == "skipped" and "outside the source root" in rows["escape.txt"][1]
    assert rows["bomb.7z!zeros.txt"][0] == "error" and "bomb" in rows["bomb.7z!zeros.txt"][1]
    assert rows["entity-bomb.xml"][0] == "error" and rows["entity-bomb.xml"][1].startswith("partially read")
    assert "names.tar!caf%E9.txt" in rows and rows["main.contacts"][0] == "scanned"


def test_no_planted_value_appears_raw_anywhere(hostile, planted):
    src, out, result = hostile
    text = _everything_written(out, result.output)
    leaked = sorted(name for name, value in planted.items() if value in text)
    assert leaked == []

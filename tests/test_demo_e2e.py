"""The demo end to end, as `make demo` runs it: five outputs, a gap of every kind, and no raw value leaked.

The no-leak check reads the planted raw values back from the generated estate (CRM database) and looks
for them in every file policyscan wrote: Parquet cell by cell, everything else byte by byte.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from scanner.cli import cli

GAP_KINDS = {
    "undeclared_category", "special_category", "retention_undefined", "security_measure", "transfer",
    "declared_not_found", "minimisation",
}


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert str(out / "report.html") in result.output
    return out


@pytest.mark.slow
def test_demo_writes_five_outputs_with_findings_and_gaps(demo_out: Path) -> None:
    for name in ("findings.parquet", "inventory.parquet", "gaps.parquet", "report.html", "scan.json"):
        assert (demo_out / name).is_file(), name
    assert pq.read_table(demo_out / "findings.parquet").num_rows > 50
    meta = json.loads((demo_out / "scan.json").read_text())
    assert meta["complete"] is True
    assert meta["counts"]["items_by_status"].get("scanned", 0) > 30


@pytest.mark.slow
def test_demo_plants_a_gap_of_every_kind(demo_out: Path) -> None:
    kinds = {g["gap_kind"] for g in pq.read_table(demo_out / "gaps.parquet").to_pylist()}
    assert GAP_KINDS <= kinds, GAP_KINDS - kinds


@pytest.mark.slow
def test_demo_finds_what_the_estate_plants(demo_out: Path) -> None:
    findings = pq.read_table(demo_out / "findings.parquet").to_pylist()
    by_entity: dict[str, list[dict]] = {}
    for f in findings:
        by_entity.setdefault(f["entity"], []).append(f)
    tables = {(f["location"].rsplit("/", 1)[-1], f["field"], f["entity"]) for f in findings}
    assert ("main.app_users", "password", "PASSWORD") in tables  # plaintext passwords, per column
    assert ("main.employees", "matricule", "LU_NATIONAL_ID") in tables
    assert any(t[0] == "main.employees" and t[1] == "salary_monthly_eur" and t[2] == "SALARY" for t in tables)
    assert "HEALTH" in by_entity  # the sick-leave notes
    inventory = pq.read_table(demo_out / "inventory.parquet").to_pylist()
    public = [r for r in inventory if r["location"].endswith("staff-directory.csv")]
    assert public and public[0]["exposure"] == "world_readable"
    members = [r["location"] for r in inventory if "crm-2019.tar.gz!" in r["location"]]
    assert any(loc.endswith("crm.sql") for loc in members), members


def _planted_values(estate: Path) -> set[str]:
    db = sqlite3.connect(f"file:{estate / 'crm.sqlite'}?mode=ro", uri=True)
    values: set[str] = set()
    for sql in (
        "SELECT email, phone, iban FROM customers",
        "SELECT matricule, iban, email FROM employees",
        "SELECT password FROM app_users",
        "SELECT ip_address, cookie_id FROM web_sessions",
    ):
        for row in db.execute(sql):
            values.update(str(v) for v in row if v and len(str(v)) >= 6)
    db.close()
    return values


@pytest.mark.slow
def test_no_raw_value_appears_in_any_output(demo_out: Path) -> None:
    planted = _planted_values(demo_out / "estate")
    assert len(planted) > 100
    leaks: list[str] = []
    for path in sorted(demo_out.iterdir()):
        if path.is_dir():
            continue  # the estate itself
        if path.suffix == ".parquet":
            text = json.dumps(pq.read_table(path).to_pylist(), default=str, ensure_ascii=False)
        else:
            text = path.read_bytes().decode("utf-8", errors="replace")
        leaks += [f"{path.name}: {v[:3]}…" for v in planted if v in text]
    assert leaks == []

"""`policyscan scan <database URL>` end to end: inventory, per-column findings, facts, no secret in any output."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from scanner.cli import cli

pytestmark = [pytest.mark.server, pytest.mark.slow]


@pytest.mark.parametrize("which", ["pg", "my"])
def test_scan_a_live_database_from_the_cli(which, pg_db, my_db, tmp_path):
    db = pg_db if which == "pg" else my_db
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["scan", db.reader_url, "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    inventory = pq.read_table(out / "inventory.parquet").to_pandas()
    tables = inventory[inventory["kind"] == "table"]
    assert set(tables["status"]) == {"scanned"}
    customers = tables[tables["location"].str.endswith(".customers")].iloc[0]
    assert customers["rows_estimate"] == 300 and customers["sampled_rows"] == 200
    assert customers["data_oldest"] is not None and customers["transport_encrypted"] in (False, True)
    findings = pq.read_table(out / "findings.parquet").to_pandas()
    by_column = {(loc.rsplit(".", 1)[1], field): set(group["entity"])
                 for (loc, field), group in findings.groupby(["location", "field"])}
    assert "PASSWORD" in by_column[("app_users", "password")]
    assert "LU_NATIONAL_ID" in by_column[("employees", "matricule")]
    assert "SALARY" in by_column[("employees", "salary")]
    assert "EMAIL_ADDRESS" in by_column[("customers", "email")]
    explanation = findings[(findings["field"] == "password")]["explanation"].iloc[0]
    assert explanation and "password" in explanation.lower()
    for path in out.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            assert db.reader_password.encode() not in blob, path.name
            plain = [r["password"] for r in db.data["app_users"][:50]]
            assert not any(p.encode() in blob for p in plain if len(p) >= 10), f"raw password in {path.name}"

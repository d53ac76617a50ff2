"""docs/outputs.md is true: every column of every schema is documented, and every DuckDB query in it
runs against a real output folder and returns rows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
import report_estate as e

import reports
from reports.schema import SCHEMAS
from scanner.models import SCHEMA_VERSION

DOC = Path(__file__).resolve().parents[2] / "docs" / "outputs.md"
QUERIES = re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    outcomes, findings = e.estate()
    reports.write_scan_outputs(out, outcomes=outcomes, findings=findings, manifest=e.manifest(), sources=e.SOURCES,
                               settings=e.SETTINGS, meta=e.META)
    (out / "previous").mkdir()
    shutil.copy(out / "gaps.parquet", out / "previous" / "gaps.parquet")
    return out


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_every_column_is_documented(table: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"## {table}.parquet", 1)[1].split("\n## ", 1)[0]
    missing = [f.name for f in SCHEMAS[table] if f"`{f.name}`" not in section]
    assert missing == []


def test_documented_schema_version_is_current() -> None:
    assert f"now **{SCHEMA_VERSION}**" in DOC.read_text(encoding="utf-8")


def test_docs_have_queries() -> None:
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("query", QUERIES, ids=[f"q{i}" for i in range(len(QUERIES))])
def test_documented_query_runs_and_returns_rows(query: str, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(out)
    con = duckdb.connect()
    try:
        rows = con.execute(query).fetchall()
    finally:
        con.close()
    assert rows, query

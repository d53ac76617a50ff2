"""Dumps made by pg_dump, mysqldump and sqlite3 give the same per-column verdicts as the live tables."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import MY_HOST, MY_PORT, PG_HOST, PG_PORT, run_tool
from scan_helpers import columns_by_table, extract_file, scan_uri, verdicts
from scanner.limits import Limits
from scanner.models import Status

pytestmark = pytest.mark.server
LIMITS = Limits(rows_per_table=60)  # enough values for a verdict, few enough for a quick detector pass


def _pg_dump(db, out: Path, *extra: str) -> Path:
    return run_tool(["pg_dump", "-h", PG_HOST, "-p", str(PG_PORT), "-U", "postgres", "--no-owner", *extra, db.name],
                    out)


def _mysqldump(db, out: Path) -> Path:
    tool = shutil.which("mariadb-dump") or "mysqldump"
    return run_tool([tool, "-h", MY_HOST, "-P", str(MY_PORT), "-uroot", "--skip-ssl", db.name], out)


@pytest.fixture(scope="module")
def pg_dumps(pg_db, tmp_path_factory):
    d = tmp_path_factory.mktemp("pgdumps")
    return {
        "copy": _pg_dump(pg_db, d / "crm.sql"),
        "inserts": _pg_dump(pg_db, d / "crm_inserts.sql", "--inserts", "--rows-per-insert=50"),
        "custom": _pg_dump(pg_db, d / "crm.dump", "-Fc"),
    }


def _dump_tables(outcomes):
    return {o.item.location.rsplit("/", 1)[-1]: o for o in outcomes if o.item.kind == "dump_table"}


@pytest.mark.parametrize("variant", ["copy", "inserts"])
def test_pg_plain_dumps_list_every_table_with_row_counts(pg_dumps, variant):
    samples, outcomes = extract_file(pg_dumps[variant], LIMITS)
    tables = _dump_tables(outcomes)
    for name in ("customers", "employees", "app_users", "legacy_users", "web_sessions", "orders", "products"):
        out = tables[f"public.{name}"]
        assert out.status is Status.SCANNED and out.facts.rows_estimate == 300 and out.facts.sampled_rows == 60
        assert out.item.location == f"{pg_dumps[variant].resolve().as_uri()}/public.{name}"
        assert out.item.parent == pg_dumps[variant].resolve().as_uri()
    assert "public.recent_customers" not in tables  # a view has no rows in a dump


def test_pg_custom_format_goes_through_pg_restore(pg_dumps):
    from connectors.extract.base import Blob, ExtractContext
    from connectors.extract.sqldump import SqlDumpExtractor
    from scanner.models import Item

    path = pg_dumps["custom"]
    item = Item("t", path.resolve().as_uri(), "file", meta={"path": str(path)})
    events = list(SqlDumpExtractor().extract(Blob(item, lambda: open(path, "rb")), ExtractContext.start(LIMITS)))
    tables = _dump_tables([e for e in events if hasattr(e, "status")])
    assert tables["public.customers"].facts.rows_estimate == 300


def test_pg_custom_format_without_pg_restore_is_skipped_with_reason(pg_dumps, monkeypatch):
    from connectors.extract.base import Blob, ExtractContext
    from connectors.extract.sqldump import SqlDumpExtractor
    from scanner.errors import ItemError
    from scanner.models import Item

    monkeypatch.setenv("PATH", "/nonexistent")
    path = pg_dumps["custom"]
    item = Item("t", path.resolve().as_uri(), "file", meta={"path": str(path)})
    with pytest.raises(ItemError) as err:
        list(SqlDumpExtractor().extract(Blob(item, lambda: open(path, "rb")), ExtractContext.start(LIMITS)))
    assert err.value.skip and "pg_restore is not installed" in err.value.reason


def test_live_and_dump_verdicts_agree_postgres(pg_db, pg_dumps, detector):
    _, live_samples, _ = scan_uri(pg_db.reader_url, LIMITS, options={"include_views": False})
    live = verdicts(live_samples, detector)
    for variant in ("copy", "inserts"):
        dump_samples, _ = extract_file(pg_dumps[variant], LIMITS)
        assert verdicts(dump_samples, detector) == live, variant
    assert "PASSWORD" in live["app_users.password"] and "LU_NATIONAL_ID" in live["employees.matricule"]


def test_live_and_dump_verdicts_agree_mariadb(my_db, tmp_path, detector):
    dump = _mysqldump(my_db, tmp_path / "crm.sql")
    _, live_samples, _ = scan_uri(my_db.reader_url, LIMITS)
    dump_samples, outcomes = extract_file(dump, LIMITS)
    assert {o.item.location.rsplit("/", 1)[-1] for o in outcomes if o.item.kind == "dump_table"} >= {
        f"{my_db.name}.customers", f"{my_db.name}.employees"}
    assert verdicts(dump_samples, detector) == verdicts(live_samples, detector)


def test_live_and_dump_verdicts_agree_sqlite(sqlite_db, tmp_path, detector):
    dump = tmp_path / "crm.sql"
    run_tool(["sqlite3", str(sqlite_db), ".dump"], dump)
    _, live_samples, _ = scan_uri(f"sqlite:///{sqlite_db}", LIMITS)
    dump_samples, _ = extract_file(dump, LIMITS)
    assert verdicts(dump_samples, detector) == verdicts(live_samples, detector)


def test_dump_values_match_the_source_rows(pg_db, pg_dumps):
    samples, _ = extract_file(pg_dumps["copy"], LIMITS)
    cols = columns_by_table(samples)
    emails = {r["email"] for r in pg_db.data["customers"]}
    assert set(cols["customers"]["email"]) <= emails and len(cols["customers"]["email"]) == 60
    matricules = {r["matricule"] for r in pg_db.data["employees"]}
    assert set(cols["employees"]["matricule"]) <= matricules


def test_custom_format_dump_is_recognised_by_content_whatever_its_name(pg_dumps, tmp_path):
    """A `pg_dump -Fc` file named like anything reaches pg_restore through content sniffing."""
    renamed = tmp_path / "nightly-backup.bin"
    shutil.copyfile(pg_dumps["custom"], renamed)
    _, outcomes = extract_file(renamed, LIMITS)
    tables = _dump_tables(outcomes)
    assert tables["public.customers"].status is Status.SCANNED
    assert tables["public.customers"].facts.rows_estimate == 300


def test_dump_in_a_tar_is_read_whole_beyond_the_text_byte_budget(pg_dumps, tmp_path):
    """Dumps are whole-file formats inside archives too: a per-file text budget must not cut the last tables."""
    import tarfile

    archive = tmp_path / "backup.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(pg_dumps["copy"], arcname="db/crm.sql")
    size = pg_dumps["copy"].stat().st_size
    small_budget = Limits(rows_per_table=60, bytes_per_file=max(1024, size // 4), head_bytes=max(512, size // 8))
    _, outcomes = extract_file(archive, small_budget)
    tables = _dump_tables(outcomes)
    assert {o.status for o in tables.values()} == {Status.SCANNED}, {k: o.reason for k, o in tables.items()}
    assert tables["public.web_sessions"].facts.rows_estimate == 300

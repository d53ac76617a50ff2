"""Through the real CLI: a backup's member is found with its provenance and a world-readable file with its exposure."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from format_corpus import people

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cli_scan(tmp_path_factory):
    from scanner.cli import cli

    root = tmp_path_factory.mktemp("share")
    rows = people(8, seed=11)
    csv_text = "name,email\n" + "".join(f"{r['name']},{r['email']}\n" for r in rows)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        info = tarfile.TarInfo("home/hr/people.csv")
        info.size = len(csv_text)
        tf.addfile(info, io.BytesIO(csv_text.encode()))
    (root / "backup.tar.gz").write_bytes(buf.getvalue())
    (root / "public.csv").write_text(csv_text)
    (root / "public.csv").chmod(0o644)
    (root / "private.csv").write_text(csv_text)
    (root / "private.csv").chmod(0o600)
    out = tmp_path_factory.mktemp("out")
    policy = ROOT / "scanner" / "demo" / "privacy-policy.md"
    result = CliRunner().invoke(cli, ["scan", str(root), "--out", str(out), "--policy", str(policy),
                                      "--workers", "1", "--quiet"])
    return root, out, result


def test_backup_member_has_provenance_and_findings(cli_scan):
    _root, out, result = cli_scan
    assert result.exit_code in (0, 1), result.output
    inventory = pq.read_table(out / "inventory.parquet").to_pylist()
    member = next(r for r in inventory if r["location"].endswith("backup.tar.gz!home/hr/people.csv"))
    assert member["kind"] == "member" and member["parent"].endswith("backup.tar.gz") and member["status"] == "scanned"
    findings = pq.read_table(out / "findings.parquet").to_pylist()
    assert any(f["location"].endswith("backup.tar.gz!home/hr/people.csv") and f["entity"] == "EMAIL_ADDRESS"
               for f in findings)


def test_world_readable_file_carries_its_exposure(cli_scan):
    _root, out, _result = cli_scan
    rows = {r["location"].rsplit("/", 1)[-1]: r for r in pq.read_table(out / "inventory.parquet").to_pylist()
            if "!" not in r["location"]}
    assert rows["public.csv"]["exposure"] == "world_readable"
    assert rows["private.csv"]["exposure"] is None
    assert rows["public.csv"]["owner"] == "root"

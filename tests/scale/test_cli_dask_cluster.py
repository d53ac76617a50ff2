"""Issue 15 part 6: a real Dask cluster started from the command line (`dask scheduler`, two `dask worker`
processes, TLS with certificate files made here, loopback), scanned with `policyscan scan --engine dask
--scheduler tls://…`: the same findings and inventory as the local engine, also when one worker is
killed mid-scan (no item lost or duplicated), and the database password in a source URL never appears
in a task the scheduler holds (it reaches workers only through the worker plugin).

Every process gets `PYTHONHASHSEED=6640`, the seed Dask's nanny gives its workers: a few of the real
detector's NER counts depend on the hash seed (docs/distributed.md), which is not what this test is about.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path
from typing import Iterator

import pyarrow.parquet as pq
import pytest
import yaml
from faker import Faker
from sqlalchemy import create_engine, text

from bench.cluster.cli_cluster import BIN, CliCluster, client_tls_env, tls_files
from bench.scale.run import committed
from scale_helpers import make_estate

pytestmark = [pytest.mark.slow, pytest.mark.server]

REPO = Path(__file__).resolve().parents[2]
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = f"Cluster-{uuid.uuid4().hex[:16]}"


def cluster_env(tls: dict[str, Path], tmp: Path) -> dict[str, str]:
    """What every process of the test gets: the package and tests on the path, a fixed fingerprint key and
    hash seed, and Dask's client-side TLS settings (the way docs/distributed.md tells users to set them)."""
    return {**os.environ, "PYTHONPATH": f"{REPO}:{REPO / 'tests' / 'scale'}", "PYTHONHASHSEED": "6640",
            "POLICYSCAN_HMAC_KEY": "cluster-test-key-of-at-least-32-bytes", "POLICYSCAN_HOME": str(tmp / "home"),
            "CLUSTER_DB_PASSWORD": PASSWORD, "POLICYSCAN_PAYLOAD_DUMP": str(tmp / "payloads.bin"),
            **client_tls_env(tls)}


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A PostgreSQL database of synthetic customers, read by a login whose password is PASSWORD."""
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    suffix = uuid.uuid4().hex[:8]
    name, role = f"ps_cluster_{suffix}", f"ps_cluster_reader_{suffix}"
    quoted = PASSWORD.replace("'", "''")
    fake = Faker()
    fake.seed_instance(15)
    rows = [{"i": i, "n": fake.name(), "e": fake.email(), "p": fake.phone_number()} for i in range(200)]
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        conn.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{quoted}'"))
    db = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", isolation_level="AUTOCOMMIT")
    try:
        with db.connect() as conn:
            conn.execute(text("CREATE TABLE customers (id int primary key, full_name text, email text, phone text)"))
            conn.execute(text("INSERT INTO customers VALUES (:i, :n, :e, :p)"), rows)
            conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"'))
        db.dispose()
        yield f"postgresql://{role}:${{CLUSTER_DB_PASSWORD}}@127.0.0.1:5432/{name}"
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


def outputs(out: Path) -> tuple[list[tuple], list[tuple]]:
    """Findings and inventory rows as sorted lists (duplicates stay visible)."""
    findings = sorted((r["location"], r["field"] or "", r["entity"], r["count"], r["distinct_count"], r["fingerprint"])
                      for r in pq.read_table(out / "findings.parquet").to_pylist())
    items = sorted((r["location"], r["status"], r["reason"] or "")
                   for r in pq.read_table(out / "inventory.parquet").to_pylist())
    return findings, items


def test_cli_cluster_gives_local_results_survives_a_lost_worker_and_keeps_passwords_out_of_tasks(
        tmp_path: Path, database: str) -> None:
    estate = make_estate(tmp_path / "estate", 400, prose=2)
    config = tmp_path / "scan.yaml"
    config.write_text(yaml.safe_dump({"sources": [{"uri": str(estate)}, {"uri": database}],
                                      "detection": {"languages": ["en"]}}), encoding="utf-8")
    tls = tls_files(tmp_path / "tls")
    env = cluster_env(tls, tmp_path)

    def scan(out: str, *engine: str) -> subprocess.Popen:
        return subprocess.Popen([str(BIN / "policyscan"), "scan", "--config", str(config), "--out",
                                 str(tmp_path / out), "--quiet", *engine], env=env, cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def finished(proc: subprocess.Popen) -> None:
        output, _ = proc.communicate(timeout=900)
        assert proc.returncode == 0, output[-3000:]

    finished(scan("local", "--workers", "1"))
    local = outputs(tmp_path / "local")
    locations = [row[0] for row in local[1]]
    assert len(locations) == len(set(locations)) == 401  # 400 files and the customers table
    assert {row[1] for row in local[1]} == {"scanned"}
    assert any(".customers" in row[0] and row[2] == "EMAIL_ADDRESS" for row in local[0])

    cluster = CliCluster(tmp_path, env, tls)
    try:
        cluster.start(workers=2, scheduler_args=("--preload", "payload_recorder"))
        finished(scan("dask", "--engine", "dask", "--scheduler", cluster.address))
        assert outputs(tmp_path / "dask") == local

        lossy = scan("dask-lost-worker", "--engine", "dask", "--scheduler", cluster.address)
        state = tmp_path / "dask-lost-worker" / "state.sqlite"
        while lossy.poll() is None and committed(state) < 40:
            time.sleep(0.05)
        at_kill = committed(state)
        cluster.kill("worker1")
        finished(lossy)
        assert 40 <= at_kill < 401, "the worker was not killed mid-scan"
        assert outputs(tmp_path / "dask-lost-worker") == local  # nothing lost, nothing twice
    finally:
        cluster.close()

    tasks = (tmp_path / "payloads.bin").read_bytes()
    plugins = (tmp_path / "payloads.bin.plugins").read_bytes()
    db_name = database.rsplit("/", 1)[1].encode()
    assert db_name in tasks and b"note00001.txt" in tasks  # the recorder saw the scan's units …
    assert PASSWORD.encode() in plugins  # … and would see the password where it is meant to travel
    assert PASSWORD.encode() not in tasks

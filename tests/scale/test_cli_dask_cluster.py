"""Issue 15 part 6: a real Dask cluster started from the command line (`dask scheduler`, two `dask worker`
processes, TLS with certificate files made here, loopback), scanned with `policyscan scan --engine dask
--scheduler tls://…`: the same findings and inventory as the local engine, also when one worker is
killed mid-scan (no item lost or duplicated), and the database password in a source URL never appears
in a task the scheduler holds (it reaches workers only through the worker plugin).

Every process gets `PYTHONHASHSEED=6640`, the seed Dask's nanny gives its workers: a few of the real
detector's NER counts depend on the hash seed (docs/distributed.md), which is not what this test is about.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator

import pyarrow.parquet as pq
import pytest
import yaml
from faker import Faker
from sqlalchemy import create_engine, text

from scale_helpers import make_estate

pytestmark = [pytest.mark.slow, pytest.mark.server]

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[2]
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = f"Cluster-{uuid.uuid4().hex[:16]}"


def tls_files(folder: Path) -> dict[str, Path]:
    """A throw-away self-signed certificate and key, written as files (the CA is the certificate itself)."""
    from distributed.security import Security

    temporary = Security.temporary()
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"cert": folder / "node.pem", "key": folder / "node.key"}
    paths["cert"].write_text(temporary.tls_scheduler_cert, encoding="utf-8")
    paths["key"].write_text(temporary.tls_scheduler_key, encoding="utf-8")
    paths["key"].chmod(0o600)
    return paths


def cluster_env(tls: dict[str, Path], tmp: Path) -> dict[str, str]:
    """What every process of the test gets: the package and tests on the path, a fixed fingerprint key and
    hash seed, and Dask's client-side TLS settings (the way docs/distributed.md tells users to set them)."""
    return {**os.environ, "PYTHONPATH": f"{REPO}:{REPO / 'tests' / 'scale'}", "PYTHONHASHSEED": "6640",
            "POLICYSCAN_HMAC_KEY": "cluster-test-key-of-at-least-32-bytes", "POLICYSCAN_HOME": str(tmp / "home"),
            "CLUSTER_DB_PASSWORD": PASSWORD, "POLICYSCAN_PAYLOAD_DUMP": str(tmp / "payloads.bin"),
            "DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION": "True",
            "DASK_DISTRIBUTED__COMM__TLS__CA_FILE": str(tls["cert"]),
            "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT": str(tls["cert"]),
            "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY": str(tls["key"])}


def tls_args(tls: dict[str, Path]) -> list[str]:
    return ["--tls-ca-file", str(tls["cert"]), "--tls-cert", str(tls["cert"]), "--tls-key", str(tls["key"])]


class CliCluster:
    """`dask scheduler` and `dask worker` processes, each in its own session so one can be killed whole."""

    def __init__(self, tmp: Path, env: dict[str, str], tls: dict[str, Path]) -> None:
        self.tmp, self.env, self.tls = tmp, env, tls
        self.procs: dict[str, subprocess.Popen] = {}
        self.address = ""

    def _start(self, name: str, args: list[str]) -> None:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        self.procs[name] = subprocess.Popen([str(BIN / "dask"), *args], env=self.env, stdout=log, stderr=log,
                                            start_new_session=True, cwd=self.tmp)

    def start(self, workers: int) -> None:
        info = self.tmp / "scheduler.json"
        self._start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", "0", "--protocol", "tls",
                                  "--no-dashboard", "--scheduler-file", str(info), "--preload", "payload_recorder",
                                  *tls_args(self.tls)])
        deadline = time.monotonic() + 120
        while not info.exists() or not info.read_text():
            assert time.monotonic() < deadline and self.procs["scheduler"].poll() is None, self.log("scheduler")
            time.sleep(0.2)
        self.address = json.loads(info.read_text())["address"]
        assert self.address.startswith("tls://127.0.0.1:")
        for n in range(workers):
            self._start(f"worker{n}", ["worker", self.address, "--nworkers", "1", "--nthreads", "1",
                                       "--host", "127.0.0.1", "--no-dashboard", "--name", f"worker{n}",
                                       "--memory-limit", "3GiB", *tls_args(self.tls)])
        self.wait_for_workers(workers)

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client
        from distributed.security import Security

        security = Security(tls_ca_file=str(self.tls["cert"]), tls_client_cert=str(self.tls["cert"]),
                            tls_client_key=str(self.tls["key"]), require_encryption=True)
        with Client(self.address, security=security, timeout="60s") as client:
            client.wait_for_workers(n, timeout=300)

    def kill(self, name: str) -> None:
        """SIGKILL a whole `dask worker` (nanny and worker process): a machine lost mid-scan."""
        os.killpg(self.procs[name].pid, signal.SIGKILL)
        self.procs[name].wait(timeout=30)

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")[-3000:]

    def close(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


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


def committed(state: Path) -> int:
    try:
        with sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM items").fetchone()[0])
    except sqlite3.Error:
        return 0


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
        cluster.start(workers=2)
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

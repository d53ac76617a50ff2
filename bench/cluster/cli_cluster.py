"""A Dask cluster started from the command line on loopback, over TLS with certificate files made here:
`dask scheduler` and `dask worker` processes (what a user runs on real machines, docs/distributed.md).
Used by tests/scale/test_cli_dask_cluster.py and bench/cluster/run.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def client_tls_env(tls: dict[str, Path]) -> dict[str, str]:
    """Dask's client-side TLS settings as environment variables (how docs/distributed.md sets them)."""
    return {"DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION": "True",
            "DASK_DISTRIBUTED__COMM__TLS__CA_FILE": str(tls["cert"]),
            "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT": str(tls["cert"]),
            "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY": str(tls["key"])}


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

    def start(self, workers: int, scheduler_args: tuple[str, ...] = ()) -> None:
        info = self.tmp / "scheduler.json"
        self._start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", "0", "--protocol", "tls",
                                  "--no-dashboard", "--scheduler-file", str(info), *scheduler_args,
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

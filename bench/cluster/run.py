"""Issue 15: models loaded once per machine (fork vs model server vs spawn), and a Dask cluster started
from the command line vs the local engine, on the same estate in the same run.

    .venv/bin/python -m bench.cluster.run ESTATE --out RESULTS.json --spawn-tree DIR [--only sharing,cluster]

* sharing: the same 2-worker local scan three ways (`bench.cluster.variant`, each in a fresh subprocess
  and output folder, one after the other): `fork` (the model parent forks the workers: the product),
  `server` (forked workers, NER in one model-server process: `bench.cluster.model_server`), `spawn`
  (every worker loads its own models: the engine before issue 15, run from `--spawn-tree`, a copy of
  the repository whose scanner/engines/local.py is the old one).
* cluster: `policyscan scan ESTATE --workers 2` vs `policyscan scan ESTATE --engine dask --scheduler
  tls://…` on `dask scheduler` + two `dask worker --nthreads 1` processes over TLS (`bench.cluster.cli_cluster`),
  cluster started before the clock; the Dask workers build their detector when the scan registers its
  plugin, so model loading is inside both clocks.

Memory: every process of the scan's tree (and of each `dask worker` tree) is polled every 0.5 s with
psutil: peak RSS, and peak USS and PSS (RSS counts pages shared copy-on-write once per process; USS
only a process's own pages; PSS splits shared pages between their users).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench.cluster.cli_cluster import BIN, CliCluster, client_tls_env, tls_files
from bench.scale.run import env, estate_facts, outputs

REPO = Path(__file__).resolve().parents[2]


class TreeMonitor(threading.Thread):
    """Peak RSS/USS/PSS (MB) of every process under the given roots, and CPU seconds per process."""

    def __init__(self, roots: list[int]) -> None:
        super().__init__(daemon=True)
        self.roots, self.stop = roots, threading.Event()
        self.peaks: dict[int, dict] = {}

    def run(self) -> None:
        while not self.stop.is_set():
            for root in self.roots:
                try:
                    top = psutil.Process(root)
                    procs = [top, *top.children(recursive=True)]
                except psutil.Error:
                    continue
                for proc in procs:
                    try:
                        mem = proc.memory_full_info()
                        row = self.peaks.setdefault(proc.pid, {"ppid": proc.ppid(), "rss": 0, "uss": 0, "pss": 0})
                        row["name"] = " ".join(proc.cmdline())[-60:]
                        for key in ("rss", "uss", "pss"):
                            row[key] = max(row[key], round(getattr(mem, key) / 1e6, 1))
                        row["cpu_s"] = round(sum(proc.cpu_times()[:2]), 1)
                    except psutil.Error:
                        continue
            self.stop.wait(0.5)


def timed(cmd: list[str], extra_env: dict[str, str], roots: list[int] = (), cwd: Path = REPO
          ) -> tuple[dict, TreeMonitor]:
    """Run one scan command to the end; wall time, and the monitor of its tree (plus `roots`' trees)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env={**env(), **extra_env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=cwd)
    monitor = TreeMonitor([proc.pid, *roots])
    monitor.start()
    stdout, stderr = proc.communicate(timeout=3600)
    wall = time.perf_counter() - start
    monitor.stop.set()
    monitor.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed: {stderr[-2000:]}")
    result = {"wall_s": round(wall, 2), "load_avg_1m_after": round(os.getloadavg()[0], 2), "pid": proc.pid,
              "main": monitor.peaks.get(proc.pid), "stdout_tail": stdout.strip().splitlines()[-1:]}
    return result, monitor


def bench_sharing(estate: Path, work: Path, spawn_tree: Path, results: dict,
                  variants: tuple[str, ...] = ("fork", "server", "spawn")) -> None:
    reference = outputs(work / "sharing-fork") if "fork" not in variants else None
    for variant in variants:
        out = work / f"sharing-{variant}"
        shutil.rmtree(out, ignore_errors=True)
        tree = spawn_tree if variant == "spawn" else REPO
        r, monitor = timed([sys.executable, "-m", "bench.cluster.variant", variant, str(estate), str(out)],
                           {"PYTHONPATH": str(tree)}, cwd=tree)
        line = json.loads(r.pop("stdout_tail")[0])
        workers = set(line["worker_pids"])
        r.update(items=line["items"], findings=line["findings"], inner_wall_s=line["wall_s"],
                 workers=[monitor.peaks[p] for p in sorted(workers) if p in monitor.peaks],
                 others=[row for pid, row in monitor.peaks.items() if pid not in workers and pid != r["pid"]])
        produced = outputs(out)
        reference = reference or produced
        r["same_outputs_as_fork"] = produced == reference
        results["sharing"][variant] = r
        print(variant, json.dumps(r), flush=True)


def bench_cluster(estate: Path, work: Path, results: dict) -> None:
    tls = tls_files(work / "tls")
    seed = {"PYTHONHASHSEED": "6640"}  # what Dask's nanny gives its workers: the local scan gets it too
    cluster_env = {**env(), "PYTHONPATH": str(REPO), **client_tls_env(tls), **seed}
    (work / "cluster").mkdir(parents=True, exist_ok=True)
    cluster = CliCluster(work / "cluster", cluster_env, tls)
    try:
        cluster.start(workers=2)
        worker_roots = [p.pid for name, p in cluster.procs.items() if name.startswith("worker")]
        for label, extra in (("local-2", ["--workers", "2"]),
                             ("dask-cli-2", ["--engine", "dask", "--scheduler", cluster.address])):
            out = work / label
            shutil.rmtree(out, ignore_errors=True)
            r, monitor = timed([str(BIN / "policyscan"), "scan", str(estate), "--out", str(out), "--quiet", *extra],
                               {**client_tls_env(tls), **seed}, worker_roots if label.startswith("dask") else [])
            facts = estate_facts(estate)
            r["items_per_s"] = round(facts["files"] / r["wall_s"], 1)
            r["processes"] = [row for row in monitor.peaks.values() if row["rss"] > 100]
            r["findings"] = len(outputs(out)[0])
            results["cluster"][label] = r
            print(label, json.dumps(r), flush=True)
        results["cluster"]["same_findings"] = outputs(work / "local-2") == outputs(work / "dask-cli-2")
    finally:
        cluster.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("estate", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--spawn-tree", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "policyscan-bench-cluster")
    parser.add_argument("--only", default="sharing,cluster")
    parser.add_argument("--variants", default="fork,server,spawn", help="which sharing variants to run")
    args = parser.parse_args()
    results: dict = {"estate": estate_facts(args.estate), "sharing": {}, "cluster": {},
                     "machine": {"cpus": os.cpu_count(), "load_avg_at_start": os.getloadavg()}}
    args.work.mkdir(parents=True, exist_ok=True)
    if "sharing" in args.only:
        bench_sharing(args.estate, args.work, args.spawn_tree, results, tuple(args.variants.split(",")))
        args.out.write_text(json.dumps(results, indent=2))
    if "cluster" in args.only:
        bench_cluster(args.estate, args.work, results)
    args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

"""Rescan benchmark (issue 15): first scan, unchanged rescan and 1%-changed rescan of one estate, same run.

    .venv/bin/python -m bench.scale.estate ESTATE --small 50000 --doc-copies 0 --big 0 --doc-mb 60
    .venv/bin/python -m bench.scale.rescan ESTATE --out RESULTS.json [--workers 2] [--changed 0.01]

Each scan is a real `policyscan scan` subprocess (`bench.scale.run.scan`: wall time, exact CPU seconds of
the scan and all its descendants, peak RSS of the parent and of each worker). The first scan writes into a
fresh folder; the unchanged rescan runs on it as it is; then a seeded random `--changed` share of all
files (small notes and documents alike) gets a new mtime and the third scan runs. Targets: unchanged
≤ 5% of the first scan's wall time, 1%-changed ≤ 10%.

Bytecode: this environment sets PYTHONDONTWRITEBYTECODE, so every process would compile every module
it imports from source, which an installed tool never does (pip compiles at install time). The venv and
the project are compiled once before the first scan, so no scan pays it.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import shutil
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from bench.scale.run import estate_facts, scan

ROOT = Path(__file__).resolve().parents[2]


def compile_bytecode() -> None:
    for folder in (Path(sysconfig.get_paths()["purelib"]), *(ROOT / d for d in ("scanner", "connectors",
                                                                               "detectors", "reports"))):
        compileall.compile_dir(folder, quiet=2, workers=1)


def touch_share(estate: Path, share: float, seed: int = 15) -> int:
    files = sorted(p for p in estate.rglob("*") if p.is_file())
    touched = random.Random(seed).sample(files, max(1, round(len(files) * share)))
    later = time.time() + 60
    for path in touched:
        os.utime(path, (later, later))
    return len(touched)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("estate", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="results JSON")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "policyscan-bench-rescan")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--changed", type=float, default=0.01, help="share of files touched before the third scan")
    parser.add_argument("--timeout", type=float, default=3600.0)
    args = parser.parse_args()
    compile_bytecode()
    out = args.work / "out"
    shutil.rmtree(out, ignore_errors=True)
    results: dict = {"estate": estate_facts(args.estate), "machine": {"cpus": os.cpu_count()},
                     "python": sys.version.split()[0]}
    extra = ("--workers", str(args.workers))
    runs = {}
    runs["first"] = scan(args.estate, out, *extra, timeout=args.timeout)
    print("first", json.dumps(runs["first"]), flush=True)
    runs["unchanged"] = scan(args.estate, out, *extra, timeout=args.timeout)
    print("unchanged", json.dumps(runs["unchanged"]), flush=True)
    touched = touch_share(args.estate, args.changed)
    runs["changed"] = scan(args.estate, out, *extra, timeout=args.timeout)
    runs["changed"]["touched"] = touched
    print("changed", json.dumps(runs["changed"]), flush=True)
    first = runs["first"]
    for name in ("unchanged", "changed"):
        runs[name]["wall_vs_first"] = round(runs[name]["wall_s"] / first["wall_s"], 4)
        runs[name]["cpu_vs_first"] = round(runs[name]["cpu_total_s"] / max(first["cpu_total_s"], 1e-9), 4)
    results["runs"] = runs
    args.out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

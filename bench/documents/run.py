"""File-level "holds personal data": policyscan vs the naive baseline, on the documents devset and our own sets.

    PYTHONHASHSEED=0 .venv/bin/python -m bench.documents.run [--errors] [--own] [--no-naive] [--work DIR]

Same files, same run, same scorer. `policyscan scan DATA --workers 1` scans each set; the naive baseline
(issue 13: vanilla Presidio per extracted text, any hit = personal data) reads the same files through
policyscan's own extraction layer (so both see the same text) and runs a default `AnalyzerEngine` (small
English model) on every text sample and on every column's values joined by newlines; a file with any
result is "yes". Its results are written as `findings.parquet` + `inventory.parquet` with the columns the
scorer reads, and every output is scored by the devset's own `score_documents.py`.

Sets: the devset (`../shared/devsets/documents`), and with `--own` our own: the format corpus of the
tests (one synthetic file per format, all holding personal data), the demo estate's file share
(labelled from `scanner/demo/README.md`), and the synthetic prose set of `bench.documents.own_sets`
(documents about things vs. documents about people, Faker values). `--errors` prints the scorer's whole
report (every false positive/negative with its entities); otherwise only the summary lines.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from bench.accuracy.devset import scan_policyscan

ROOT = Path(__file__).resolve().parents[2]
DEVSET_DIR = next((p / "shared" / "devsets" / "documents" for p in ROOT.parents if (p / "shared" / "devsets").is_dir()),
                  Path("devsets/documents"))


def scan_naive(data: Path, out: Path) -> float:
    """Vanilla Presidio over the text policyscan's extraction layer gives; any result is a finding."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from bench.accuracy.run import vanilla_analyzer
    from connectors.base import open_connector
    from scanner.config import make_source
    from scanner.errors import ItemError
    from scanner.limits import Limits
    from scanner.models import ColumnSample, ItemOutcome

    started = time.perf_counter()
    analyzer = vanilla_analyzer()
    connector = open_connector(make_source(str(data)), Limits())
    findings: dict[str, list] = {"location": [], "entity": [], "score": []}
    inventory: dict[str, list] = {"location": [], "status": [], "reason": [], "kind": [], "parent": []}

    def row(location: str, status: str, reason: str | None, kind: str, parent: str | None) -> None:
        for key, value in zip(inventory, (location, status, reason, kind, parent)):
            inventory[key].append(value)

    for item in connector.items():
        status, reason = "scanned", None
        try:
            for event in connector.read(item):
                if isinstance(event, ItemOutcome):
                    if event.item.location == item.location:
                        status, reason = event.status.value, event.reason
                    else:
                        row(event.item.location, event.status.value, event.reason, event.item.kind, event.item.parent)
                    continue
                text = "\n".join(event.values) if isinstance(event, ColumnSample) else event.text
                for result in analyzer.analyze(text[:100_000], language="en"):
                    findings["location"].append(event.location)
                    findings["entity"].append(result.entity_type)
                    findings["score"].append(float(result.score))
        except ItemError as exc:
            status, reason = ("skipped" if exc.skip else "error"), exc.reason
        row(item.location, status, reason, item.kind, item.parent)
    connector.close()
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(findings), out / "findings.parquet")
    pq.write_table(pa.table(inventory), out / "inventory.parquet")
    return time.perf_counter() - started


def score(scorer: Path, truth: Path, out: Path) -> tuple[str, dict]:
    result = out / "score.json"
    text = subprocess.run([sys.executable, str(scorer), str(truth), str(out), "--json", str(result)], check=True,
                          capture_output=True, text=True).stdout
    return text, json.loads(result.read_text(encoding="utf-8"))


def summary(name: str, tool: str, seconds: float, result: dict) -> str:
    c = result["counts"]
    return (f"| {name} | {tool} | {c['tp']} | {c['fp']} | {c['fn']} | {c['tn']} | {result['precision']:.3f} | "
            f"{result['recall']:.3f} | **{result['f1']:.3f}** | {len(result.get('unreadable_ok', []))}/"
            f"{len(result.get('unreadable_ok', [])) + len(result.get('unreadable_bad', []))} | "
            f"{len(result.get('missing_inventory', []))} | {seconds:.0f} |")


def run_set(name: str, data: Path, truth: Path, scorer: Path, work: Path, naive: bool, errors: bool) -> list[str]:
    rows = []
    tools = [("policyscan", scan_policyscan)] + ([("naive Presidio", scan_naive)] if naive else [])
    for tool, scan in tools:
        out = work / name / tool.split()[0]
        seconds = scan(data, out)
        text, result = score(scorer, truth, out)
        rows.append(summary(name, tool, seconds, result))
        if errors:
            print(f"### {name}: {tool}\n{text}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=DEVSET_DIR)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".cache" / "documents")
    parser.add_argument("--own", action="store_true", help="also score our own sets")
    parser.add_argument("--no-devset", action="store_true")
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print the scorer's whole report (every FP/FN)")
    args = parser.parse_args()
    scorer = args.devset / "score_documents.py"
    rows = []
    if not args.no_devset:
        rows += run_set("devset", args.devset / "data", args.devset / "truth.csv", scorer, args.work,
                        not args.no_naive, args.errors)
    if args.own:
        from bench.documents.own_sets import build_own_sets

        for name, (data, truth) in build_own_sets(args.work / "own").items():
            rows += run_set(name, data, truth, scorer, args.work, not args.no_naive, args.errors)
    print("| set | tool | TP | FP | FN | TN | precision | recall | F1 | unreadable marked | no inventory row | seconds |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()

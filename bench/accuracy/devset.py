"""policyscan and vanilla Presidio on the held-out text devset (../shared/devsets/text), scored by its own scorer.

    .venv/bin/python -m bench.accuracy.devset [--split dev] [--work bench/.cache/devset] [--detector]

Same files, same run: the devset's `score_text.py --write` writes the split's records as files (1,000 per
folder); `policyscan scan` scans them with default settings and one worker; vanilla Presidio (default
`AnalyzerEngine`, the small English model, every text as English: what a vanilla deployment does) analyses
the same files and its results are written as a `findings.parquet` with `location` and `entity`, the two
columns the scorer reads. Both outputs are then scored by `score_text.py`, whose tables are printed as they are.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEVSET_DIR = next((p / "shared" / "devsets" / "text" for p in ROOT.parents if (p / "shared" / "devsets").is_dir()),
                  Path("devsets/text"))
POLICYSCAN = Path(sys.executable).with_name("policyscan")


def write_files(devset: Path, files: Path, split: str) -> None:
    if files.exists():
        shutil.rmtree(files)
    subprocess.run([sys.executable, str(devset / "score_text.py"), "--write", "--per-folder", "1000", "--split", split,
                    str(devset / "dev_text.jsonl"), str(files)], check=True, stdout=subprocess.DEVNULL)


def scan_policyscan(files: Path, out: Path) -> float:
    if out.exists():
        shutil.rmtree(out)
    started = time.perf_counter()
    subprocess.run([str(POLICYSCAN), "scan", str(files), "--out", str(out), "--workers", "1"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def scan_vanilla(files: Path, out: Path) -> float:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from bench.accuracy.run import vanilla_analyzer

    started = time.perf_counter()
    analyzer = vanilla_analyzer()
    locations, entities = [], []
    for path in sorted(files.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for entity in sorted({r.entity_type for r in analyzer.analyze(text, language="en")}):
            locations.append(str(path))
            entities.append(entity)
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"location": locations, "entity": entities}), out / "findings.parquet")
    return time.perf_counter() - started


def scan_detector(files: Path, out: Path) -> float:
    """policyscan's `Detector.text_spans` on each file's text, without the scan-time judgement of prose
    (`detectors.person_context`): what the recognizers and models themselves find."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from scanner.limits import Limits
    from scanner.models import DetectionSettings

    from detectors.engine import Detector

    started = time.perf_counter()
    paths = sorted(files.rglob("*.txt"))
    detector = Detector(DetectionSettings(fingerprint_key=b"bench"), Limits())
    spans = detector.text_spans([p.read_text(encoding="utf-8") for p in paths])
    rows = [(str(p), e) for p, found in zip(paths, spans) for e in sorted({s.entity for s in found})]
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"location": [r[0] for r in rows], "entity": [r[1] for r in rows]}),
                   out / "findings.parquet")
    return time.perf_counter() - started


def score(devset: Path, out: Path, split: str, errors: int = 0) -> str:
    command = [sys.executable, str(devset / "score_text.py"), "--split", split, str(devset / "dev_text.jsonl"), str(out)]
    if errors:
        command[2:2] = ["--errors", str(errors)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def run(devset: Path, work: Path, split: str = "dev", vanilla: bool = True, errors: int = 0,
        detector: bool = False) -> dict[str, str]:
    """Score tables by tool name ("policyscan", "policyscan detector", "vanilla Presidio")."""
    files = work / "files"
    write_files(devset, files, split)
    tables = {}
    seconds = scan_policyscan(files, work / "policyscan")
    tables["policyscan"] = f"(scan {seconds:.0f}s wall)\n" + score(devset, work / "policyscan", split, errors)
    if detector:
        seconds = scan_detector(files, work / "detector")
        tables["policyscan detector"] = f"(text_spans {seconds:.0f}s wall)\n" + score(devset, work / "detector", split,
                                                                                     errors)
    if vanilla:
        seconds = scan_vanilla(files, work / "vanilla")
        tables["vanilla Presidio"] = f"(analyse {seconds:.0f}s wall)\n" + score(devset, work / "vanilla", split, errors)
    return tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=DEVSET_DIR)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".cache" / "devset")
    parser.add_argument("--split", default="dev", choices=["dev", "train", "all"])
    parser.add_argument("--no-vanilla", action="store_true")
    parser.add_argument("--errors", type=int, default=0, help="also list N false positives/negatives per type")
    parser.add_argument("--detector", action="store_true",
                        help="also score Detector.text_spans alone (without the scan-time judgement of prose)")
    args = parser.parse_args()
    for tool, table in run(args.devset, args.work, args.split, not args.no_vanilla, args.errors,
                           args.detector).items():
        print(f"### devset text ({args.split} split): {tool}\n{table}")


if __name__ == "__main__":
    main()

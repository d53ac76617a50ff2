"""Throughput of policyscan's detector versus vanilla Presidio on the same corpus, 2 processes each.

    .venv/bin/python -m bench.throughput.run [--kb 600] [--workers 2]

Corpus: the labelled generator's documents at a realistic density (a sentence with personal data
after every six filler sentences), EN/FR/DE mixed. Each tool gets a pool of `--workers` processes; the
engine is built in each worker before the clock starts (model loading is a one-off per process in a
scan too), then the documents are split evenly and timed end to end. Wall-clock KB/s depends on what
else the shared machine runs, so CPU seconds of the workers are reported too (the fairer ratio when the
load average is above the core count). Reported: KB/s, the ratios, how many
e-mails, IBANs and IP addresses each found (policyscan must not find fewer), and peak RSS per worker.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

from bench.corpus_gen.labelled import synthetic_documents

_ENGINE = None
COUNTED = ("EMAIL_ADDRESS", "IBAN_CODE", "IP_ADDRESS", "PHONE_NUMBER", "PERSON", "CREDIT_CARD")


def _init(tool: str) -> None:
    global _ENGINE
    if tool == "policyscan":
        from scanner.limits import Limits
        from scanner.models import DetectionSettings

        from detectors.engine import Detector

        _ENGINE = Detector(DetectionSettings(fingerprint_key=b"bench"), Limits())
        _ENGINE.text_spans(["warm-up: Jean Dupont, jean@example.lu"])
    else:
        from bench.accuracy.run import vanilla_analyzer

        _ENGINE = vanilla_analyzer()
        _ENGINE.analyze("warm-up: John Smith, john@example.com", language="en")


def _ready(_: int) -> int:
    time.sleep(0.2)  # keeps both workers busy so each one initialises
    return os.getpid()


def _run(args: tuple[str, list[str]]) -> tuple[Counter, float, float]:
    tool, texts = args
    cpu_started = time.process_time()
    counts: Counter = Counter()
    if tool == "policyscan":
        from scanner.models import TextSample

        samples = [TextSample(f"doc{i}", None, t) for i, t in enumerate(texts)]
        for finding in _ENGINE.detect(samples, "bench"):
            counts[finding.entity] += finding.count
    else:
        for t in texts:
            counts.update(r.entity_type for r in _ENGINE.analyze(t, language="en"))
    return counts, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, time.process_time() - cpu_started


def measure(tool: str, texts: list[str], workers: int) -> dict:
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(tool,)) as pool:
        list(pool.map(_ready, range(workers)))
        parts = [texts[i::workers] for i in range(workers)]
        started = time.perf_counter()
        results = list(pool.map(_run, [(tool, p) for p in parts]))
        elapsed = time.perf_counter() - started
    counts: Counter = Counter()
    for c, _, _ in results:
        counts.update(c)
    size = sum(len(t.encode("utf-8")) for t in texts)
    cpu = sum(c for _, _, c in results)
    return {"seconds": elapsed, "kb_s": size / 1024 / elapsed, "cpu_s": cpu, "kb_cpu_s": size / 1024 / cpu,
            "counts": counts, "peak_rss_mb": max(rss for _, rss, _ in results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=int, default=600, help="corpus size (approximate)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    docs, n = [], 10
    while sum(len(d.text) for d in docs) < args.kb * 1024:
        docs = synthetic_documents(seed=3, n_docs=n, per_doc=6, filler=6)
        n *= 2
    texts = [d.text for d in docs]
    size_kb = sum(len(t.encode("utf-8")) for t in texts) / 1024
    print(f"corpus: {len(texts)} documents, {size_kb:.0f} KB (EN/FR/DE), {args.workers} processes per tool")
    results = {tool: measure(tool, texts, args.workers) for tool in ("policyscan", "vanilla Presidio")}
    ours, theirs = results["policyscan"], results["vanilla Presidio"]
    print(f"machine load average before the run: {os.getloadavg()[0]:.1f} (2 cores shared)")
    print("| tool | wall s | KB/s (wall) | CPU s | KB per CPU-s | peak RSS/worker MB | " + " | ".join(COUNTED) + " |")
    print("|---|---|---|---|---|---|" + "---|" * len(COUNTED))
    for tool, r in results.items():
        print(f"| {tool} | {r['seconds']:.1f} | {r['kb_s']:.0f} | {r['cpu_s']:.1f} | {r['kb_cpu_s']:.0f} | "
              f"{r['peak_rss_mb']:.0f} | " + " | ".join(str(r["counts"].get(e, 0)) for e in COUNTED) + " |")
    print(f"\nspeed-up (wall): {ours['kb_s'] / theirs['kb_s']:.1f}x; "
          f"speed-up (CPU time, robust to other load): {ours['kb_cpu_s'] / theirs['kb_cpu_s']:.1f}x")
    for e in ("EMAIL_ADDRESS", "IBAN_CODE", "IP_ADDRESS"):
        verdict = "ok" if ours["counts"].get(e, 0) >= theirs["counts"].get(e, 0) else "FEWER"
        print(f"{e}: policyscan {ours['counts'].get(e, 0)} vs vanilla {theirs['counts'].get(e, 0)} ({verdict})")


if __name__ == "__main__":
    main()

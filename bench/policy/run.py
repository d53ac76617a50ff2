"""`policy extract` versus the keyword baseline, in one run, scored by the devset's scorer.

    .venv/bin/python -m bench.policy.run [--devset DIR] [--errors] [--speed]

Sets: the 20 real policies of `../shared/devsets/policies` (labels by others) and our own fixtures
(`bench/policy/own_truth.yaml`, labels written by us, so a weaker check). For each set and language it
prints micro precision / recall / F1 (the scorer's prefix rule) of both, and with `--errors` every miss
and false declaration of `policy extract`. `--speed` times extraction of a ~10-page policy (the devset
texts of one language concatenated until 35,000 characters, about 10 printed pages) against the
keyword baseline on the same text.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

from bench.policy.keywords import keyword_manifest

ROOT = Path(__file__).resolve().parents[2]
DEVSET = ROOT.parent.parent / "shared" / "devsets" / "policies"
OWN_TRUTH = Path(__file__).resolve().parent / "own_truth.yaml"
PAGE_CHARS = 3500  # a printed page of policy text


def load_scorer(devset: Path):
    spec = importlib.util.spec_from_file_location("score_policies", devset / "score_policies.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extract(path: Path) -> dict:
    from scanner.policy import extract_policy_file

    return yaml.safe_load(extract_policy_file(path).to_yaml())


def baseline(path: Path, language: str) -> dict:
    from scanner.policy.reader import read_policy_text

    return keyword_manifest(read_policy_text(path).text, language)


def score_set(scorer, truth_file: Path, base: Path) -> dict[str, list[dict]]:
    truth = yaml.safe_load(truth_file.read_text(encoding="utf-8"))
    results: dict[str, list[dict]] = {"policyscan": [], "keywords": []}
    for pol in truth["policies"]:
        path = base / pol["text"]
        results["policyscan"].append(scorer.score_policy(pol, extract(path)))
        results["keywords"].append(scorer.score_policy(pol, baseline(path, pol["language"])))
    return results


def table(scorer, name: str, results: dict[str, list[dict]]) -> list[str]:
    lines = [f"### {name}", "", "| language | policies | tool | precision | recall | F1 | exact F1 |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: |"]
    langs = sorted({r["language"] for r in results["policyscan"]})
    for lang in [*langs, "overall"]:
        for tool, rs in results.items():
            chosen = [r for r in rs if lang == "overall" or r["language"] == lang]
            a, e = scorer.aggregate(chosen, "prefix"), scorer.aggregate(chosen, "exact")
            lines.append(f"| {lang} | {len(chosen)} | {tool} | {a['precision']:.3f} | {a['recall']:.3f} | "
                         f"{a['f1']:.3f} | {e['f1']:.3f} |")
    return lines


def errors(results: list[dict]) -> list[str]:
    out = []
    for r in results:
        for m in r["misses"]:
            out.append(f"  MISS  [{r['name']}] {m['key']} -- truth: \"{(m['quote'] or '')[:120]}\"")
        for x in r["false_declarations"]:
            flag = " !!" if x["contradicts_not_declared"] else ""
            out.append(f"  FALSE [{r['name']}] {x['key']}{flag} -- \"{x['evidence'][:140]}\"")
    return out


def speed(devset: Path) -> list[str]:
    """Seconds to extract a ~10-page policy per language, and the keyword baseline on the same text."""
    from scanner.policy.extract import extract_manifest
    from scanner.policy.formats import markdown_blocks
    from scanner.policy.reader import build_document

    truth = yaml.safe_load((devset / "truth.yaml").read_text(encoding="utf-8"))
    lines = ["| language | characters | pages | extract s | keywords s |", "| --- | ---: | ---: | ---: | ---: |"]
    for lang in ("en", "fr", "de"):
        texts = [(devset / p["text"]).read_text(encoding="utf-8") for p in truth["policies"] if p["language"] == lang]
        body = ""
        while len(body) < 10 * PAGE_CHARS:
            body += "\n\n".join(texts) + "\n\n"
        body = body[: 10 * PAGE_CHARS].rsplit("\n\n", 1)[0]
        extract_manifest(build_document(markdown_blocks(body.encode())[1]))  # warm-up: models load once
        t0 = time.process_time()
        doc = build_document(markdown_blocks(body.encode())[1])
        extract_manifest(doc)
        t1 = time.process_time()
        keyword_manifest(doc.text, lang)
        t2 = time.process_time()
        lines.append(f"| {lang} | {len(body)} | {len(body) / PAGE_CHARS:.1f} | {t1 - t0:.2f} | {t2 - t1:.3f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset", type=Path, default=DEVSET)
    ap.add_argument("--errors", action="store_true", help="list misses and false declarations of policy extract")
    ap.add_argument("--speed", action="store_true", help="time a ~10-page policy per language (CPU seconds)")
    args = ap.parse_args(argv)
    scorer = load_scorer(args.devset)
    out: list[str] = []
    for name, truth_file, base in (("devset (20 real policies, labels by others)", args.devset / "truth.yaml",
                                    args.devset),
                                   ("own fixtures (labels by us)", OWN_TRUTH, ROOT)):
        results = score_set(scorer, truth_file, base)
        out += table(scorer, name, results) + [""]
        if args.errors:
            out += errors(results["policyscan"]) + [""]
    if args.speed:
        out += ["### speed (CPU seconds, shared 2-core machine)", ""] + speed(args.devset)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

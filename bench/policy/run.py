"""`policy extract` versus the keyword baseline, in one run, scored by the devset's scorer.

    .venv/bin/python -m bench.policy.run [--devset DIR] [--errors] [--speed]

Sets: the 20 real policies of `../shared/devsets/policies` (labels by others) and our own fixtures
(`bench/policy/own_truth.yaml`, labels written by us, so a weaker check). For each set and language it
prints micro precision / recall / F1 (the scorer's prefix rule) of both, and with `--errors` every miss
and false declaration of `policy extract`, plus the scorer's checks of transfers, retention and security
kinds. `--speed` times extraction of a ~10-page policy (the devset texts of one language concatenated
until 35,000 characters, about 10 printed pages) against the keyword baseline on the same text: in a
process whose models are loaded, and as cold `policyscan policy extract` processes (median of
`--repeats`).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
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


def secondary(scorer, results: dict[str, list[dict]]) -> list[str]:
    """The scorer's other checks per tool: transfers verdict, retention (a period or not), security kinds."""
    lines = ["| tool | transfers agree | retention agrees | security kinds P / R / F1 (tp, fp, fn) |",
             "| --- | ---: | ---: | --- |"]
    for tool, rs in results.items():
        tp, fp, fn = (sum(r["security"][k] for r in rs) for k in ("tp", "fp", "fn"))
        sec = scorer.prf(tp, fp, fn)
        lines.append(f"| {tool} | {sum(r['transfers']['ok'] for r in rs)}/{len(rs)} | "
                     f"{sum(r['retention']['ok'] for r in rs)}/{len(rs)} | {sec['precision']:.2f} / "
                     f"{sec['recall']:.2f} / {sec['f1']:.2f} ({tp}, {fp}, {fn}) |")
    return lines


def errors(results: list[dict]) -> list[str]:
    out = []
    for r in results:
        for m in r["misses"]:
            out.append(f"  MISS  [{r['name']}] {m['key']} -- truth: \"{(m['quote'] or '')[:120]}\"")
        for x in r["false_declarations"]:
            flag = " !!" if x["contradicts_not_declared"] else ""
            out.append(f"  FALSE [{r['name']}] {x['key']}{flag} -- \"{x['evidence'][:140]}\"")
        if r["security"]["missed"] or r["security"]["extra"]:
            out.append(f"  SECURITY [{r['name']}] missed {r['security']['missed']} extra {r['security']['extra']}")
        if not r["retention"]["ok"]:
            out.append(f"  RETENTION [{r['name']}] found {r['retention']['manifest_periods']}, "
                       f"truth {r['retention']['truth_periods']}")
        if not r["transfers"]["ok"]:
            out.append(f"  TRANSFERS [{r['name']}] found {r['transfers']['manifest']}, truth {r['transfers']['truth']}")
    return out


def ten_pages(devset: Path, lang: str) -> str:
    """The devset texts of one language concatenated to ~35,000 characters (about 10 printed pages)."""
    truth = yaml.safe_load((devset / "truth.yaml").read_text(encoding="utf-8"))
    texts = [(devset / p["text"]).read_text(encoding="utf-8") for p in truth["policies"] if p["language"] == lang]
    body = ""
    while len(body) < 10 * PAGE_CHARS:
        body += "\n\n".join(texts) + "\n\n"
    return body[: 10 * PAGE_CHARS].rsplit("\n\n", 1)[0]


def speed(devset: Path) -> list[str]:
    """CPU seconds to extract a ~10-page policy per language in a process whose models are loaded, and the
    keyword baseline on the same text."""
    from scanner.policy.extract import extract_manifest
    from scanner.policy.formats import markdown_blocks
    from scanner.policy.reader import build_document

    lines = ["| language | characters | pages | extract s | keywords s |", "| --- | ---: | ---: | ---: | ---: |"]
    for lang in ("en", "fr", "de"):
        body = ten_pages(devset, lang)
        extract_manifest(build_document(markdown_blocks(body.encode())[1]))  # warm-up: models load once
        t0 = time.process_time()
        doc = build_document(markdown_blocks(body.encode())[1])
        extract_manifest(doc)
        t1 = time.process_time()
        keyword_manifest(doc.text, lang)
        t2 = time.process_time()
        lines.append(f"| {lang} | {len(body)} | {len(body) / PAGE_CHARS:.1f} | {t1 - t0:.2f} | {t2 - t1:.3f} |")
    return lines


KEYWORDS_ONCE = ("import sys; from pathlib import Path; from bench.policy.keywords import keyword_manifest; "
                 "from scanner.policy.reader import read_policy_text; "
                 "keyword_manifest(read_policy_text(Path(sys.argv[1])).text, sys.argv[2])")


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU user+sys) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cold_speed(devset: Path, repeats: int) -> list[str]:
    """`policyscan policy extract` of a ~10-page policy in a new process each time, as a user runs it.

    Byte code is cached (in a temporary folder), as for any installed package; one run per language
    first fills that cache. The keyword baseline runs cold the same way on the same file.
    """
    exe = Path(sys.executable).with_name("policyscan")
    extract_cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "scanner.cli"]
    lines = [f"load average at start: {os.getloadavg()[0]:.1f}; median of {repeats} cold runs", "",
             "| language | characters | extract wall s | extract CPU s | keywords wall s | keywords CPU s |"
             " CPU ratio |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        for lang in ("en", "fr", "de"):
            policy = Path(tmp) / f"ten-pages-{lang}.md"
            policy.write_text(ten_pages(devset, lang), encoding="utf-8")
            extract = [*extract_cmd, "policy", "extract", str(policy), "-o", str(Path(tmp) / f"{lang}.yaml")]
            keywords = [sys.executable, "-c", KEYWORDS_ONCE, str(policy), lang]
            _timed(extract, env), _timed(keywords, env)  # fill the byte-code cache
            runs = [(_timed(extract, env), _timed(keywords, env)) for _ in range(repeats)]
            ew, ec = (statistics.median(r[0][i] for r in runs) for i in (0, 1))
            kw, kc = (statistics.median(r[1][i] for r in runs) for i in (0, 1))
            lines.append(f"| {lang} | {policy.stat().st_size} | {ew:.2f} | {ec:.2f} | {kw:.2f} | {kc:.2f} | "
                         f"{ec / kc:.1f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset", type=Path, default=DEVSET)
    ap.add_argument("--errors", action="store_true", help="list misses and false declarations of policy extract")
    ap.add_argument("--speed", action="store_true", help="time a ~10-page policy per language (CPU seconds)")
    ap.add_argument("--repeats", type=int, default=5, help="cold runs per language with --speed (median)")
    args = ap.parse_args(argv)
    scorer = load_scorer(args.devset)
    out: list[str] = []
    for name, truth_file, base in (("devset (20 real policies, labels by others)", args.devset / "truth.yaml",
                                    args.devset),
                                   ("own fixtures (labels by us)", OWN_TRUTH, ROOT)):
        results = score_set(scorer, truth_file, base)
        out += table(scorer, name, results) + [""] + secondary(scorer, results) + [""]
        if args.errors:
            out += errors(results["policyscan"]) + [""]
    if args.speed:
        out += ["### speed, models loaded (CPU seconds, shared 2-core machine)", ""] + speed(args.devset)
        out += ["", "### speed, cold `policyscan policy extract` (seconds, shared 2-core machine)", ""]
        out += cold_speed(args.devset, args.repeats)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

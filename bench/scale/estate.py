"""The generated estate of the scale benchmark: many small files plus a mix of documents.

    .venv/bin/python -m bench.scale.estate DIR [--small 100000] [--doc-copies 20] [--big 20] [--doc-mb 0]

* `small/`: SMALL text files of 100-600 bytes in folders of 1,000; one in three holds a synthetic e-mail
  address and phone number, one in five a short paragraph with (synthetic) names: a file share of notes.
* `docs/copyNNN/`: DOC_COPIES copies of the demo estate's file share (docx, pdf, xlsx, csv, txt, zip…),
  about 0.5 MB each; every copy's files are identical, which does not matter to a scanner that has no
  content cache.
* `documents/`: `--doc-mb` megabytes of DOCX, PDF and XLSX files (about 100-250 KB each, English, French
  and German in turn) written with the demo estate's writers from Faker text: letters and reports whose
  paragraphs carry names, addresses, e-mail addresses, phone numbers and IBANs, and workbooks of contacts.
* `big/`: BIG CSV exports of 5 MB each: bytes that sampling must *not* read in full (`--big-logs` adds
  as many 5 MB application logs: free text, which the detector reads up to `limits.bytes_per_file`).

Deterministic (seeded), synthetic data only. Prints a JSON summary (files, bytes).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
from pathlib import Path

FIRST = ["Marie", "Paul", "Jean", "Anna", "Luc", "Sophie", "Tom", "Claire", "Max", "Lea"]
LAST = ["Schmit", "Weber", "Muller", "Wagner", "Hoffmann", "Thill", "Kieffer", "Reuter", "Klein", "Braun"]


def small_files(root: Path, n: int, rng: random.Random) -> None:
    for i in range(n):
        folder = root / f"d{i // 1000:04d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        body = f"note {i}: ticket {rng.randrange(10**6)} closed, nothing to add.\n"
        if i % 3 == 0:
            body += f"contact {first.lower()}.{last.lower()}{i}@example.lu, +352 621 {rng.randrange(10**6):06d}\n"
        if i % 5 == 0:
            body += (f"{first} {last} met {rng.choice(FIRST)} {rng.choice(LAST)} in Esch-sur-Alzette about the "
                     "renewal of the maintenance contract and agreed to follow up next week.\n")
        (folder / f"n{i:06d}.txt").write_text(body, encoding="utf-8")


def doc_copies(root: Path, copies: int) -> None:
    if copies <= 0:
        return
    from scanner.demo.estate import generate_demo_estate

    with tempfile.TemporaryDirectory() as tmp:
        generate_demo_estate(Path(tmp) / "demo")
        share = Path(tmp) / "demo" / "share"
        for c in range(copies):
            shutil.copytree(share, root / f"copy{c:03d}")


LOCALES = (("en", "en_GB"), ("fr", "fr_FR"), ("de", "de_DE"))


def _paragraphs(fake, rng: random.Random, n: int) -> list[str]:
    """Faker prose with one personal detail in about one paragraph in three."""
    details = (lambda: f"{fake.name()}, {fake.address().replace(chr(10), ', ')}", fake.email,
               fake.phone_number, fake.iban)
    out = []
    for _ in range(n):
        text = fake.paragraph(nb_sentences=rng.randint(3, 8))
        if rng.random() < 0.35:
            text += f" {rng.choice(details)()}."
        out.append(text)
    return out


KINDS = ("docx", "xlsx", "docx", "pdf", "xlsx", "docx")  # PDF layout is slow to generate: one in six


def documents(root: Path, megabytes: float, rng: random.Random) -> None:
    """DOCX, PDF and XLSX files until `megabytes` are written (see the module docstring)."""
    from faker import Faker

    from scanner.demo.files import docx_bytes, pdf_bytes, utc, xlsx_bytes

    fakers = {lang: Faker(locale) for lang, locale in LOCALES}
    for i, fake in enumerate(fakers.values()):
        fake.seed_instance(rng.randrange(10**9) + i)
    pools = {lang: _paragraphs(fake, rng, 1500) for lang, fake in fakers.items()}
    contacts = {lang: [(f.name(), f.email(), f.phone_number(), f.city(), f.iban()) for _ in range(3000)]
                for lang, f in fakers.items()}
    root.mkdir(parents=True, exist_ok=True)
    written, index = 0, 0
    while written < megabytes * 1e6:
        lang, kind = LOCALES[index % 3][0], KINDS[(index // 3) % len(KINDS)]
        fake = fakers[lang]
        when, author = utc(2024, 1 + index % 12, 1 + index % 28), fake.name()
        if kind == "xlsx":
            rows = rng.sample(contacts[lang], rng.randint(1500, 3000))
            data = xlsx_bytes([("contacts", ("name", "email", "phone", "city", "iban"), rows)], author, when)
        else:
            body = rng.sample(pools[lang], rng.randint(300, 600) if kind == "docx" else rng.randint(40, 80))
            write = docx_bytes if kind == "docx" else pdf_bytes
            data = write(f"{fake.catch_phrase()} ({lang})", author, [fake.catch_phrase(), *body], when, headings=(0,))
        (root / f"{lang}-{index:04d}.{kind}").write_bytes(data)
        written += len(data)
        index += 1


def big_files(root: Path, n: int, rng: random.Random, logs: bool, size: int = 5 * 1024 * 1024) -> None:
    root.mkdir(parents=True, exist_ok=True)
    kinds = ("csv", "log") if logs else ("csv",)
    for b in range(n * len(kinds)):
        csv = kinds[b % len(kinds)] == "csv"
        path = root / (f"export{b:02d}.csv" if csv else f"app{b:02d}.log")
        with path.open("w", encoding="utf-8") as fh:
            if csv:
                fh.write("id,first_name,last_name,email,city\n")
            written, row = 0, 0
            while written < size:
                first, last = rng.choice(FIRST), rng.choice(LAST)
                line = (f"{row},{first},{last},{first.lower()}.{last.lower()}{row}@example.lu,Luxembourg\n"
                        if csv else
                        f"2026-01-{row % 28 + 1:02d} INFO login ok user={first.lower()}{row} ip=10.1.{row % 250}.{row % 200}\n")
                fh.write(line)
                written += len(line)
                row += 1


def generate(root: Path, small: int, copies: int, big: int, logs: bool = False, seed: int = 7,
             doc_mb: float = 0.0) -> dict:
    rng = random.Random(seed)
    small_files(root / "small", small, rng)
    doc_copies(root / "docs", copies)
    if doc_mb > 0:
        documents(root / "documents", doc_mb, rng)
    if big:
        big_files(root / "big", big, rng, logs)
    files = [p for p in root.rglob("*") if p.is_file()]
    return {"root": str(root), "files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "small": small, "doc_copies": copies, "big": big}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--doc-copies", type=int, default=20)
    parser.add_argument("--big", type=int, default=20)
    parser.add_argument("--big-logs", action="store_true")
    parser.add_argument("--doc-mb", type=float, default=0.0, help="megabytes of generated DOCX/PDF/XLSX")
    args = parser.parse_args()
    print(json.dumps(generate(args.dir, args.small, args.doc_copies, args.big, args.big_logs,
                              doc_mb=args.doc_mb)))


if __name__ == "__main__":
    main()

"""Extraction throughput per format: file MB/s and sampled MB/s through the shared extraction layer.

    .venv/bin/python bench/files/extraction.py [--rows 20000] [--digest]

Generates one file per format holding ROWS synthetic people (seeded Faker), then times
`connectors.extract.extract()` on it with default `Limits` (sampling on, parsers isolated in a child as in
a real scan). "file MB/s" = file size / time, the rate a scan walks through such files; "sampled" counts
only the characters handed to the detector. `--digest` prints, instead of times, a hash of every event the
layer yields per file (samples and inventory rows; member times dropped, they are the generation time), to
show that a refactoring leaves the results identical.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import io
import json
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "connectors")]

from connectors.extract import Blob, ExtractContext, extract  # noqa: E402
from scanner.limits import Limits  # noqa: E402
from scanner.models import ColumnSample, Item  # noqa: E402


def make_files(root: Path, n: int) -> dict[str, Path]:
    import docx
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq
    from faker import Faker
    from fpdf import FPDF

    fake = Faker("en_GB")
    fake.seed_instance(1)
    rows = [(fake.name(), fake.email(), fake.city()) for _ in range(n)]
    csv_text = "name,email,city\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows)
    out: dict[str, bytes] = {
        "log.txt": "".join(f"2024-01-01T00:00:{i % 60:02d} login ok user={b} from {c}\n"
                           for i, (_a, b, c) in enumerate(rows)).encode(),
        "table.csv": csv_text.encode(),
        "records.jsonl": "".join(json.dumps({"name": a, "email": b, "city": c}) + "\n" for a, b, c in rows).encode(),
        "records.xml": ("<people>" + "".join(f"<p><name>{a}</name><email>{b}</email></p>" for a, b, _c in rows)
                        + "</people>").encode(),
        "page.html": ("<html><body>" + "".join(f"<p>{a} {b}</p>" for a, b, _c in rows) + "</body></html>").encode(),
    }
    document = docx.Document()
    for a, b, c in rows[: n // 4]:
        document.add_paragraph(f"{a} lives in {c}, mail {b}.")
    buf = io.BytesIO()
    document.save(buf)
    out["letters.docx"] = buf.getvalue()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "email", "city"])
    for row in rows:
        sheet.append(list(row))
    buf = io.BytesIO()
    book.save(buf)
    out["table.xlsx"] = buf.getvalue()
    pdf = FPDF()
    pdf.set_font("Helvetica", size=9)
    pdf.add_page()
    for a, b, c in rows[: n // 10]:
        pdf.cell(text=f"{a} {b} {c}".encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
    out["report.pdf"] = bytes(pdf.output())
    buf = io.BytesIO()
    pq.write_table(pa.table({"name": [r[0] for r in rows], "email": [r[1] for r in rows]}), buf)
    out["table.parquet"] = buf.getvalue()
    out["table.csv.gz"] = gzip.compress(out["table.csv"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(200):
            zf.writestr(f"part{i:03d}.csv", csv_text[: 20_000])
    out["parts.zip"] = buf.getvalue()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name in ("table.csv", "letters.docx", "records.jsonl"):
            info = tarfile.TarInfo(name)
            info.size = len(out[name])
            tf.addfile(info, io.BytesIO(out[name]))
    out["backup.tar.gz"] = buf.getvalue()
    paths = {}
    for name, data in out.items():
        (root / name).write_bytes(data)
        paths[name] = root / name
    return paths


def run_one(path: Path, limits: Limits) -> tuple[float, int, int]:
    item = Item("bench", path.as_uri(), "file", size_bytes=path.stat().st_size)
    start = time.perf_counter()
    sampled = samples = 0
    for event in extract(Blob(item, lambda: open(path, "rb")), ExtractContext.start(limits)):
        if isinstance(event, ColumnSample):
            sampled += sum(len(v) for v in event.values)
            samples += 1
        elif hasattr(event, "text"):
            sampled += len(event.text)
            samples += 1
    return time.perf_counter() - start, sampled, samples


def digest(path: Path, limits: Limits) -> tuple[int, str]:
    """(events, hash of their reprs) for one file; `Item.modified` is dropped (zip member times are 'now')."""
    item = Item("bench", f"file:///bench/{path.name}", "file", size_bytes=path.stat().st_size)
    h = hashlib.sha256()
    events = 0
    for event in extract(Blob(item, lambda: open(path, "rb")), ExtractContext.start(limits)):
        if hasattr(event, "item"):
            event = dataclasses.replace(event, item=dataclasses.replace(event.item, modified=None))
        h.update(repr(event).encode())
        events += 1
    return events, h.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--digest", action="store_true", help="print a hash of each file's events, not times")
    args = parser.parse_args()
    limits = Limits()
    with tempfile.TemporaryDirectory(prefix="policyscan-bench-extract-") as tmp:
        paths = make_files(Path(tmp), args.rows)
        if args.digest:
            for name, path in paths.items():
                events, hashed = digest(path, limits)
                print(f"{name:<16}{events:>7} events  {hashed}")
            return
        print(f"{'format':<16}{'size MB':>9}{'seconds':>9}{'file MB/s':>11}{'sampled MB/s':>14}{'samples':>9}")
        for name, path in paths.items():
            run_one(path, limits)  # warm-up: imports, registry
            elapsed, sampled, samples = min((run_one(path, limits) for _ in range(3)), key=lambda r: r[0])
            size = path.stat().st_size / 1e6
            print(f"{name:<16}{size:>9.2f}{elapsed:>9.3f}{size / elapsed:>11.1f}{sampled / 1e6 / elapsed:>14.2f}{samples:>9}")


if __name__ == "__main__":
    main()

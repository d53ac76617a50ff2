"""Peak memory (max RSS) while scanning one 2 GB file and one 10,000-member archive.

    .venv/bin/python bench/files/memory.py

Each case runs in a fresh child process (so peaks do not mix) that lists and reads the item through the
file-system connector with default `Limits`, and reports its own max RSS, the baseline RSS after imports,
elapsed time and samples produced. The 2 GB file is sparse text (real head and tail, holes between), so it
costs no disk; sampling must keep memory flat whatever the size.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def child(path: str) -> None:
    sys.path.insert(0, str(ROOT))
    from connectors.extract import Blob, ExtractContext, extract
    from connectors.filesystem import FileSystemConnector
    from scanner.config import make_source
    from scanner.limits import Limits
    from scanner.models import Item, ItemOutcome

    tiny = Item("warm-up", "file:///warm-up.csv", "file")
    list(extract(Blob(tiny, lambda: io.BytesIO(b"a,b\n1,2\n")), ExtractContext.start(Limits())))  # imports, registry
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    connector = FileSystemConnector(make_source(path), Limits())
    start = time.perf_counter()
    samples = members = 0
    for item in connector.items():
        for event in connector.read(item):
            if isinstance(event, ItemOutcome):
                members += 1
            else:
                samples += 1
    print(json.dumps({"seconds": round(time.perf_counter() - start, 2), "samples": samples, "outcomes": members,
                      "baseline_rss_mb": round(base / 1024, 1),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


def make_sparse(path: Path, size: int) -> None:
    line = b"2024-05-01 10:00:00 INFO login user=jane.doe@example.com from 10.1.2.3\n"
    with open(path, "wb") as fh:
        fh.write(line * 20_000)
        for offset in range(256 * 1024**2, size, 256 * 1024**2):
            fh.seek(offset)
            fh.write(line * 2000)
        fh.truncate(size)


def make_archive(path: Path, members: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(members):
            zf.writestr(f"d{i // 1000:02d}/m{i:05d}.csv", f"name,email\nUser {i},user{i}@example.com\n")


def run(path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True,
                          check=True, timeout=900)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="policyscan-bench-mem-") as tmp:
        big = Path(tmp) / "big" / "app.log"
        big.parent.mkdir()
        make_sparse(big, 2 * 1024**3)
        arc = Path(tmp) / "arc" / "many.zip"
        arc.parent.mkdir()
        make_archive(arc, 10_000)
        print(f"2 GB sparse log  ({big.stat().st_size / 1e9:.1f} GB): {run(big.parent)}")
        print(f"10,000-member zip ({arc.stat().st_size / 1e6:.1f} MB): {run(arc.parent)}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()

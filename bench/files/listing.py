"""Listing speed of the file-system connector on a generated tree: local disk and SMB (Samba on loopback).

    .venv/bin/python bench/files/listing.py --files 100000 [--smb]

Builds FILES empty-ish files in folders of 1,000 under a temp dir, then times `items()` (no reading):
locally, then over SMB with and without reading each file's security descriptor (`acl`), the latter on
a 10,000-file subset when the full tree would take minutes. Prints files/s.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "connectors")]

from connectors.filesystem import FileSystemConnector  # noqa: E402
from scanner.config import make_source  # noqa: E402
from scanner.limits import Limits  # noqa: E402


def build_tree(root: Path, files: int, per_folder: int = 1000) -> None:
    for n in range(files):
        folder = root / f"d{n // per_folder:04d}"
        if n % per_folder == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{n:06d}.txt").write_bytes(b"x")


def time_listing(uri: str, options: dict | None = None) -> tuple[int, float]:
    connector = FileSystemConnector(make_source(uri, options=options or {}), Limits())
    start = time.perf_counter()
    count = sum(1 for _ in connector.items())
    elapsed = time.perf_counter() - start
    connector.close()
    return count, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--smb", action="store_true", help="also list through a Samba server on loopback")
    parser.add_argument("--acl-files", type=int, default=10_000, help="tree size for the SMB run that reads ACLs")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="policyscan-bench-list-"))
    try:
        tree = work / "tree"
        start = time.perf_counter()
        build_tree(tree, args.files)
        print(f"built {args.files} files in {time.perf_counter() - start:.1f}s")
        count, elapsed = time_listing(str(tree))
        print(f"local          {count:>7} files  {elapsed:6.2f}s  {count / elapsed:9.0f} files/s")
        if args.smb:
            from servers import samba

            small = work / "small"
            build_tree(small, args.acl_files)
            with samba(work, work / "samba") as server:
                opts = {"user": server.user, "password": server.password}
                base = f"smb://127.0.0.1:{server.port}/{server.share}"
                count, elapsed = time_listing(f"{base}/tree", {**opts, "acl": False})
                print(f"smb (no acl)   {count:>7} files  {elapsed:6.2f}s  {count / elapsed:9.0f} files/s")
                count, elapsed = time_listing(f"{base}/small", {**opts, "acl": True})
                print(f"smb (with acl) {count:>7} files  {elapsed:6.2f}s  {count / elapsed:9.0f} files/s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

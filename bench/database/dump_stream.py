"""Dump reader throughput and memory: a generated dump streamed through DumpReader, never held whole.

Run: .venv/bin/python bench/database/dump_stream.py [--rows 1000000]
Prints MB/s and peak traced memory for a pg_dump COPY block, pg_dump --inserts style single-row INSERTs
and mysqldump multi-row INSERTs of the same rows.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from connectors.db.dump_parser import DumpReader  # noqa: E402


class GeneratedText(io.TextIOBase):
    """A read-only text stream produced lazily from an iterator of strings (constant memory)."""

    def __init__(self, parts: Iterator[str]) -> None:
        self._parts = parts
        self._pending = ""
        self.chars = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        while size < 0 or len(self._pending) < size:
            try:
                self._pending += next(self._parts)
            except StopIteration:
                break
        out, self._pending = (self._pending, "") if size < 0 else (self._pending[:size], self._pending[size:])
        self.chars += len(out)
        return out


def row(i: int) -> tuple[str, str, str, str]:
    return (str(i), f"user{i}@example.com", f"Name {i} O'Neil", f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10} 10:00:00")


def pg_copy(rows: int) -> Iterator[str]:
    yield "-- PostgreSQL database dump\nCREATE TABLE public.people (id integer, email text, name text, created_at timestamp);\n"
    yield "COPY public.people (id, email, name, created_at) FROM stdin;\n"
    for start in range(0, rows, 1000):
        yield "".join("\t".join(row(i)) + "\n" for i in range(start, min(rows, start + 1000)))
    yield "\\.\n"


def pg_inserts(rows: int) -> Iterator[str]:
    yield "-- PostgreSQL database dump\nCREATE TABLE public.people (id integer, email text, name text, created_at timestamp);\n"
    for start in range(0, rows, 1000):
        yield "".join("INSERT INTO public.people VALUES ({}, '{}', '{}', '{}');\n".format(
            r[0], r[1], r[2].replace("'", "''"), r[3]) for r in map(row, range(start, min(rows, start + 1000))))


def mysql_multirow(rows: int) -> Iterator[str]:
    yield ("-- MariaDB dump 10.19\n-- Host: localhost    Database: crm\nCREATE TABLE `people` (`id` int(11), "
           "`email` varchar(120), `name` varchar(120), `created_at` datetime);\n")
    for start in range(0, rows, 2000):
        values = ",".join("({},'{}','{}','{}')".format(r[0], r[1], r[2].replace("'", "\\'"), r[3])
                          for r in map(row, range(start, min(rows, start + 2000))))
        yield f"INSERT INTO `people` VALUES {values};\n"


def speed(name: str, parts: Iterator[str]) -> None:
    stream = GeneratedText(parts)
    started = time.perf_counter()
    tables = list(DumpReader(stream, sample_rows=200, seed=1).tables())
    seconds = time.perf_counter() - started
    t = tables[0]
    print(f"{name:<22} {stream.chars / 1e6:>8.1f} MB {seconds:>7.2f} s {stream.chars / 1e6 / seconds:>6.1f} MB/s "
          f"rows={t.row_count:,} sampled={len(t.rows)} oldest={t.age.oldest:%Y-%m-%d} newest={t.age.newest:%Y-%m-%d}")


def peak_memory(parts: Iterator[str]) -> float:
    stream = GeneratedText(parts)
    tracemalloc.start()
    for _ in DumpReader(stream, sample_rows=200, seed=1).tables():
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    formats = (("pg COPY", pg_copy), ("pg INSERT per row", pg_inserts), ("mysqldump multi-row", mysql_multirow))
    print(f"throughput, {args.rows:,} rows (reservoir of 200, data age over every row):")
    for name, gen in formats:
        speed(name, gen(args.rows))
    print("peak traced memory (tracemalloc) at two dump sizes: constant means streaming")
    for name, gen in formats:
        small, large = peak_memory(gen(args.rows // 20)), peak_memory(gen(args.rows // 4))
        print(f"{name:<22} {args.rows // 20:>9,} rows: {small:5.1f} MB   {args.rows // 4:>9,} rows: {large:5.1f} MB")


if __name__ == "__main__":
    main()
